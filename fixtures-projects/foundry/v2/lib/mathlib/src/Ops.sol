// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Checked arithmetic helpers shared by the project's contracts.
library Ops {
    function add(uint256 a, uint256 b) internal pure returns (uint256) {
        return a + b;
    }
}
