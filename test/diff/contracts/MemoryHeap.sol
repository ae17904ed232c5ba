// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Memory arrays with reference semantics: `new T[](n)` with a computed length (Panic 0x41 past 2^64 - 1),
/// aliases (`b = a`), arrays passed to and returned from internal functions, copies of dynamic storage
/// arrays (packed elements too), element reads and writes past the end (Panic 0x32).
contract MemoryHeap {
    uint256[] public amounts;
    uint16[] public rates;
    address[] public holders;
    bool[] public flags;
    mapping(address => uint32[]) public history;

    function push(uint256 a, uint16 r, address h, bool f) external {
        amounts.push(a);
        rates.push(r);
        holders.push(h);
        flags.push(f);
        history[h].push(uint32(a));
    }

    function sized(uint256 n, uint256 i, uint256 v) external pure returns (uint256, uint256) {
        uint256[] memory xs = new uint256[](n);
        xs[i] = v;
        return (xs.length, xs[i]);
    }

    function aliased(uint256 i, uint8 v) external pure returns (uint8, uint8) {
        uint8[] memory a = new uint8[](3);
        uint8[] memory b = a;
        b[i % 4] = v;
        a[0] += 1;
        return (a[i % 3], b[0]);
    }

    function fill(uint256[] memory xs, uint256 v) internal pure {
        for (uint256 i = 0; i < xs.length; i++) xs[i] = v + i;
    }

    function make(uint256 n) internal pure returns (uint256[] memory out) {
        out = new uint256[](n);
        fill(out, 7);
    }

    function helpers(uint256 n, uint256 i) external pure returns (uint256) {
        uint256[] memory xs = make(n % 4);
        return xs[i % 4];
    }

    function sumAmounts() external view returns (uint256 s) {
        uint256[] memory xs = amounts;
        for (uint256 i = 0; i < xs.length; i++) s += xs[i];
    }

    function rateAt(uint256 i) external view returns (uint16, uint256) {
        uint16[] memory rs = rates;
        return (rs[i], rs.length);
    }

    function copyThenWrite(uint256 i, uint16 v) external returns (uint16, uint16) {
        uint16[] memory rs = rates;
        rates[i] = v;
        return (rs[i], rates[i]);
    }

    function holderAt(uint256 i) external view returns (address, bool) {
        address[] memory hs = holders;
        bool[] memory fs = flags;
        return (hs[i], fs[i % fs.length]);
    }

    function historyAt(address h, uint256 i) external view returns (uint32) {
        uint32[] memory xs = history[h];
        return xs[i];
    }

    function branchy(bool c, uint256 i) external pure returns (uint256) {
        uint256[] memory a = new uint256[](2);
        uint256[] memory b = new uint256[](3);
        uint256[] memory p = a;
        if (c) p = b;
        p[i % 3] = 5;
        return a[0] + a[1] + b[0] + b[1] + b[2] + p.length;
    }

    function literal(uint256 i) external pure returns (int16) {
        int16[3] memory w = [int16(-1), 2, -300];
        int16[3] memory v = w;
        v[1] = 9;
        return w[i % 4];
    }

    function sizedSmall(uint8 n, uint256 i, uint256 v) external pure returns (uint256, uint256) {
        uint256[] memory xs = new uint256[](n);
        xs[i % 300] = v;
        return (xs.length, xs[i % 300]);
    }
}
