// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Counter {
    uint256 public count;

    /// #if_succeeds count == old(count) + ;
    function increment() external {
        count += 1;
    }
}
