// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Differential-harness contract: `string`/`bytes` parameters in calldata and memory (the ABI decoder's
/// offset and length checks, Panic 0x41 for memory copies too large), their lengths, and their use as
/// event data, custom error arguments and revert messages.
contract StringParams {
    string public title;
    uint256 public posts;

    event Posted(address indexed author, string text, uint256 n);
    event Pair(bytes a, string b);
    error Empty(string what);

    function post(string calldata text) external {
        if (bytes(text).length == 0) revert Empty("text");
        posts += 1;
        emit Posted(msg.sender, text, posts);
    }

    function postMemory(uint8 kind, string memory text) public {
        require(kind < 3, text);
        emit Posted(msg.sender, text, kind);
    }

    function pair(bytes calldata a, string calldata b, bool fail) external {
        if (fail) revert Empty(b);
        emit Pair(a, b);
    }

    function lengthOf(bytes memory data) external pure returns (uint256) {
        return data.length;
    }

    function withTitle(string calldata suffix) external {
        require(bytes(suffix).length < bytes(title).length, title);
        emit Pair(bytes(suffix), title);
    }
}
