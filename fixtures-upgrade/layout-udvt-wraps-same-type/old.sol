// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Oracle {
    address public reporter;
    uint256 public lastPrice;

    function price() external view returns (uint256) {
        return lastPrice;
    }
}
