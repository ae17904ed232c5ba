// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IERC20 {
    function transfer(address to, uint256 amount) external returns (bool);
}

contract Treasury {
    address public beneficiary;
    IERC20 public token;
    uint256 public released;

    function release(uint256 amount) external {
        released += amount;
        token.transfer(beneficiary, amount);
    }
}
