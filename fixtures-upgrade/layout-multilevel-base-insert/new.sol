// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

abstract contract Ownable {
    address internal _owner;
}

abstract contract Pausable is Ownable {
    bool internal _paused;
    address internal _pauser;
}

contract Vault is Pausable {
    uint256 public totalDeposits;
    mapping(address => uint256) public balances;

    function deposit() external payable {
        require(!_paused, "paused");
        balances[msg.sender] += msg.value;
        totalDeposits += msg.value;
    }
}
