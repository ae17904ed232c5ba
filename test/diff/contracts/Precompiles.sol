// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Differential-harness contract: sha256, ripemd160 and ecrecover (precompiles 0x02, 0x03, 0x01).
contract Precompiles {
    bytes32 public lastDigest;
    address public lastSigner;

    event Digest(bytes20 short, bytes32 full);

    function digest(uint256 a, address b, bool c) external returns (bytes32 h) {
        h = sha256(abi.encodePacked(a, b, c));
        lastDigest = h;
    }

    function digestWords(uint128 a, int8 b) external pure returns (bytes32, bytes20) {
        return (sha256(abi.encode(a, b)), ripemd160(abi.encode(a, b)));
    }

    function literals() external returns (bytes32 s, bytes20 r) {
        s = sha256("patchproof");
        r = ripemd160(hex"00ff");
        emit Digest(r, s);
    }

    function recover(bytes32 hash, uint8 parity, bytes32 r, bytes32 s) external returns (address who) {
        who = ecrecover(hash, 27 + (parity & 1), r, s);
        require(who != address(0), "bad signature");
        lastSigner = who;
    }

    function recoverRaw(bytes32 hash, uint8 v, bytes32 r, bytes32 s) external pure returns (address) {
        return ecrecover(hash, v, r, s);
    }

    function commit(bytes32 salt, uint64 amount) external view returns (bool) {
        bytes memory preimage = abi.encodePacked(salt, amount, msg.sender);
        return sha256(preimage) == lastDigest;
    }
}
