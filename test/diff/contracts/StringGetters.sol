// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Differential-harness contract: getters of `string`/`bytes` state variables (short and long
/// storage forms, corrupt encodings that panic with 0x22) and of byte-array constants.
contract StringGetters {
    string public name;
    uint8 public decimals;
    string public symbol;
    bytes public blob;
    string public constant VERSION = "1";
    string public constant LONG_NOTICE = "This contract is a test fixture for string getters; do not use it.";
    bytes public constant MAGIC = hex"deadbeef";
    uint256 public total;

    function displayName() public view virtual returns (string memory) {
        return name;
    }

    function rawBlob() external view returns (bytes memory) {
        return blob;
    }

    function version() external pure returns (string memory) {
        return VERSION;
    }
}
