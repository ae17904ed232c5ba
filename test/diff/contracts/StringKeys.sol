// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Differential-harness contract: mappings keyed by `string`/`bytes` (slot keccak256(key bytes . slot)),
/// with keys from calldata, memory, storage, literals and concatenations, nested under a value key,
/// holding value types and byte strings.
contract StringKeys {
    mapping(string => address) public registry;
    mapping(bytes => uint256) public counts;
    mapping(string => string) public aliases;
    mapping(string => mapping(address => bool)) public approvals;
    string public defaultName;

    event Registered(string indexed name, address owner);

    function register(string calldata name, address owner) external {
        require(registry[name] == address(0), "taken");
        registry[name] = owner;
        emit Registered(name, owner);
    }

    function ownerOf(string memory name) external view returns (address) {
        return registry[name];
    }

    function ownerOfDefault() external view returns (address) {
        return registry[defaultName];
    }

    function claimRoot() external {
        registry["root"] = msg.sender;
        registry["a name long enough to need more than one word of key bytes"] = msg.sender;
    }

    function bump(bytes calldata key, uint256 by) external returns (uint256) {
        counts[key] += by;
        return counts[key] + counts[""];
    }

    function setAlias(string calldata from, string calldata to) external {
        aliases[from] = to;
    }

    function aliasOf(string calldata from) external view returns (string memory) {
        return aliases[from];
    }

    function aliasLength(string memory from) external view returns (uint256) {
        return bytes(aliases[from]).length;
    }

    function approve(string calldata name, bool ok) external {
        approvals[name][msg.sender] = ok;
    }

    function approved(string calldata name, address who) external view returns (bool) {
        return approvals[name][who];
    }

    function setDefault(string calldata name) external {
        defaultName = name;
        registry[defaultName] = msg.sender;
    }

    function registerSubdomain(string calldata label, address owner) external {
        registry[string.concat(label, ".eth")] = owner;
        address stored = registry[string.concat(label, ".eth")];
        emit Registered(string.concat(label, ".eth"), stored);
    }
}
