// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Lending {
    struct Position {
        uint256 collateral;
        uint256 debt;
        uint64 openedAt;
    }

    address public owner;
    mapping(address => Position) public positions;
    uint256 public totalDebt;

    function borrow(uint256 amount) external {
        Position storage p = positions[msg.sender];
        if (p.openedAt == 0) p.openedAt = uint64(block.timestamp);
        p.debt += amount;
        totalDebt += amount;
    }
}
