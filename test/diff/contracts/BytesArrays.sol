// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// `bytes[] calldata` / `string[] calldata` parameters: decoding, `.length`, element reads with solc's
/// checks (offsets, lengths, Panic 0x32), elements used as calldata byte strings.
contract BytesArrays {
    event Named(uint256 indexed i, string name);
    event Payload(address target, uint256 value, bytes data);

    uint256 public total;

    function count(bytes[] calldata xs) external pure returns (uint256) {
        return xs.length;
    }

    function lenAt(bytes[] calldata xs, uint256 i) external pure returns (uint256) {
        return xs[i].length;
    }

    function hashAt(bytes[] calldata xs, uint256 i) external pure returns (bytes32) {
        return keccak256(xs[i]);
    }

    function byteAt(bytes[] calldata xs, uint256 i, uint256 j) external pure returns (bytes1) {
        return xs[i][j];
    }

    function elementOf(string[] calldata names, uint256 i) external pure returns (string memory) {
        return names[i];
    }

    function sumLengths(bytes[] calldata data) external returns (uint256 sum) {
        for (uint256 i = 0; i < data.length; i++) {
            bytes calldata d = data[i];
            sum += d.length;
        }
        total = sum;
    }

    function emitName(string[] calldata names, uint256 i) external {
        emit Named(i, names[i]);
    }

    function emitPayload(address target, uint256 value, bytes[] calldata payloads, uint256 i) external {
        emit Payload(target, value, payloads[i]);
    }

    function decodeAt(bytes[] calldata xs, uint256 i) external pure returns (address who, uint256 amount) {
        (who, amount) = abi.decode(xs[i], (address, uint256));
    }

    function viaInternal(bytes[] calldata xs, string calldata tag) external pure returns (uint256, bytes32) {
        return (_first(xs), keccak256(bytes(tag)));
    }

    function _first(bytes[] calldata xs) internal pure returns (uint256) {
        if (xs.length == 0) return 0;
        return xs[0].length;
    }

    function two(bytes[] calldata a, bytes[] calldata b, uint256 i) external pure returns (bool) {
        return keccak256(a[i]) == keccak256(b[i]);
    }
}
