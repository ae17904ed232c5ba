// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Vault {
    /// @custom:storage-location erc7201:patchproof.vault.main
    struct MainStorage {
        address owner;
        uint256 feeBps;
        uint256 totalDeposits;
        mapping(address => uint256) balances;
    }

    // keccak256(abi.encode(uint256(keccak256("patchproof.vault.main")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant MAIN_STORAGE_LOCATION = 0x87215b2b51f315f60119c79e8d76bd46bae9955774748b932779e9bab33cb500;

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
