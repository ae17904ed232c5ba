// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Auction {
    struct Bid {
        address bidder;
        uint256 amount;
        uint256 placedAt;
    }

    Bid public highest;
    uint256 public endsAt;

    function bid() external payable {
        require(msg.value > highest.amount, "low");
        highest = Bid(msg.sender, msg.value, block.timestamp);
    }
}
