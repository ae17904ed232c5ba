// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Ops} from "mathlib/Ops.sol";

contract Counter {
    uint256 public count;
    address public owner;

    constructor() {
        owner = msg.sender;
    }

    function increment(uint256 by) external {
        count = Ops.add(count, by);
    }

    function reset() external {
        require(msg.sender == owner, "not owner");
        count = 0;
    }
}
