// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Differential-harness contract: digests hashed in inline assembly from words just stored to scratch
/// memory (OpenZeppelin MessageHashUtils / ECDSA, EIP-191 and EIP-712).
contract ScratchHashes {
    bytes32 public lastDigest;
    uint256[] private pad;

    function ethSigned(bytes32 messageHash) external pure returns (bytes32 digest) {
        assembly {
            mstore(0x00, "\x19Ethereum Signed Message:\n32")
            mstore(0x1c, messageHash)
            digest := keccak256(0x00, 0x3c)
        }
    }

    function typedV5(bytes32 domainSeparator, bytes32 structHash) public pure returns (bytes32 digest) {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, hex"19_01")
            mstore(add(ptr, 0x02), domainSeparator)
            mstore(add(ptr, 0x22), structHash)
            digest := keccak256(ptr, 0x42)
        }
    }

    function typedV4(bytes32 domainSeparator, bytes32 structHash) external returns (bytes32 data) {
        // Memory allocated before and after the scratch use: Solidity's own memory is untouched.
        uint256[] memory xs = new uint256[](2);
        xs[1] = uint256(structHash);
        assembly {
            let ptr := mload(0x40)
            mstore(ptr, "\x19\x01")
            mstore(add(ptr, 0x02), domainSeparator)
            mstore(add(ptr, 0x22), structHash)
            data := keccak256(ptr, 0x42)
        }
        uint256[] memory ys = new uint256[](1);
        lastDigest = bytes32(xs[1] + ys[0] + uint256(data) % 7);
    }

    function pair(uint256 a, bytes32 b) external pure returns (bytes32 h) {
        assembly {
            mstore(0x00, a)
            mstore(0x20, b)
            h := keccak256(0x00, 0x40)
        }
    }

    function constantOnly() external pure returns (bytes32 h) {
        assembly {
            mstore(0x00, 0x1234)
            mstore(0x10, "ab")
            h := keccak256(0x0e, 0x04)
        }
    }

    function sameAsPacked(bytes32 d, bytes32 s) external pure returns (bool) {
        return typedV5(d, s) == keccak256(abi.encodePacked(hex"1901", d, s));
    }
}
