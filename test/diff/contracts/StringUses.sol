// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Differential-harness contract: stored strings and string literals as event data, custom error
/// arguments and revert reasons, and `bytes(s).length` (each read checks the storage encoding).
contract StringUses {
    string public label;
    uint256 public count;
    bytes public payload;
    string public reason;
    string constant DEFAULT_REASON = "StringUses: closed";

    event Labelled(uint256 indexed id, string label, uint256 count);
    event Two(string first, bytes second, bool flag);
    event Note(string text);
    error TooLong(string label, uint256 length);
    error Rejected(uint8 code, string why);

    function ping(uint256 id) external {
        count += 1;
        emit Labelled(id, label, count);
    }

    function both(bool flag) external {
        emit Two(label, payload, flag);
    }

    function literal() external {
        emit Note("a literal longer than thirty-two bytes, to take two words");
        emit Note("");
    }

    function labelLength() external view returns (uint256) {
        return bytes(label).length;
    }

    function payloadLength() external view returns (uint256) {
        return payload.length;
    }

    function check(uint256 max) external view {
        if (bytes(label).length > max) revert TooLong(label, bytes(label).length);
    }

    function reject(uint8 code) external view {
        if (code > 3) revert Rejected(code, reason);
        require(code != 0, reason);
        require(code != 1, DEFAULT_REASON);
    }

    function rejectEager(uint8 code) external view {
        require(code != 2, Rejected(code, reason));
    }
}
