// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Differential-harness contract: explicit and implicit value-type conversions, type bounds and signed corners.
contract Conversions {
    uint8 public small;
    int16 public signedSmall;
    bytes4 public tag;
    address public who;

    function narrow(uint256 x) external returns (uint8, uint16, uint128, int8, int64) {
        small = uint8(x);
        return (uint8(x), uint16(x), uint128(x), int8(int256(x)), int64(int256(x)));
    }

    function widen(uint8 a, int8 b, int64 c) external pure returns (uint256, int256, int128, uint64, uint256) {
        uint256 ua = a;
        int256 sb = b;
        int128 sc = c;
        return (ua, sb, sc, uint64(c), uint256(uint8(b)));
    }

    function signs(int256 x, uint256 y) external pure returns (uint256, int256, int32, uint32) {
        return (uint256(x), int256(y), int32(x), uint32(uint256(x)));
    }

    function bytesInt(bytes4 b, uint32 u, bytes32 w) external returns (uint32, bytes4, uint256, bytes32) {
        tag = bytes4(u);
        return (uint32(b), bytes4(u), uint256(w), bytes32(uint256(u)));
    }

    function bytesBytes(bytes32 w, bytes2 s) external pure returns (bytes4, bytes1, bytes32, bytes16, bytes2) {
        return (bytes4(w), bytes1(w), bytes32(s), bytes16(s), bytes2(bytes4(w)));
    }

    function addresses(address a, uint160 u, bytes20 b) external returns (uint160, address, bytes20, address, address payable, uint256) {
        who = address(u);
        address payable p = payable(a);
        return (uint160(a), address(u), bytes20(a), address(b), p, uint256(uint160(a)));
    }

    function bounds() external pure returns (uint8, int8, int8, uint256, int256, int256, uint16, int128) {
        return (type(uint8).max, type(int8).min, type(int8).max, type(uint256).max, type(int256).min, type(int256).max, type(uint16).min, type(int128).min);
    }

    function literals() external pure returns (bytes32, bytes4, bytes32, uint8, int16, address) {
        bytes32 s = "hello";
        bytes4 h = 0x12345678;
        return (s, h, hex"00ff", 255, -300, address(0x1234));
    }

    function divMin(int256 a, int256 b) external pure returns (int256) {
        return a / b;
    }

    function divMin8(int8 a, int8 b) external pure returns (int8, int8) {
        return (a / b, a % b);
    }

    function negate(int16 a) external pure returns (int16) {
        return -a;
    }

    function negateUnchecked(int16 a) external pure returns (int16) {
        unchecked {
            return -a;
        }
    }

    function shifts(int64 a, uint8 s) external pure returns (int64, int64, uint64) {
        return (a >> s, a << s, uint64(a) >> s);
    }

    function mixed(uint8 a, uint16 b, int8 c, int32 d) external pure returns (uint16, int32, bool, bool) {
        return (a + b, c * d, a < b, c > d);
    }

    function store(int16 v, uint8 s) external {
        signedSmall = v;
        small = s;
    }

    function readBack() external view returns (int256, uint256, bytes32, uint160) {
        return (signedSmall, small, tag, uint160(who));
    }
}
