// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// `bytes[] calldata` / `string[] calldata` parameters: decoding, `.length`, element reads with solc's
/// checks (offsets, lengths, Panic 0x32), elements used as calldata byte strings.
contract BytesArrays {
    event Named(uint256 indexed i, string name);
    event Payload(address target, uint256 value, bytes data);

    event CallScheduled(bytes32 indexed id, uint256 indexed index, address target, uint256 value, bytes data, bytes32 predecessor, uint256 delay);
    event Pair(bytes data, uint256 q);
    event Indexed(uint256 indexed q, address indexed target, bytes data, uint256 r);
    error BadPayload(uint256 index, bytes data, uint8 code);

    uint256 public total;

    function schedule(bytes32 id, address[] calldata targets, uint256[] calldata values, bytes[] calldata payloads, uint256 i) external {
        emit CallScheduled(id, i, targets[i], values[i], payloads[i], id, 5);
    }

    function pair(bytes[] calldata payloads, uint256 i, uint256 d) external {
        emit Pair(payloads[i], 100 / d);
    }

    function indexedOrder(address[] calldata targets, bytes[] calldata payloads, uint256 i, uint256 d) external {
        emit Indexed(100 / d, targets[i], payloads[i], 7 % d);
    }

    function postIncrement(bytes[] calldata payloads, uint256 i) external {
        emit Pair(payloads[i++], i);
    }

    function forward(address target, bytes[] calldata payloads, uint256 i) external returns (bool, uint256) {
        (bool ok, bytes memory result) = target.call(payloads[i]);
        return (ok, result.length);
    }

    function copied(string[] calldata names, uint256 i) external pure returns (uint256, bytes32) {
        bytes memory m = bytes(names[i]);
        return (_len(names[i]), keccak256(m));
    }

    function _len(string memory s) internal pure returns (uint256) {
        return bytes(s).length;
    }

    function operationId(address[] calldata targets, uint256[] calldata values, bytes[] calldata payloads, bytes32 predecessor, bytes32 salt) external pure returns (bytes32) {
        return keccak256(abi.encode(targets, values, payloads, predecessor, salt));
    }

    function payloadsId(bytes[] calldata payloads, uint8 tag) external pure returns (bytes32) {
        return keccak256(abi.encode(tag, payloads));
    }

    function namesId(string[] calldata names, uint256[] memory weights) external pure returns (bytes32) {
        return keccak256(abi.encode(names, weights, names));
    }

    function singleId(address target, uint256 value, bytes calldata data, bytes32 predecessor, bytes32 salt) external pure returns (bytes32) {
        return keccak256(abi.encode(target, value, data, predecessor, salt));
    }

    function elementId(bytes[] calldata xs, uint256 i, string calldata tag) external pure returns (bytes32) {
        return keccak256(abi.encode(xs[i], i, tag, xs));
    }

    function reject(bytes[] calldata payloads, uint256 i, uint256 code) external pure {
        revert BadPayload(i, payloads[i], uint8(code + 1));
    }

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
