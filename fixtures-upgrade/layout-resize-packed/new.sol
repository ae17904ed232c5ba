// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Pool {
    uint112 public reserve0;
    uint128 public reserve1;
    uint256 public kLast;

    function sync(uint112 a, uint128 b) external {
        reserve0 = a;
        reserve1 = b;
    }
}
