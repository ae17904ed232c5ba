// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Staking {
    address public owner;
    uint256 public rewardRate;
    mapping(address => uint256) public staked;

    function stake() external payable {
        staked[msg.sender] += msg.value;
    }
}
