// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// `x.f(a)` with `using L for uint256` evaluates a before x (an internal call's arguments come before its
/// function expression in solc's legacy code generator); `L.f(x, a)` goes left to right.
library Checks {
    function plus(uint256 a, uint256 b) internal pure returns (uint256) {
        return a + b;
    }

    function receiver(uint256 a) internal pure returns (uint256) {
        require(a < 100, "receiver");
        return a;
    }

    function argument(uint256 a) internal pure returns (uint256) {
        require(a < 100, "argument");
        return a;
    }
}

contract BoundCallOrder {
    using Checks for uint256;

    mapping(address => uint256) public counts;

    function bound(uint256 x, uint256 y) external pure returns (uint256) {
        return x.receiver().plus(y.argument());
    }

    function direct(uint256 x, uint256 y) external pure returns (uint256) {
        return Checks.plus(x.receiver(), y.argument());
    }

    function sideEffects(uint256 y) external returns (uint256) {
        return counts[msg.sender].plus(bump(y));
    }

    function bump(uint256 y) internal returns (uint256) {
        counts[msg.sender] += 1;
        return y % 7;
    }
}
