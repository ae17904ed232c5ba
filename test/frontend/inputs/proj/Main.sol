// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {MathLib} from "./lib/MathLib.sol";
import {Base} from "./lib/Base.sol";

contract Main is Base {
    uint256 public total;

    function add(uint256 x) external {
        total = MathLib.sum(total, x);
    }
}
