// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Copies into dynamic storage arrays of whole-word elements: from another storage array and from
/// calldata and memory parameters, old tails cleared (checked against the EVM by the differential harness).
contract ArrayCopies {
    struct Snapshot {
        uint64 takenAt;
        uint256[] balances;
    }

    uint256[] public current;
    uint256[] public previous;
    bytes32[] public roots;
    mapping(uint256 => int256[]) public deltas;
    mapping(uint256 => Snapshot) internal snapshots;

    function rotate() external returns (uint256) {
        previous = current;
        return previous.length;
    }

    function setCurrent(uint256[] calldata xs) external {
        current = xs;
    }

    function setRoots(bytes32[] memory rs) external returns (uint256) {
        roots = rs;
        return roots.length;
    }

    function setDeltas(uint256 id, int256[] calldata ds) external {
        deltas[id] = ds;
    }

    function snapshot(uint256 id) external {
        snapshots[id].takenAt = uint64(block.timestamp);
        snapshots[id].balances = current;
    }

    function restore(uint256 id) external {
        current = snapshots[id].balances;
    }

    function snapshotAt(uint256 id, uint256 i) external view returns (uint64, uint256, uint256) {
        Snapshot storage s = snapshots[id];
        return (s.takenAt, s.balances.length, s.balances[i]);
    }
}
