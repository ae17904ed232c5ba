// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Staking {
    address public owner;
    /// @custom:oz-renamed-from rewardRate
    uint256 public rewardPerSecond;
    mapping(address => uint256) public staked;

    function stake() external payable {
        staked[msg.sender] += msg.value;
    }
}
