// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Differential-harness contract: a checkpoint history read and written through an assembly element
/// accessor without the bounds check (the shape of OpenZeppelin's Checkpoints._unsafeAccess).
contract UnsafeAccess {
    struct Point {
        uint48 key;
        uint208 value;
    }

    struct History {
        Point[] points;
    }

    History private history;
    mapping(address => History) private perAccount;
    uint256[] private words;

    function _unsafeAccess(Point[] storage self, uint256 pos) private pure returns (Point storage result) {
        assembly {
            mstore(0, self.slot)
            result.slot := add(keccak256(0, 0x20), pos)
        }
    }

    function _insert(Point[] storage self, uint48 key, uint208 value) private returns (uint208, uint208) {
        uint256 pos = self.length;
        if (pos > 0) {
            Point memory last = _unsafeAccess(self, pos - 1);
            require(last.key <= key, "unordered");
            if (last.key == key) {
                _unsafeAccess(self, pos - 1).value = value;
            } else {
                self.push(Point({key: key, value: value}));
            }
            return (last.value, value);
        }
        self.push(Point({key: key, value: value}));
        return (0, value);
    }

    function push(uint48 key, uint208 value) external returns (uint208, uint208) {
        return _insert(history.points, key, value);
    }

    function pushFor(address who, uint48 key, uint208 value) external returns (uint208 before) {
        (before, ) = _insert(perAccount[who].points, key, value);
    }

    function latest() external view returns (uint208) {
        uint256 pos = history.points.length;
        return pos == 0 ? 0 : _unsafeAccess(history.points, pos - 1).value;
    }

    function at(uint256 pos) external view returns (uint48, uint208) {
        // Out-of-range positions read whatever the slot holds (no Panic): the accessor has no bounds check.
        Point storage p = _unsafeAccess(history.points, pos);
        return (p.key, p.value);
    }

    function latestFor(address who) external view returns (uint48 key) {
        Point[] storage ps = perAccount[who].points;
        if (ps.length > 0) key = _unsafeAccess(ps, ps.length - 1).key;
    }
}
