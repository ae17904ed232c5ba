// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Config {
    address public admin;
    uint256 public domain;

    function setDomain(uint256 d) external {
        require(msg.sender == admin, "admin");
        domain = d;
    }
}
