// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Withdrawals subtract in an unchecked block "to save gas": withdrawing more than the balance wraps.
contract Ledger {
    mapping(address => uint256) public balances;
    uint256 public totalWithdrawn;

    event Withdrawal(address indexed account, uint256 amount);

    function credit(address account, uint256 amount) external {
        balances[account] += amount;
    }

    function withdraw(uint256 amount) external {
        unchecked {
            balances[msg.sender] -= amount;
        }
        totalWithdrawn += amount;
        emit Withdrawal(msg.sender, amount);
    }
}
