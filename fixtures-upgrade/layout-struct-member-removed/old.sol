// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Lending {
    struct Position {
        uint256 collateral;
        uint256 debt;
        uint256 lastAccrual;
    }

    mapping(address => Position) public positions;

    function borrow(uint256 amount) external {
        positions[msg.sender].debt += amount;
        positions[msg.sender].lastAccrual = block.timestamp;
    }
}
