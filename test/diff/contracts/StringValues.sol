// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Differential-harness contract: byte strings as values — returned next to other values, from internal
/// functions and from functions with modifiers; reassigned `string memory` locals (in branches and
/// loops); storage-to-storage copies (also of a slot onto itself); `string.concat`, `bytes.concat` and
/// `abi.encodePacked` with value types, and their hashes.
contract StringValues {
    string public name;
    string public symbol;
    string public baseURI;
    mapping(uint256 => string) public uris;
    address public owner;
    bool public paused;

    event Renamed(string from, string to);
    event Registered(string indexed key, bytes indexed blob, string label);

    modifier whenNotPaused() {
        require(!paused, "paused");
        _;
    }

    modifier logged() {
        _;
        emit Renamed("", name);
    }

    function info() external view returns (string memory, uint256, string memory) {
        return (name, bytes(name).length, symbol);
    }

    function named(uint256 id) external view returns (uint256 n, string memory label, bool set) {
        n = id;
        label = uris[id];
        set = bytes(label).length > 0;
    }

    function guarded() external view whenNotPaused returns (string memory) {
        return name;
    }

    function renameLogged(string calldata n) external logged returns (string memory old) {
        old = name;
        name = n;
    }

    function _label(uint256 id) internal view returns (string memory) {
        if (id == 0) return "zero";
        return uris[id];
    }

    function label(uint256 id) external view returns (string memory s) {
        s = _label(id);
        if (bytes(s).length == 0) s = name;
    }

    function pick(uint8 which) external view returns (string memory s) {
        s = "none";
        if (which == 1) s = name;
        else if (which == 2) s = symbol;
        else if (which == 3) s = "a literal longer than thirty-two bytes, to be sure";
    }

    function copyName() external {
        symbol = name;
    }

    function copyUri(uint256 from, uint256 to) external {
        uris[to] = uris[from];
    }

    function setUriFromBase(uint256 id) external {
        uris[id] = baseURI;
    }

    function tokenURI(uint256 id) external view returns (string memory) {
        string memory base = baseURI;
        if (bytes(base).length == 0) return "";
        return string.concat(base, _toString(id), ".json");
    }

    function _toString(uint256 v) internal pure returns (string memory s) {
        if (v == 0) return "0";
        uint256 i = 0;
        while (v != 0 && i < 3) {
            s = string.concat(string(abi.encodePacked(bytes1(uint8(48 + (v % 10))))), s);
            v /= 10;
            i++;
        }
    }

    function packed(string calldata prefix, address who, uint16 n) external pure returns (bytes memory, bytes32) {
        bytes memory b = abi.encodePacked(prefix, who, n, true);
        return (b, keccak256(abi.encodePacked(prefix, who)));
    }

    function joined(bytes calldata a, bytes4 tag) external view returns (bytes memory) {
        return bytes.concat(a, tag, bytes(name));
    }

    function storeJoined(string calldata suffix) external {
        name = string.concat(name, "-", suffix);
    }

    function hashJoined(string calldata a) external view returns (bytes32) {
        return keccak256(bytes(string.concat(symbol, a)));
    }

    function register(string calldata key, bytes calldata blob, uint256 i) external returns (bytes1, bytes1) {
        emit Registered(key, blob, name);
        emit Registered(name, "", key);
        return (blob[i], bytes(key)[0]);
    }

    function _rename(string calldata n) internal returns (uint256) {
        name = n;
        return bytes(n).length;
    }

    function renameAndReturn(string calldata n) external returns (string memory, uint256, string memory) {
        // `name` is copied after `_rename` ran: the new name, twice.
        return (name, _rename(n), string.concat(name, symbol));
    }
}
