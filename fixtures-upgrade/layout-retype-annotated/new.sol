// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Config {
    address public admin;
    /// @custom:oz-retyped-from uint256
    bytes32 public domain;

    function setDomain(bytes32 d) external {
        require(msg.sender == admin, "admin");
        domain = d;
    }
}
