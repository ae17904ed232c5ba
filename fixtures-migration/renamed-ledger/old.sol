// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract Ledger {
    address public owner;
    mapping(address => uint256) public balances;
    uint256 public total;

    function credit(address to, uint256 amount) external {
        balances[to] += amount;
        total += amount;
    }
}
