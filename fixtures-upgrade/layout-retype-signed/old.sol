// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Oracle {
    address public reporter;
    uint256 public lastPrice;
    uint64 public updatedAt;

    function report(uint256 price) external {
        require(msg.sender == reporter, "not reporter");
        lastPrice = price;
        updatedAt = uint64(block.timestamp);
    }
}
