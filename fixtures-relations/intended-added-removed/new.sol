// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// A shared counter: reset() is gone, decrement() is new.
contract Counter {
    uint256 public count;
    address public owner;

    event Changed(uint256 newCount);

    function increment() external {
        count += 1;
        emit Changed(count);
    }

    function decrement() external {
        count -= 1;
        emit Changed(count);
    }
}
