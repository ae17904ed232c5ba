// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

type Price is uint256;

contract Oracle {
    address public reporter;
    Price public lastPrice;

    function price() external view returns (uint256) {
        return Price.unwrap(lastPrice);
    }
}
