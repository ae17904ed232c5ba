// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Differential-harness contract: blockhash(n) inside and outside the last 256 blocks.
contract BlockHashes {
    uint256 public committedBlock;
    bytes32 public seed;

    function commit() external {
        committedBlock = block.number;
    }

    function reveal() external returns (bytes32 h) {
        h = blockhash(committedBlock);
        require(h != bytes32(0), "expired");
        seed = keccak256(abi.encode(h, msg.sender));
    }

    function recent(uint8 back) external view returns (bytes32) {
        return blockhash(block.number - 1 - back);
    }

    function at(uint256 n) external view returns (bytes32, bool) {
        bytes32 h = blockhash(n);
        return (h, h == blockhash(n + 1));
    }

    function window() external view returns (bytes32 oldest, bytes32 beyond, bytes32 current) {
        oldest = blockhash(block.number - 256);
        beyond = blockhash(block.number - 257);
        current = blockhash(block.number);
    }
}
