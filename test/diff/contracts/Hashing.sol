// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IToken {
    function transfer(address to, uint256 amount) external returns (bool);
}

/// Differential-harness contract: keccak256 over ABI encodings of value types, hashes as mapping keys.
contract Hashing {
    bytes32 public constant TYPEHASH = keccak256("Permit(address owner,uint256 nonce)");
    enum Kind { A, B, C }

    mapping(bytes32 => bool) public used;
    mapping(address => uint256) public nonces;
    Kind public kind;

    event Hashed(bytes32 indexed h, bytes32 packed);

    function encoded(address owner, uint256 nonce) external pure returns (bytes32) {
        return keccak256(abi.encode(TYPEHASH, owner, nonce));
    }

    function packed(address a, uint8 b, int16 c, bool d, bytes3 e) external pure returns (bytes32, bytes32) {
        return (keccak256(abi.encodePacked(a, b, c, d, e)), keccak256(abi.encode(a, b, c, d, e)));
    }

    function literals(uint64 x) external pure returns (bytes32, bytes32, bytes32) {
        return (
            keccak256(abi.encodePacked("prefix:", x, hex"beef")),
            keccak256(abi.encode(1, -1, x)),
            keccak256(abi.encodePacked("a long literal that spans more than thirty-two bytes", x))
        );
    }

    function selectors(address to, uint256 amount) external pure returns (bytes32, bytes32, bytes32) {
        return (
            keccak256(abi.encodeWithSelector(IToken.transfer.selector, to, amount)),
            keccak256(abi.encodeWithSignature("transfer(address,uint256)", to, amount)),
            keccak256(abi.encodeCall(IToken.transfer, (to, 7)))
        );
    }

    function consume(address owner) external returns (bytes32 digest) {
        uint256 n = nonces[owner]++;
        digest = keccak256(abi.encode(TYPEHASH, owner, n));
        require(!used[digest], "replayed");
        used[digest] = true;
        emit Hashed(digest, keccak256(abi.encodePacked(owner, n)));
    }

    function withEnum() external view returns (bytes32) {
        return keccak256(abi.encode(kind, msg.sender));
    }

    function checkedArg(uint8 a, uint8 b) external pure returns (bytes32) {
        return keccak256(abi.encodePacked(a + b, a * b));
    }

    function emptyHash() external pure returns (bytes32) {
        return keccak256(abi.encodePacked());
    }
}
