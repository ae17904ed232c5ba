// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

// A direct (root-relative) import: solc must name it exactly as the relative import in Main.sol does.
import {Base} from "lib/Base.sol";

library MathLib {
    function sum(uint256 a, uint256 b) internal pure returns (uint256) {
        return a + b;
    }
}
