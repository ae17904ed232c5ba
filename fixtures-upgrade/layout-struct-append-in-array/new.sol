// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Queue {
    struct Request {
        address requester;
        uint256 amount;
        uint256 deadline;
    }

    Request[] public requests;
    uint256 public head;

    function enqueue(uint256 amount) external {
        requests.push(Request(msg.sender, amount, block.timestamp + 1 days));
    }
}
