// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Vault {
    address public owner;
    uint256 public totalDeposits;
    mapping(address => uint256) internal balances;
    bool public paused;

    function deposit() external payable {
        require(!paused, "paused");
        balances[msg.sender] += msg.value;
        totalDeposits += msg.value;
    }
}
