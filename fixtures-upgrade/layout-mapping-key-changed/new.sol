// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Rewards {
    address public distributor;
    mapping(uint256 => uint256) public claimed;

    function claim(uint256 amount) external {
        claimed[uint256(uint160(msg.sender))] += amount;
    }
}
