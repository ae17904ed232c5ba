// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// #invariant totalSuply >= count;
contract Counter {
    uint256 public count;
    uint256 public totalSupply;

    function increment() external {
        count += 1;
    }
}
