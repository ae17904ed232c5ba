// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

library Ops {
    function mul(uint208 a, uint208 b) internal pure returns (uint208) {
        return a * b;
    }
}

/// Internal function pointers passed as arguments (OpenZeppelin Votes' `_push(store, _add, delta)`).
abstract contract VotesBase {
    mapping(address => uint208) internal power;
    uint208 public total;

    event Moved(address indexed who, uint208 before, uint208 next);

    function _add(uint208 a, uint208 b) internal pure virtual returns (uint208) {
        return a + b;
    }

    function _subtract(uint208 a, uint208 b) internal pure returns (uint208) {
        return a - b;
    }

    function _push(address who, function(uint208, uint208) view returns (uint208) op, uint208 delta) internal returns (uint208, uint208) {
        uint208 before = power[who];
        uint208 next = op(before, delta);
        power[who] = next;
        emit Moved(who, before, next);
        return (before, next);
    }

    /// `_add` named in the base contract: the pointer still denotes the most derived override.
    function _mintBase(address to, uint208 amount) internal returns (uint208 next) {
        (, next) = _push(to, _add, amount);
    }

    function _pushBoth(address from, address to, function(uint208, uint208) view returns (uint208) op, uint208 delta) internal {
        // The pointer passed on to another internal function.
        _push(from, _subtract, delta);
        _push(to, op, delta);
    }
}

contract FnPointers is VotesBase {
    // The pointer to `_add` denotes this override (virtual dispatch).
    function _add(uint208 a, uint208 b) internal pure override returns (uint208) {
        return a + b + 1;
    }

    function _capped(uint208 a, uint208 b) internal view returns (uint208) {
        uint208 s = a + b;
        return s > total ? total : s;
    }

    function mint(address to, uint208 amount) external returns (uint208 before, uint208 next) {
        (before, next) = _push(to, _add, amount);
        total += amount;
    }

    function mintViaBase(address to, uint208 amount) external returns (uint208) {
        return _mintBase(to, amount);
    }

    function burn(address from, uint208 amount) external {
        _push(from, _subtract, amount);
        total -= amount;
    }

    function move(address from, address to, uint208 amount, bool capped) external {
        if (capped) _pushBoth(from, to, _capped, amount);
        else _pushBoth(from, to, _add, amount);
    }

    function scale(address who, uint208 factor) external returns (uint208) {
        (, uint208 next) = _push(who, Ops.mul, factor);
        return next;
    }

    function powerOf(address who) external view returns (uint208) {
        return power[who];
    }
}
