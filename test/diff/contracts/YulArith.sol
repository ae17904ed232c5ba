// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Differential-harness contract: pure-arithmetic inline assembly (the modelled Yul subset) — a
/// full-precision mulDiv, WAD/RAY fixed-point helpers, and every pure EVM builtin on edge inputs.
contract YulArith {
    uint256 internal constant WAD = 1e18;
    uint256 internal constant HALF_WAD = 0.5e18;
    uint256 internal constant RAY = 1e27;
    uint256 internal constant HALF_RAY = 0.5e27;
    uint8 internal constant LOW_BITS = 200;

    error MathOverflow();

    /// floor(x * y / d) with a 512-bit intermediate product; reverts when d == 0 or the result overflows.
    function mulDivDown(uint256 x, uint256 y, uint256 d) public pure returns (uint256 result) {
        uint256 lo;
        uint256 hi;
        assembly {
            let mm := mulmod(x, y, not(0))
            lo := mul(x, y)
            hi := sub(sub(mm, lo), lt(mm, lo))
        }
        if (hi == 0) return lo / d;
        if (d <= hi) revert MathOverflow();
        uint256 rem;
        assembly {
            rem := mulmod(x, y, d)
            hi := sub(hi, gt(rem, lo))
            lo := sub(lo, rem)
        }
        uint256 twos = d & (0 - d);
        assembly {
            d := div(d, twos)
            lo := div(lo, twos)
            twos := add(div(sub(0, twos), twos), 1)
        }
        lo |= hi * twos;
        uint256 inv = (3 * d) ^ 2;
        unchecked {
            inv *= 2 - d * inv;
            inv *= 2 - d * inv;
            inv *= 2 - d * inv;
            inv *= 2 - d * inv;
            inv *= 2 - d * inv;
            inv *= 2 - d * inv;
            result = lo * inv;
        }
    }

    function wadMul(uint256 a, uint256 b) external pure returns (uint256 c) {
        assembly {
            if iszero(or(iszero(b), iszero(gt(a, div(sub(not(0), HALF_WAD), b))))) {
                revert(0, 0)
            }
            c := div(add(mul(a, b), HALF_WAD), WAD)
        }
    }

    function rayDiv(uint256 a, uint256 b) external pure returns (uint256 c) {
        assembly {
            if or(iszero(b), iszero(iszero(gt(a, div(sub(not(0), div(b, 2)), RAY))))) {
                revert(0, 0)
            }
            c := div(add(mul(a, RAY), div(b, 2)), b)
        }
    }

    function unsignedOps(uint256 a, uint256 b, uint256 n) external pure returns (uint256 q, uint256 r, uint256 am, uint256 mm, uint256 e, uint256 bits) {
        assembly {
            q := div(a, b)
            r := mod(a, b)
            am := addmod(a, b, n)
            mm := mulmod(a, b, n)
            e := exp(a, and(b, 7))
            bits := xor(or(and(a, b), not(n)), byte(and(n, 63), a))
        }
    }

    function shifts(uint256 s, uint256 v, int256 x) external pure returns (uint256 l, uint256 r, int256 ar, uint256 bt) {
        assembly {
            l := shl(s, v)
            r := shr(and(s, 0x1ff), v)
            ar := sar(and(s, 0x1ff), x)
            bt := byte(s, v)
        }
    }

    function signedOps(int256 a, int256 b) external pure returns (int256 q, int256 r, uint256 lt_, uint256 gt_, int256 ext) {
        assembly {
            q := sdiv(a, b)
            r := smod(a, b)
            lt_ := slt(a, b)
            gt_ := sgt(a, b)
            ext := signextend(and(b, 0x3f), a)
        }
    }

    /// A switch, nested blocks and scoped locals, and a revert inside a case.
    function classify(uint256 x, bytes32 tag) external pure returns (uint256 kind, bytes32 out) {
        assembly {
            let low := and(x, 3)
            switch low
            case 0 { kind := 10 }
            case 1 {
                let t := add(x, 1)
                kind := mul(t, 2)
            }
            case 3 { revert(0, 0) }
            default {
                {
                    let t := eq(x, 2)
                    kind := add(t, 100)
                }
            }
            out := xor(tag, kind)
            if gt(x, 1000) { out := not(out) }
        }
    }

    /// Assembly inside a loop (its Solidity variables are loop-carried) and a narrow unsigned constant.
    function sumSquares(uint256 n) external pure returns (uint256 acc) {
        require(n < 5, "too many");
        for (uint256 i = 0; i < n; i++) {
            assembly {
                acc := add(acc, mul(i, i))
            }
        }
        assembly {
            acc := add(acc, shl(LOW_BITS, 1))
        }
    }
}
