// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Vault {
    mapping(address => uint256) public balanceOf;
    bool public paused;
    address public owner;

    function withdraw(uint256 amount) external {
        require(!paused, "paused");
        balanceOf[msg.sender] -= amount;
    }

    function pause() external {
        require(msg.sender == owner, "not owner");
        paused = true;
    }
}
