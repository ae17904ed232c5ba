// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Static composite return values: structs of value types and fixed-size arrays, laid out in place.
contract StaticReturns {
    struct Position { uint128 size; int64 entry; address owner; bool open; bytes4 tag; }
    mapping(uint256 => Position) public positions;
    uint64[3] public weights;

    function openPosition(uint256 id, uint128 size, int64 entry, bool open, bytes4 tag) external {
        positions[id] = Position(size, entry, msg.sender, open, tag);
    }

    function setWeight(uint256 i, uint64 w) external {
        weights[i] = w;
    }

    function getPosition(uint256 id) external view returns (Position memory) {
        return positions[id];
    }

    function grown(uint256 id, uint128 by) external view returns (Position memory p) {
        p = positions[id];
        p.size += by;
    }

    function twoPositions(uint256 a, uint256 b) external view returns (Position memory x, uint256 n, Position memory y) {
        return (positions[a], a ^ b, positions[b]);
    }

    function literal(int64 e) external view returns (uint8 tag, Position memory p) {
        tag = 1;
        p = Position({size: 5, entry: e, owner: msg.sender, open: e > 0, tag: 0x12345678});
    }

    function getWeights() external view returns (uint64[3] memory) {
        return weights;
    }

    function scaled(uint64 k) external view returns (uint256[2] memory out, uint64[3] memory w) {
        w = weights;
        out[0] = uint256(w[0]) * k;
        out[1] = w[1] + k;
    }
}
