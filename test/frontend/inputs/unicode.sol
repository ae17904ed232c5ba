// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

// Größe, naïve café — 🚀 multi-byte characters shift byte offsets away from char offsets.
contract Unicode {
    /* ünïcødé */ function target() external pure returns (uint256) {
        return 42;
    }
}
