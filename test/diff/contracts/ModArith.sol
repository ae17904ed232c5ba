// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Differential-harness contract: Solidity's `addmod` and `mulmod` builtins — Panic(0x12) on a zero
/// modulus, the order solc evaluates the arguments in (side-effecting and reverting arguments), narrow
/// and constant operands (a product that fits in 256 bits), and Uniswap/OZ-style rounding-up mulDiv.
contract ModArith {
    uint256 internal constant WAD = 1e18;

    uint256 public trace;
    uint256 public calls;

    event Arg(uint256 indexed which, uint256 value);
    error Odd(uint256 which, uint256 value);

    function add(uint256 x, uint256 y, uint256 k) public pure returns (uint256) {
        return addmod(x, y, k);
    }

    function mul(uint256 x, uint256 y, uint256 k) public pure returns (uint256) {
        return mulmod(x, y, k);
    }

    function narrow(uint128 x, uint64 y, uint8 k) public pure returns (uint256 a, uint256 m) {
        a = addmod(x, y, k);
        m = mulmod(x, y, uint256(k) + 1);
    }

    function constants(uint256 x) public pure returns (uint256, uint256, uint256) {
        return (mulmod(x, WAD, 7919), addmod(x, type(uint256).max, 1e27), mulmod(x, x, type(uint256).max));
    }

    function masked(uint256 x, uint256 y, uint256 k) public pure returns (uint256) {
        return mulmod(x & 0xffff, y % 1000, k);
    }

    function noted(uint256 which, uint256 v) internal returns (uint256) {
        trace = trace * 10 + which;
        calls++;
        emit Arg(which, v);
        return v;
    }

    function evenOnly(uint256 which, uint256 v) internal returns (uint256) {
        if (v % 2 == 1) revert Odd(which, v);
        return noted(which, v);
    }

    /// The order the three arguments run in, and whether x and y run when k is zero.
    function order(uint256 x, uint256 y, uint256 k) external returns (uint256 a, uint256 m) {
        a = addmod(noted(1, x), noted(2, y), noted(3, k));
        m = mulmod(noted(4, x), noted(5, y), noted(6, k % 3));
    }

    /// Which revert wins: a zero modulus or an argument that reverts.
    function racing(uint256 x, uint256 y, uint256 k) external returns (uint256) {
        return mulmod(evenOnly(1, x), evenOnly(2, y), evenOnly(3, k % 4));
    }

    /// Uniswap's FullMath.mulDivRoundingUp shape over a 256-bit product.
    function mulDivUp(uint256 a, uint256 b, uint256 d) public pure returns (uint256 result) {
        unchecked {
            require(b == 0 || a <= type(uint256).max / b, "overflow");
            result = a * b / d;
            if (mulmod(a, b, d) > 0) {
                require(result < type(uint256).max);
                result++;
            }
        }
    }

    event Three(uint256 indexed a, uint256 b, uint256 indexed c);

    /// Not addmod/mulmod, but the same side-effecting helpers: solc evaluates an event's indexed
    /// arguments last to first, then the others in order.
    function eventOrder(uint256 x) external {
        emit Three(noted(1, x), noted(2, x), noted(3, x));
    }

    function storedModulus(uint256 x) external returns (uint256 r) {
        r = mulmod(x, calls, trace);
        trace = addmod(r, x, calls + 1);
    }
}
