// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// The fix: refuse withdrawals above the balance; everything else is meant to stay exactly as it was.
contract Ledger {
    mapping(address => uint256) public balances;
    uint256 public totalWithdrawn;

    error InsufficientBalance(uint256 available, uint256 requested);

    event Withdrawal(address indexed account, uint256 amount);

    function credit(address account, uint256 amount) external {
        balances[account] += amount;
    }

    function withdraw(uint256 amount) external {
        uint256 available = balances[msg.sender];
        if (amount > available) revert InsufficientBalance(available, amount);
        unchecked {
            balances[msg.sender] = available - amount;
        }
        totalWithdrawn += amount;
        emit Withdrawal(msg.sender, amount);
    }
}
