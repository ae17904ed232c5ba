// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Differential-harness contract: writing `string`/`bytes` state variables from calldata and memory
/// parameters, literals and constants, `delete`, conditional writes, and reading a value back after
/// writing it (length, event data, revert message, getter).
contract StringWrites {
    string public name;
    bytes public blob;
    address public owner;
    string constant DEFAULT_NAME = "a default name that is longer than one word";

    event NameChanged(string name, uint256 length);
    error TooLong(string name);

    function setName(string calldata n) external {
        name = n;
        emit NameChanged(name, bytes(name).length);
    }

    function setBlob(bytes memory b) public {
        blob = b;
    }

    function setNameIf(bool flag, string calldata n) external {
        if (flag) name = n;
        else name = "short";
        emit NameChanged(name, bytes(name).length);
    }

    function resetName(uint8 which) external {
        if (which == 0) delete name;
        else if (which == 1) name = DEFAULT_NAME;
        else if (which == 2) name = "";
        else name = "a literal of exactly thirty two.";
        require(bytes(name).length < 40, name);
    }

    function clearBlob() external {
        delete blob;
    }

    function setBoth(string calldata n, bytes calldata b) external {
        name = n;
        blob = b;
        if (bytes(name).length > 33) revert TooLong(name);
    }

    function _store(string memory n) internal {
        name = n;
    }

    function setViaHelper(string calldata n) external {
        _store(n);
        owner = msg.sender;
    }

    function swapViaLocal(string calldata n) external {
        string memory previous = name;
        name = n;
        emit NameChanged(previous, bytes(previous).length);
        if (bytes(previous).length > 40) revert TooLong(previous);
    }
}
