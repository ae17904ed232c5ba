// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// A shared counter with an owner-only reset.
contract Counter {
    uint256 public count;
    address public owner;

    event Changed(uint256 newCount);

    function increment() external {
        count += 1;
        emit Changed(count);
    }

    function reset() external {
        require(msg.sender == owner, "not owner");
        count = 0;
        emit Changed(0);
    }
}
