// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Ownership and treasury setters without a zero-address check: one typo bricks the protocol.
contract Treasury {
    address public owner;
    address public treasury;
    uint256 public sweptTotal;

    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);
    event TreasuryChanged(address indexed treasury);

    modifier onlyOwner() {
        require(msg.sender == owner, "not owner");
        _;
    }

    function transferOwnership(address newOwner) external onlyOwner {
        emit OwnershipTransferred(owner, newOwner);
        owner = newOwner;
    }

    function setTreasury(address newTreasury) external onlyOwner {
        treasury = newTreasury;
        emit TreasuryChanged(newTreasury);
    }

    function recordSweep(uint256 amount) external onlyOwner {
        sweptTotal += amount;
    }
}
