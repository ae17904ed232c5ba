// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IERC20 {
    function transfer(address to, uint256 amount) external returns (bool);
}

contract Treasury {
    address payable public beneficiary;
    address public token;
    uint256 public released;

    function release(uint256 amount) external {
        released += amount;
        IERC20(token).transfer(beneficiary, amount);
    }
}
