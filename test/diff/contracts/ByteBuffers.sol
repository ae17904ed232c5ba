// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// OpenZeppelin Contracts 4.5 (utils/Strings.sol), as written there.
library Strings {
    bytes16 private constant _HEX_SYMBOLS = "0123456789abcdef";

    function toString(uint256 value) internal pure returns (string memory) {
        if (value == 0) {
            return "0";
        }
        uint256 temp = value;
        uint256 digits;
        while (temp != 0) {
            digits++;
            temp /= 10;
        }
        bytes memory buffer = new bytes(digits);
        while (value != 0) {
            digits -= 1;
            buffer[digits] = bytes1(uint8(48 + uint256(value % 10)));
            value /= 10;
        }
        return string(buffer);
    }

    function toHexString(uint256 value, uint256 length) internal pure returns (string memory) {
        bytes memory buffer = new bytes(2 * length + 2);
        buffer[0] = "0";
        buffer[1] = "x";
        for (uint256 i = 2 * length + 1; i > 1; --i) {
            buffer[i] = _HEX_SYMBOLS[value & 0xf];
            value >>= 4;
        }
        require(value == 0, "Strings: hex length insufficient");
        return string(buffer);
    }
}

/// Differential-harness contract: byte buffers built in memory (`new bytes(n)`, `buffer[i] = x`, Panic
/// 0x32 past the end, Panic 0x41 for a length above 2^64 - 1), fixed-size byte array indexing, and the
/// buffers hashed, emitted, returned and stored.
contract ByteBuffers {
    using Strings for uint256;

    string public label;

    event Built(bytes data);

    function decimal(uint32 v) external pure returns (string memory) {
        return uint256(v % 100000).toString();
    }

    function hex_(uint16 v, uint8 len) external pure returns (string memory) {
        return uint256(v).toHexString(len % 4);
    }

    function zeros(uint256 n) external pure returns (bytes memory) {
        bytes memory b = new bytes(n % 70 == 3 ? n : n % 70);
        return b;
    }

    function poke(uint8 n, uint256 i, bytes1 x) external returns (bytes32 h) {
        bytes memory b = new bytes(n % 40);
        b[i] = x;
        b[0] = 0x7f;
        h = keccak256(b);
        emit Built(b);
        return h;
    }

    function buildLabel(uint8 n, bytes1 fill) external {
        string memory s = new string(n % 40);
        bytes(s)[0] = fill;
        label = s;
    }

    function nibble(bytes32 x, uint256 i) external pure returns (bytes1, bytes1) {
        bytes4 sel = bytes4(x);
        return (x[i], sel[i % 5]);
    }

    function overwrite(uint8 n, bytes1 x, bytes1 y) external pure returns (bytes memory) {
        bytes memory b = new bytes(n % 50 + 1);
        b[0] = x;
        b[b.length - 1] = x;
        b[0] = y;
        b[b.length - 1] = y;
        return b;
    }

    function ordered(uint8 n, uint256 i) external pure returns (bytes memory) {
        bytes memory b = new bytes(n % 8);
        b[i] = bytes1(uint8(i % 256));
        return b;
    }
}
