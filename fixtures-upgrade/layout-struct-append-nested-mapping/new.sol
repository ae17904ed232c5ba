// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Market {
    struct Order {
        address maker;
        uint96 price;
        uint256 amount;
        uint256 filled;
    }

    mapping(address => mapping(uint256 => Order)) public orders;
    uint256 public nextId;

    function place(uint96 price, uint256 amount) external returns (uint256 id) {
        id = nextId++;
        orders[msg.sender][id] = Order(msg.sender, price, amount, 0);
    }
}
