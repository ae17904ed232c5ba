// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Registry {
    address public admin;
    mapping(bytes32 => address) public records;

    function register(bytes32 name, address target) external {
        require(records[name] == address(0), "taken");
        records[name] = target;
    }
}
