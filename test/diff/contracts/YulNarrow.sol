// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Differential-harness contract: pure-arithmetic inline assembly reading Solidity variables narrower
/// than 256 bits where their stack word is clean — entry-point parameters, locals initialised from
/// storage, mappings, checked arithmetic, comparisons, masks, msg.sender — of every narrow kind
/// (uintN, intN, address, bool, bytesN, enum).
/// OpenZeppelin 5.1 SafeCast.toUint and Math's rounding helpers built on it.
library SafeCastLike {
    function toUint(bool b) internal pure returns (uint256 u) {
        assembly {
            u := iszero(iszero(b))
        }
    }
}

library MathLike {
    enum Rounding {
        Floor,
        Ceil,
        Trunc,
        Expand
    }

    function unsignedRoundsUp(Rounding rounding) internal pure returns (bool) {
        return uint8(rounding) % 2 == 1;
    }

    function mulDiv(uint256 x, uint256 y, uint256 denominator, Rounding rounding) internal pure returns (uint256) {
        return x * y / denominator + SafeCastLike.toUint(unsignedRoundsUp(rounding) && mulmod(x, y, denominator) > 0);
    }

    /// Solady-style branchless select on a bool parameter.
    function ternary(bool condition, uint256 a, uint256 b) internal pure returns (uint256 z) {
        assembly {
            z := xor(b, mul(xor(a, b), condition))
        }
    }

    function low(address a, uint16 bits) internal pure returns (uint256 r) {
        assembly {
            r := and(a, sub(shl(bits, 1), 1))
        }
    }
}

contract YulNarrow {
    enum Side {
        Buy,
        Sell,
        Cancel
    }

    uint8 public decimals;
    int16 public tick;
    bool public paused;
    address public owner;
    bytes4 public tag;
    Side public side;
    mapping(address => uint96) public nonces;
    mapping(uint256 => mapping(address => bool)) public approved;

    function params(uint8 a, int16 b, address c, bool d, bytes4 e, Side f) external pure returns (uint256 r, uint256 s, uint256 t) {
        assembly {
            r := add(mul(a, 1000), f)
            s := add(signextend(1, b), sar(4, b))
            t := xor(xor(c, d), shr(224, e))
        }
    }

    function signedParam(int8 x, int64 y) external pure returns (int256 r, uint256 neg) {
        assembly {
            r := sdiv(x, 3)
            neg := slt(y, 0)
        }
    }

    function stored() external view returns (uint256 r, uint256 s, uint256 t) {
        uint8 dec = decimals;
        int16 tk = tick;
        bytes4 tg = tag;
        Side sd = side;
        assembly {
            r := add(exp(10, dec), sd)
            s := sar(1, tk)
            t := shr(192, tg)
        }
    }

    function storedAddress() external view returns (uint256 r) {
        bool p = !paused;
        address o = owner;
        assembly {
            r := add(shl(8, o), p)
        }
    }

    function mapped(address who, uint256 id) external view returns (uint256 r) {
        uint96 n = nonces[who];
        bool ok = approved[id][who] == true;
        address sender = msg.sender;
        assembly {
            r := add(add(n, ok), sender)
        }
    }

    function checked(uint8 a, uint8 b, int16 c) external pure returns (uint256 r, int256 s) {
        uint8 sum = a + b;
        uint8 prod = a * 3;
        uint8 q = a / (b | 1);
        uint8 m = a % (b | 1);
        int16 diff = c - 7;
        bool less = a < b;
        uint8 masked = (a & b) ^ (a | 0x0f);
        assembly {
            r := add(add(add(sum, prod), add(q, m)), add(less, masked))
            s := diff
        }
    }

    function copied(uint16 a) external pure returns (uint256 r) {
        uint16 b = a;
        uint16 c = (b);
        assembly {
            r := mul(c, 2)
        }
    }

    function rounding(uint256 x, uint256 y, uint256 d, uint8 mode) external pure returns (uint256) {
        return MathLike.mulDiv(x, y, d, MathLike.Rounding(mode % 4));
    }

    function selects(uint256 a, uint256 b, bool c, uint8 k) external view returns (uint256, uint256, uint256) {
        return (MathLike.ternary(c, a, b), MathLike.ternary(a > b || k == 3, a, b), MathLike.low(msg.sender, uint16(k) + 1));
    }

    /// A clean narrow read next to a 256-bit variable written from assembly.
    function mixed(uint32 a, uint256 w) external pure returns (uint256) {
        assembly {
            w := add(w, a)
        }
        return w;
    }
}
