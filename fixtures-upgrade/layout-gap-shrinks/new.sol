// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

abstract contract OwnableBase {
    address internal _owner;
    address internal _pendingOwner;
    uint256 internal _ownershipDeadline;
    uint256[47] private __gap;
}

abstract contract PausableBase is OwnableBase {
    bool internal _paused;
    uint256[49] private __gap;
}

contract Vault is PausableBase {
    mapping(address => uint256) public balances;

    function deposit() external payable {
        require(!_paused, "paused");
        balances[msg.sender] += msg.value;
    }
}
