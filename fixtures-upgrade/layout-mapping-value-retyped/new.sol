// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Rewards {
    address public distributor;
    mapping(address => int256) public claimed;

    function claim(int256 amount) external {
        claimed[msg.sender] += amount;
    }
}
