// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Vault {
    address public owner;
    uint256 public feeBps;
    uint256 public totalDeposits;
    mapping(address => uint256) internal balances;

    function deposit() external payable {
        uint256 fee = (msg.value * feeBps) / 10_000;
        balances[msg.sender] += msg.value - fee;
        totalDeposits += msg.value - fee;
    }
}
