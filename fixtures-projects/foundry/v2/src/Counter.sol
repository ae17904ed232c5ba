// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Ops} from "mathlib/Ops.sol";

contract Counter {
    uint256 public count;
    address public owner;

    constructor() {
        owner = msg.sender;
    }

    /// Refactored: the same checked addition, written inline.
    function increment(uint256 by) external {
        count += by;
    }

    /// The owner check was dropped: anyone can reset.
    function reset() external {
        count = 0;
    }
}
