// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Pool {
    uint128 public reserve0;
    uint64 public lastSync;
    uint256 public kLast;

    function sync(uint128 a) external {
        reserve0 = a;
        lastSync = uint64(block.timestamp);
    }
}
