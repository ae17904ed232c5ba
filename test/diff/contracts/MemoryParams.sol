// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Differential-harness contract: several `memory` byte strings and arrays among the parameters of one
/// entry point (each copy moves the free memory pointer the next one's Panic 0x41 check starts from),
/// and byte strings passed on to internal functions.
contract MemoryParams {
    string public name;
    string public symbol;
    mapping(uint256 => string) public uris;
    mapping(uint256 => uint256) public balances;

    event Metadata(string name, string symbol);
    event TransferSingle(address indexed operator, address indexed to, uint256 id, uint256 amount, bytes data);
    event URI(string value, uint256 indexed id);

    function setMetadata(string memory newName, string memory newSymbol) external {
        name = newName;
        symbol = newSymbol;
        emit Metadata(newName, newSymbol);
    }

    function setMixed(bytes calldata tag, string memory newName, uint256 id, string memory uri) external {
        require(tag.length < 40, "tag");
        _setName(newName);
        _setTokenURI(id, uri);
    }

    function mint(address to, uint256 id, uint256 amount, bytes memory data) external {
        _mint(to, id, amount, data);
    }

    function mintWithUri(address to, uint256 id, uint256[] memory amounts, string memory uri, bytes memory data) external {
        uint256 total = 0;
        for (uint256 i = 0; i < amounts.length && i < 3; i++) total += amounts[i];
        _mint(to, id, total, data);
        _setTokenURI(id, uri);
    }

    function joined(string memory a, string memory b) external pure returns (string memory, bytes32) {
        string memory both = _join(a, b);
        return (both, keccak256(bytes(both)));
    }

    function same(string memory a, string memory b) external pure returns (bool) {
        return keccak256(bytes(a)) == keccak256(bytes(b));
    }

    function _setName(string memory newName) internal {
        name = newName;
    }

    function _setTokenURI(uint256 id, string memory uri) internal {
        uris[id] = uri;
        emit URI(uri, id);
    }

    function _mint(address to, uint256 id, uint256 amount, bytes memory data) internal {
        require(to != address(0), "mint to zero");
        balances[id] += amount;
        emit TransferSingle(msg.sender, to, id, amount, data);
    }

    function _join(string memory a, string memory b) internal pure returns (string memory) {
        return string.concat(a, "/", b);
    }
}
