// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract First {
    function one() external pure returns (uint256) { return 1; }
}

contract Second is First {
    function two() external pure returns (uint256) { return 2; }
}

abstract contract Third {}

interface IFourth {
    function four() external;
}

library Fifth {}
