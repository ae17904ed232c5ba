// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

abstract contract Ownable {
    address internal _owner;
}

abstract contract Pausable {
    bool internal _paused;
    uint256 internal _pausedAt;
}

contract Vault is Pausable, Ownable {
    mapping(address => uint256) public balances;

    function deposit() external payable {
        require(!_paused, "paused");
        balances[msg.sender] += msg.value;
    }
}
