// SPDX-License-Identifier: MIT
pragma solidity 0.7.6;

/// Storage arrays of value types under solc 0.7: out-of-range indexes and `pop()` on an empty array
/// execute INVALID (Panic 0x32 / 0x31 in 0.8); push, length and the getters as in 0.8.
contract Pre07Arrays {
    uint256[] public amounts;
    address[] public members;
    uint8[] public levels;
    uint64[4] public slots;
    mapping(address => uint256[]) internal history;

    function addAmount(uint256 a) external returns (uint256) {
        amounts.push(a);
        return amounts.length;
    }

    function amountAt(uint256 i) external view returns (uint256) {
        return amounts[i];
    }

    function bumpAmount(uint256 i, uint256 by) external {
        amounts[i] += by;
    }

    function removeLast() external returns (uint256) {
        amounts.pop();
        return amounts.length;
    }

    function join(address who, uint8 level) external {
        members.push(who);
        levels.push(level);
    }

    function swapRemove(uint256 i) external {
        uint256 last = members.length - 1;
        members[i] = members[last];
        members.pop();
        levels[i] = levels[last];
        levels.pop();
    }

    function setSlot(uint256 i, uint64 v) external returns (uint64) {
        slots[i] = v;
        return slots[(i + 1) % 4];
    }

    function clearAll(bool levelsToo) external returns (uint256) {
        delete amounts;
        if (levelsToo) delete levels;
        delete slots;
        return amounts.length + levels.length;
    }

    function grow() external returns (uint256) {
        amounts.push();
        delete members[0];
        return amounts[amounts.length - 1];
    }

    function record(uint256 v) external returns (uint256) {
        uint256[] storage h = history[msg.sender];
        h.push(v);
        return h[h.length - 1] + h.length;
    }
}
