// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Differential-harness contract: narrow signed and unsigned arithmetic, checked and unchecked.
contract SignedArith {
    int8 public small;
    int128 public mid;
    uint16 public counter;
    int256 public wide;

    event Computed(int8 indexed a, int128 b, uint16 c);

    error Negative(int256 value);

    function addSmall(int8 x) external returns (int8) {
        small += x;
        return small;
    }

    function subMid(int128 x, int128 y) external returns (int128 r) {
        r = x - y;
        mid = r;
    }

    function mulDiv(int128 x, int128 y, int128 z) external pure returns (int128) {
        return (x * y) / z;
    }

    function modSigned(int16 x, int16 y) external pure returns (int16) {
        return x % y;
    }

    function divMin(int8 x, int8 y) external pure returns (int8) {
        return x / y;
    }

    function negate(int128 x) external pure returns (int128) {
        return -x;
    }

    function wrapAll(int8 x, int8 y, uint16 z) external returns (int8 a, int8 b, uint16 c) {
        unchecked {
            a = x + y;
            b = x * y - small;
            c = z * 3 + counter;
            counter = c;
        }
        emit Computed(a, int128(b) * 2, c);
    }

    function shifts(int128 x, uint8 n, uint16 m) external pure returns (int128, int128, uint16, uint16) {
        return (x >> n, x << n, m >> n, m << n);
    }

    function powers(uint8 b, uint256 e, int16 s) external pure returns (uint8, uint256, int16) {
        return (b ** e, 2 ** e, s ** 3);
    }

    function powersUnchecked(uint16 b, uint8 e) external pure returns (uint16 r) {
        unchecked {
            r = b ** e;
        }
    }

    function bounds(int256 x) external returns (int256) {
        if (x < 0) revert Negative(x);
        wide = x == type(int256).max ? type(int256).min + 1 : x;
        return wide;
    }

    function widen(int8 x, uint8 y) external pure returns (int256, uint256, int64, uint64, uint8) {
        return (int256(x), uint256(y), int64(x), uint64(y), uint8(int8(x)));
    }

    function narrow(uint256 x, int256 y) external pure returns (uint8, int8, uint128, int16) {
        return (uint8(x), int8(y), uint128(x), int16(y));
    }

    function compare(int8 a, int8 b, uint16 c, uint16 d) external pure returns (bool, bool, bool, bool) {
        return (a < b, a >= b, c > d, c <= d && a != b);
    }

    function bitwise(int16 a, int16 b) external pure returns (int16, int16, int16, int16) {
        return (a & b, a | b, a ^ b, ~a);
    }
}
