// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Differential-harness contract: keccak256 of `string`/`bytes` values (calldata, memory, storage,
/// mapping entries, literals and constants), through bytes(..), abi.encodePacked and abi.encode, and
/// string equality by hash.
contract StringHashes {
    string public name;
    mapping(uint256 => string) public labels;
    mapping(bytes32 => bool) public seen;
    bytes32 public last;

    bytes32 public constant ADMIN = keccak256("ADMIN");
    string constant OPERATOR = "OPERATOR";

    event Hashed(bytes32 h, bool admin);

    function hashName() external view returns (bytes32, bytes32, bytes32) {
        return (keccak256(bytes(name)), keccak256(abi.encodePacked(name)), keccak256(abi.encode(name)));
    }

    function hashArg(string calldata s) external returns (bytes32) {
        bytes32 h = keccak256(bytes(s));
        seen[h] = true;
        last = keccak256(abi.encode(s));
        emit Hashed(h, h == ADMIN);
        return h;
    }

    function isRole(string memory role) public pure returns (bool admin, bool operator) {
        admin = keccak256(bytes(role)) == keccak256(bytes("ADMIN"));
        operator = keccak256(abi.encodePacked(role)) == keccak256(abi.encodePacked(OPERATOR));
    }

    function sameAsName(string calldata s) external view returns (bool) {
        return keccak256(bytes(s)) == keccak256(bytes(name));
    }

    function setAndHash(uint256 id, string calldata s) external returns (bytes32) {
        labels[id] = s;
        return keccak256(abi.encode(labels[id]));
    }

    function hashLabel(uint256 id, bytes calldata extra) external view returns (bool) {
        return keccak256(bytes(labels[id])) == keccak256(extra);
    }

    modifier onlyRole(string memory role) {
        require(seen[keccak256(bytes(role))], role);
        _;
    }

    function guarded(uint256 x) external onlyRole("OPERATOR") returns (uint256) {
        last = bytes32(x);
        return x + 1;
    }
}
