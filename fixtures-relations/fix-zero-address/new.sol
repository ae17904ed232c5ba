// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// The fix: both setters refuse the zero address.
contract Treasury {
    address public owner;
    address public treasury;
    uint256 public sweptTotal;

    error ZeroAddress();

    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);
    event TreasuryChanged(address indexed treasury);

    modifier onlyOwner() {
        require(msg.sender == owner, "not owner");
        _;
    }

    modifier nonZero(address a) {
        if (a == address(0)) revert ZeroAddress();
        _;
    }

    function transferOwnership(address newOwner) external onlyOwner nonZero(newOwner) {
        emit OwnershipTransferred(owner, newOwner);
        owner = newOwner;
    }

    function setTreasury(address newTreasury) external onlyOwner nonZero(newTreasury) {
        treasury = newTreasury;
        emit TreasuryChanged(newTreasury);
    }

    function recordSweep(uint256 amount) external onlyOwner {
        sweptTotal += amount;
    }
}
