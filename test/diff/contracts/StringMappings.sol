// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Differential-harness contract: mappings to `string`/`bytes` (token URIs, labels): writes from
/// calldata and literals, `delete`, reads back (length, event data, revert message) and the getter.
contract StringMappings {
    mapping(uint256 => string) public tokenURIs;
    mapping(address => bytes) public profiles;
    uint256 public count;

    event URISet(uint256 indexed id, string uri);
    error Missing(uint256 id, string uri);

    function setURI(uint256 id, string calldata uri) external {
        tokenURIs[id] = uri;
        emit URISet(id, tokenURIs[id]);
    }

    function setDefault(uint256 id, bool long) external {
        if (long) tokenURIs[id] = "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/";
        else tokenURIs[id] = "ipfs://";
        count += bytes(tokenURIs[id]).length;
    }

    function burn(uint256 id) external {
        require(bytes(tokenURIs[id]).length > 0, tokenURIs[id]);
        delete tokenURIs[id];
    }

    function check(uint256 id) external view returns (uint256) {
        if (bytes(tokenURIs[id]).length > 40) revert Missing(id, tokenURIs[id]);
        return bytes(tokenURIs[id]).length;
    }

    function setProfile(bytes memory data) public {
        profiles[msg.sender] = data;
    }

    function copyURI(uint256 from, uint256 to, string calldata fallbackURI) external {
        tokenURIs[to] = fallbackURI;
        emit URISet(from, tokenURIs[from]);
    }

    string public baseURI;

    function uriOf(uint256 id) external view returns (string memory) {
        if (bytes(tokenURIs[id]).length == 0) return baseURI;
        require(id != 7, "StringMappings: token 7 is hidden");
        return tokenURIs[id];
    }

    function echo(string calldata s, bool useDefault) external pure returns (string memory out) {
        if (useDefault) return "a default value that is longer than one word";
        if (bytes(s).length > 3) return s;
    }
}
