// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// A lending pool: depositors fund it, borrowers draw from it.
contract LendingPool {
    mapping(address => uint256) public deposits;
    mapping(address => uint256) public debt;
    uint256 public totalDeposits;
    uint256 public totalBorrowed;

    function deposit(uint256 amount) external {
        deposits[msg.sender] += amount;
        totalDeposits += amount;
    }

    /// BUG: nothing stops a borrower from drawing more than the pool holds.
    function borrow(uint256 amount) external {
        debt[msg.sender] += amount;
        totalBorrowed += amount;
    }

    function repay(uint256 amount) external {
        debt[msg.sender] -= amount;
        totalBorrowed -= amount;
    }
}
