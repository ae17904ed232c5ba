// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Differential-harness contract: packed slots, bools, nested mappings with unusual key types.
contract PackedState {
    bool public flagA;
    uint8 public level;
    address public keeper;
    bool public flagB;
    uint32 public stamp;
    uint64 public big;
    int24 public tick;
    bytes4 public tag;
    mapping(uint8 => mapping(int16 => uint64)) public grid;
    mapping(bytes4 => bool) public seen;
    mapping(bool => int32) public byFlag;
    mapping(address => mapping(address => bool)) public approved;

    event Stamped(address indexed by, uint32 stamp, bool flag);

    function toggle() external returns (bool) {
        flagA = !flagA;
        flagB = flagA && !flagB;
        return flagB;
    }

    function bump(uint8 by) external {
        level += by;
        stamp = uint32(block.timestamp);
        emit Stamped(msg.sender, stamp, flagA);
    }

    function setKeeper(address k) external {
        require(msg.sender == keeper || keeper == address(0), "not keeper");
        keeper = k;
        delete level;
    }

    function setGrid(uint8 x, int16 y, uint64 v) external returns (uint64 old) {
        old = grid[x][y];
        grid[x][y] = v + old;
        big = v;
    }

    function moveTick(int24 d) external returns (int24) {
        tick -= d;
        tick++;
        return tick;
    }

    function mark(bytes4 t) external returns (bool was) {
        was = seen[t];
        seen[t] = true;
        tag = t;
        byFlag[was] += 1;
    }

    function approve(address other, bool ok) external {
        approved[msg.sender][other] = ok;
    }

    function check(address owner, address other) external view returns (bool, bool) {
        return (approved[owner][other], approved[other][owner]);
    }

    function all() external view returns (bool, uint8, address, bool, uint32, uint64, int24, bytes4) {
        return (flagA, level, keeper, flagB, stamp, big, tick, tag);
    }
}
