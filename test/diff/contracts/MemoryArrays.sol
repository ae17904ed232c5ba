// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Memory array locals of value types with constant lengths: zeroed allocations, literals, copies of
/// fixed-size storage arrays, bounds-checked reads and writes at computed indexes, loops over them.
contract MemoryArrays {
    uint64[4] public weights;
    uint256 public result;

    function window(uint256 a, uint256 b, uint256 i) external pure returns (uint256) {
        uint256[3] memory w = [a, b, a + b];
        return w[i];
    }

    function histogram(uint8[] calldata xs) external pure returns (uint256, uint256, uint256) {
        uint256[] memory buckets = new uint256[](3);
        for (uint256 i = 0; i < xs.length; i++) {
            buckets[xs[i] % 3] += 1;
        }
        return (buckets[0], buckets[1], buckets[2]);
    }

    function weighted(uint256 i, uint64 extra) external returns (uint256 total) {
        uint64[4] memory w = weights;
        w[i] += extra;
        for (uint256 j = 0; j < w.length; j++) total += w[j];
        result = total;
    }

    function setWeight(uint256 i, uint64 v) external {
        weights[i] = v;
    }

    function flags(uint256 mask) external pure returns (uint256 n) {
        bool[8] memory on;
        for (uint256 i = 0; i < 8; i++) on[i] = (mask >> i) & 1 == 1;
        delete on[mask % 8];
        for (uint256 i = 0; i < on.length; i++) if (on[i]) n++;
    }

    function emptyLength() external pure returns (uint256) {
        uint256[] memory none;
        return none.length;
    }
}
