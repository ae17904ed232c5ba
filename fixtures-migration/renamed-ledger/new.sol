// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// v2 renames `balances` to `balanceOf` (same slot) and moves `total` behind a new variable.
contract Ledger {
    address public owner;
    mapping(address => uint256) public balanceOf;
    uint64 public epoch;
    uint256 public total;

    function credit(address to, uint256 amount) external {
        balanceOf[to] += amount;
        total += amount;
    }
}
