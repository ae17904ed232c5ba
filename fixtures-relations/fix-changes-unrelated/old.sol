// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// A staking pool whose pause switch anyone could flip.
contract StakingPool {
    address public owner;
    bool public paused;
    mapping(address => uint256) public stakes;
    uint256 public totalStaked;

    event Staked(address indexed account, uint256 amount);
    event Paused(bool paused);

    function setPaused(bool p) external {
        paused = p;
        emit Paused(p);
    }

    function stake(uint256 amount) external {
        require(!paused, "paused");
        require(amount > 0, "zero stake");
        stakes[msg.sender] += amount;
        totalStaked += amount;
        emit Staked(msg.sender, amount);
    }
}
