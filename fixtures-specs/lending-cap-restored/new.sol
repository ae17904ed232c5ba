// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// A lending pool: depositors fund it, borrowers draw from it.
contract LendingPool {
    mapping(address => uint256) public deposits;
    mapping(address => uint256) public debt;
    uint256 public totalDeposits;
    uint256 public totalBorrowed;

    error InsufficientLiquidity(uint256 requested, uint256 deposits);

    function deposit(uint256 amount) external {
        deposits[msg.sender] += amount;
        totalDeposits += amount;
    }

    /// Fix: a loan never exceeds what the pool holds.
    function borrow(uint256 amount) external {
        uint256 borrowed = totalBorrowed + amount;
        if (borrowed > totalDeposits) revert InsufficientLiquidity(amount, totalDeposits);
        debt[msg.sender] += amount;
        totalBorrowed = borrowed;
    }

    function repay(uint256 amount) external {
        debt[msg.sender] -= amount;
        totalBorrowed -= amount;
    }
}
