// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Differential-harness contract: `string`/`bytes` members of storage structs and elements of storage
/// arrays (short and long form at computed slots, Panic 0x22 on a corrupt encoding, Panic 0x32 out of
/// bounds): reads, lengths, hashes, events, returns, writes, `delete` and `push`/`pop`, public getters.
contract StringStructs {
    struct Proposal {
        address proposer;
        uint64 deadline;
        string description;
        uint256 votes;
        bytes payload;
    }

    struct Profile {
        string handle;
        uint32 level;
    }

    mapping(uint256 => Proposal) public proposals;
    string[] public names;
    bytes[] internal blobs;
    Profile public admin;
    mapping(address => Profile) internal profiles;

    struct Entry {
        string name;
        uint96 weight;
        address owner;
    }

    Entry[] internal entries;

    event Proposed(uint256 indexed id, address proposer, string description);
    event Renamed(uint256 indexed index, string indexed oldName, string newName);
    error Unknown(string description);

    function propose(uint256 id, string calldata description, bytes memory payload) external {
        Proposal storage p = proposals[id];
        require(p.proposer == address(0), "exists");
        p.proposer = msg.sender;
        p.deadline = uint64(block.timestamp + 3 days);
        p.description = description;
        p.payload = payload;
        emit Proposed(id, msg.sender, p.description);
    }

    function describe(uint256 id) external view returns (string memory, uint256) {
        Proposal storage p = proposals[id];
        return (p.description, bytes(p.description).length);
    }

    function descriptionHash(uint256 id) external view returns (bytes32) {
        return keccak256(bytes(proposals[id].description));
    }

    function copyDescription(uint256 from, uint256 to) external {
        proposals[to].description = proposals[from].description;
    }

    function check(uint256 id, string calldata expected) external view {
        if (keccak256(bytes(proposals[id].description)) != keccak256(bytes(expected))) revert Unknown(proposals[id].description);
    }

    function cancel(uint256 id) external {
        delete proposals[id];
    }

    function clearPayload(uint256 id) external {
        delete proposals[id].payload;
    }

    function addName(string memory name) external returns (uint256) {
        names.push(name);
        return names.length;
    }

    function addEmpty() external {
        names.push();
    }

    function dropName() external {
        names.pop();
    }

    function rename(uint256 i, string calldata newName) external {
        emit Renamed(i, names[i], newName);
        names[i] = newName;
    }

    function nameAt(uint256 i) external view returns (string memory) {
        string memory n = names[i];
        return n;
    }

    function nameLength(uint256 i) external view returns (uint256) {
        return bytes(names[i]).length;
    }

    function joined(uint256 i, uint256 j) external view returns (string memory) {
        return string.concat(names[i], "-", admin.handle);
    }

    function swapNames(uint256 i, uint256 j) external {
        string memory a = names[i];
        names[i] = names[j];
        names[j] = a;
    }

    function addBlob(bytes calldata b) external {
        blobs.push(b);
    }

    function blobLength(uint256 i) external view returns (uint256) {
        return blobs[i].length;
    }

    function payloadByte(uint256 id, uint256 i) external view returns (bytes1) {
        return proposals[id].payload[i];
    }

    function initial(uint256 i) external view returns (bytes1, bytes1) {
        bytes1 first = bytes(names[i])[0];
        return (first, bytes(admin.handle)[i]);
    }

    function blobByte(uint256 i, uint256 j) external returns (bytes1 b) {
        b = blobs[i][j];
        blobs[i] = "rewritten, long enough to take the long storage form";
        b ^= blobs[i][j];
    }

    function replace(uint256 id, string calldata d, bytes memory payload) external {
        proposals[id] = Proposal(msg.sender, uint64(block.timestamp), d, 7, payload);
    }

    function replaceNamed(uint256 id, string memory d) external {
        proposals[id] = Proposal({proposer: msg.sender, deadline: 1, description: d, votes: 0, payload: ""});
    }

    function addEntry(string calldata name, uint96 weight) external {
        entries.push(Entry(name, weight, msg.sender));
    }

    function addAdminEntry() external {
        entries.push(Entry(admin.handle, admin.level, msg.sender));
    }

    function entryName(uint256 i) external view returns (string memory, uint96) {
        Entry storage e = entries[i];
        return (e.name, e.weight);
    }

    function removeEntry() external {
        entries.pop();
    }

    function summary(uint256 id) external view returns (string memory, uint256, address) {
        Proposal memory p = proposals[id];
        return (p.description, p.votes + bytes(p.payload).length, p.proposer);
    }

    function draftHash(string calldata d) external view returns (bytes32, uint64) {
        Proposal memory p = Proposal(msg.sender, 5, d, 0, "");
        return (keccak256(bytes(p.description)), p.deadline);
    }

    function setAdmin(string memory handle, uint32 level) external {
        admin.handle = handle;
        admin.level = level;
    }

    function setProfile(string calldata handle) external {
        Profile storage p = profiles[msg.sender];
        p.handle = handle;
        p.level += 1;
    }

    function profileOf(address who) external view returns (string memory handle, uint32 level) {
        Profile storage p = profiles[who];
        return (p.handle, p.level);
    }

    function resetProfile() external {
        delete profiles[msg.sender];
    }
}
