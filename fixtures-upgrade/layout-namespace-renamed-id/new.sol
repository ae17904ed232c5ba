// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Vault {
    /// @custom:storage-location erc7201:patchproof.vault.v2
    struct MainStorage {
        address owner;
        uint256 totalDeposits;
        mapping(address => uint256) balances;
    }

    // keccak256(abi.encode(uint256(keccak256("patchproof.vault.v2")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant MAIN_STORAGE_LOCATION = 0x13a419f3896e8dd184530df8970455e3583a3741500ff5f37fe9e90a567a2600;

    function _main() private pure returns (MainStorage storage $) {
        assembly {
            $.slot := MAIN_STORAGE_LOCATION
        }
    }

    function deposit() external payable {
        MainStorage storage $ = _main();
        $.balances[msg.sender] += msg.value;
        $.totalDeposits += msg.value;
    }
}
