// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Every loop form the IR unrolls, with trip counts that straddle the default bound of 5: runs that stay
/// within it are compared with the EVM; runs that reach it are counted as skipped.
contract Loops {
    mapping(uint256 => uint256) public cell;
    uint256 public total;
    uint8 public small;

    event Step(uint256 indexed i, uint256 value);

    modifier repeated(uint256 times) {
        for (uint256 k; k < times % 3; k++) {
            _;
        }
    }

    function forBreakContinue(uint256 n, uint256 skip, uint256 stop) external returns (uint256 acc) {
        for (uint256 i = 0; i < n % 8; i++) {
            if (i == skip % 8) continue;
            if (i == stop % 9) break;
            acc += cell[i];
            cell[i] = acc;
            emit Step(i, acc);
        }
        total = acc;
    }

    function whileLoop(uint256 x) external pure returns (uint256 steps) {
        x %= 100;
        while (x > 1) {
            x = x % 2 == 0 ? x / 2 : 3 * x + 1;
            steps++;
        }
    }

    function doWhile(uint256 x, uint256 limit) external pure returns (uint256 y, uint256 iters) {
        do {
            iters++;
            if (x % 3 == 0) {
                x /= 3;
                continue;
            }
            y += x;
            x -= 1;
        } while (x > 0 && iters < limit % 7);
    }

    function nested(uint256 a, uint256 b) external view returns (uint256 hits) {
        for (uint256 i; i < a % 4; ++i) {
            for (uint256 j; ; j++) {
                if (j >= b % 4) break;
                if (cell[i] > cell[j]) hits++;
            }
        }
    }

    function findFirst(uint256 needle) public view returns (uint256) {
        for (uint256 i; i < 4; i++) {
            if (cell[i] == needle) return i;
        }
        return type(uint256).max;
    }

    function viaInternal(uint256 needle) external view returns (uint256 where, uint256 twice) {
        where = findFirst(needle);
        twice = where == type(uint256).max ? 0 : 2 * where;
    }

    function incrementSmall(uint256 times) external {
        uint256 k;
        while (k < times % 6) {
            small += 60; // overflows (Panic 0x11) after a few rounds unless small starts low
            k++;
        }
    }

    function viaModifier(uint256 times) external repeated(times) {
        total += 1;
    }

    function uncheckedCountdown(uint256 n) external pure returns (uint256 r) {
        unchecked {
            for (uint256 i = n % 6; i != 0; i--) r += i * i;
        }
    }
}
