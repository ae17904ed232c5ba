// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Differential-harness contract: internal functions returning memory structs of value-type members
/// (OpenZeppelin's `Checkpoints.at`, `ERC20Votes._checkpoints`), copied by the caller.
contract StructCalls {
    struct Point {
        uint48 key;
        uint208 value;
    }

    struct Position {
        address owner;
        uint128 size;
        int64 bias;
        bool open;
    }

    Point[] private points;
    mapping(uint256 => Position) private positions;
    uint256 public reads;

    function add(uint48 key, uint208 value) external {
        points.push(Point(key, value));
    }

    function open(uint256 id, uint128 size, int64 bias) external {
        positions[id] = Position(msg.sender, size, bias, true);
    }

    function _at(uint256 pos) internal view returns (Point memory) {
        return points[pos];
    }

    function _checkpoint(uint256 pos) internal view returns (Point memory p) {
        p = _at(pos);
    }

    function _position(uint256 id) internal returns (Position memory p) {
        reads++;
        p = positions[id];
        if (!p.open) p.size = 0;
    }

    function _fresh(uint48 key) internal pure returns (Point memory) {
        return Point(key, uint208(key) * 2);
    }

    function checkpoint(uint256 pos) external view returns (Point memory) {
        return _checkpoint(pos);
    }

    function position(uint256 id) external returns (Position memory) {
        return _position(id);
    }

    function sizeOf(uint256 id) external returns (uint128) {
        Position memory p = _position(id);
        return p.size;
    }

    function latestKey() external view returns (uint48) {
        Point memory last = _at(points.length - 1);
        return last.key;
    }

    function fresh(uint48 key) external pure returns (uint208) {
        Point memory p = _fresh(key);
        p.value += 1;
        return p.value;
    }

    function reassigned(uint256 id, uint256 other) external returns (uint128, uint256) {
        Position memory p = _position(id);
        p = _position(other);
        return (p.size, reads);
    }

    function keyAt(uint256 pos) external view returns (uint48) {
        return _at(pos).key;
    }

    function sameKey(uint256 a, uint256 b) external view returns (bool) {
        return _at(a).key == _at(b).key;
    }

    function touch(uint256 id) external returns (uint256) {
        _position(id);
        return reads;
    }

    function store(uint48 key) external {
        points.push(_fresh(key));
    }
}
