// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Differential-harness contract: `b[i] = x` on stored byte strings — a `bytes` state variable, a
/// `string` through `bytes(s)`, mapping entries and struct members — in short and long form, out of
/// range (Panic 0x32), compound `|=`, `delete b[i]`, reads after writes, the right side evaluated first.
contract ByteWrites {
    struct Record {
        uint64 id;
        bytes tag;
    }

    bytes public blob;
    string public name;
    mapping(address => bytes) public flags;
    mapping(uint256 => Record) public records;
    uint256 public trace;

    event Blob(bytes blob);

    function setBlob(bytes calldata b) external {
        blob = b;
    }

    function setName(string calldata s) external {
        name = s;
    }

    function setFlags(bytes calldata b) external {
        flags[msg.sender] = b;
    }

    function poke(uint256 i, bytes1 x) external returns (bytes1) {
        blob[i] = x;
        return blob[i];
    }

    function pokeTwice(uint8 i, uint8 j, bytes1 x) external {
        blob[i] = x;
        blob[j] |= bytes1(uint8(x) >> 1);
        emit Blob(blob);
    }

    function wipe(uint256 i) external {
        delete blob[i];
    }

    function upper(uint256 i) external {
        bytes1 c = bytes(name)[i];
        if (c >= 0x61 && c <= 0x7a) {
            bytes(name)[i] = bytes1(uint8(c) - 32);
        }
    }

    function setFlag(uint256 i, bool on) external {
        flags[msg.sender][i] = on ? bytes1(0x01) : bytes1(0x00);
    }

    function tagRecord(uint256 id, uint256 i, bytes1 x) external {
        Record storage r = records[id];
        r.tag[i] = x;
        r.id = uint64(id);
    }

    function noted(uint256 which, uint256 v) internal returns (uint256) {
        trace = trace * 10 + which;
        return v;
    }

    /// The right side runs before the place is formed and checked.
    function ordered(uint256 i, uint8 x) external {
        blob[noted(1, i)] = bytes1(uint8(noted(2, x)));
    }

    function fill(uint8 n, bytes1 x) external {
        for (uint256 i = 0; i < n % 6; i++) {
            blob[i * 7] = x;
        }
    }
}
