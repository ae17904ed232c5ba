// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Storage arrays of value types narrower than 17 bytes, several elements per slot: push, pop (which
/// zeroes the element's bytes), indexed reads and writes, delete of an element and of a fixed-size
/// array, lengths, in mappings and structs, and the public getters.
contract PackedArrays {
    struct Slots {
        uint16[3] weights;
        bool active;
        uint8[] tags;
    }

    uint8[] public levels;
    bool[] public flags;
    uint128[] public amounts;
    int16[] public deltas;
    bytes4[] public selectors;
    uint32[5] public window;
    uint24[12] public small;
    mapping(address => uint64[]) public history;
    mapping(uint256 => Slots) internal slots;

    function pushLevel(uint8 x) external { levels.push(x); }
    function pushEmptyLevel() external { levels.push(); }
    function popLevel() external { levels.pop(); }
    function setLevel(uint256 i, uint8 x) external { levels[i] = x; }
    function bumpLevel(uint256 i) external { levels[i] += 1; }
    function deleteLevel(uint256 i) external { delete levels[i]; }
    function levelCount() external view returns (uint256) { return levels.length; }

    function pushFlag(bool f) external { flags.push(f); }
    function popFlag() external { flags.pop(); }
    function toggle(uint256 i) external { flags[i] = !flags[i]; }

    function pushAmount(uint128 a) external { amounts.push(a); }
    function popAmount() external returns (uint256) { uint128 last = amounts[amounts.length - 1]; amounts.pop(); return last; }
    function addAmount(uint256 i, uint128 a) external { amounts[i] += a; }

    function pushDelta(int16 d) external { deltas.push(d); }
    function negate(uint256 i) external { deltas[i] = -deltas[i]; }

    function pushSelector(bytes4 s) external { selectors.push(s); }
    function setSelector(uint256 i, bytes4 s) external { selectors[i] = s; }

    function setWindow(uint256 i, uint32 v) external { window[i] = v; }
    function shiftWindow(uint32 v) external {
        window[0] = window[1];
        window[4] = v;
    }
    function clearWindow() external { delete window; }
    function setSmall(uint256 i, uint24 v) external { small[i] = v; }
    function smallSum() external view returns (uint256 s) { s = uint256(small[0]) + small[10] + small[11]; }

    function record(uint64 v) external { history[msg.sender].push(v); }
    function rewrite(address who, uint256 i, uint64 v) external { history[who][i] = v; }
    function forget(address who) external { history[who].pop(); }

    function setWeight(uint256 id, uint256 i, uint16 w) external { slots[id].weights[i] = w; }
    function weight(uint256 id, uint256 i) external view returns (uint16) { return slots[id].weights[i]; }
    function tag(uint256 id, uint8 t) external { slots[id].tags.push(t); slots[id].active = true; }
    function tagAt(uint256 id, uint256 i) external view returns (uint8) { return slots[id].tags[i]; }
}
