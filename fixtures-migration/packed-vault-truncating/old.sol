// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// v1 of a capped deposit vault behind a proxy.
contract CappedVault {
    uint256 public constant CAP = 1_000_000_000e18;

    address public owner;
    uint256 public totalDeposits;
    mapping(address => uint256) public deposits;

    event Deposited(address indexed account, uint256 amount);
    event Withdrawn(address indexed account, uint256 amount);

    function deposit(uint256 amount) external {
        require(amount > 0, "zero amount");
        require(totalDeposits + amount <= CAP, "cap reached");
        deposits[msg.sender] += amount;
        totalDeposits += amount;
        emit Deposited(msg.sender, amount);
    }

    function withdraw(uint256 amount) external {
        deposits[msg.sender] -= amount;
        totalDeposits -= amount;
        emit Withdrawn(msg.sender, amount);
    }

    function headroom() external view returns (uint256) {
        return CAP - totalDeposits;
    }
}
