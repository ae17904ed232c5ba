// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Lending {
    struct Position {
        uint256 collateral;
        uint256 debt;
    }

    address public owner;
    mapping(address => Position) public positions;
    uint256 public totalDebt;

    function borrow(uint256 amount) external {
        positions[msg.sender].debt += amount;
        totalDebt += amount;
    }
}
