// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Arrays of value types as ABI output: returned dynamic memory arrays (copies of storage arrays, arrays
/// built in the function, next to other return values), in event data and custom error arguments.
contract ArrayOutputs {
    address[] public holders;
    uint256[] public balances;
    uint32[] public stamps;
    bool[] public flags;

    function addHolder(address h, uint256 b, uint32 t, bool f) external {
        holders.push(h);
        balances.push(b);
        stamps.push(t);
        flags.push(f);
    }

    function getHolders() external view returns (address[] memory) {
        return holders;
    }

    function getStamps() external view returns (uint32[] memory) {
        return stamps;
    }

    function getFlags() external view returns (bool[] memory) {
        return flags;
    }

    function range(uint256 from, uint256 n) external pure returns (uint256[] memory out) {
        out = new uint256[](n % 6);
        for (uint256 i = 0; i < out.length; i++) out[i] = from + i;
    }

    function signedPair(int64 a) external pure returns (uint8 tag, int64[] memory xs, bytes32 h) {
        xs = new int64[](2);
        xs[0] = a;
        xs[1] = -a;
        tag = 7;
        h = keccak256(abi.encode(a));
    }

    function twoLists(uint256 k) external view returns (uint256[] memory a, address[] memory b) {
        a = balances;
        if (k % 2 == 1 && a.length > 0) a[0] = k;
        b = holders;
    }

    function emptyList() external pure returns (uint16[] memory) {}

    event TransferBatch(address indexed operator, address indexed from, address indexed to, uint256[] ids, uint256[] values);
    event Snapshot(uint256 indexed id, address[] holders, uint32[] stamps, bool[] flags);
    event Tagged(uint256[] indexed ids, address[] indexed who, bytes32 tag);
    event Mixed(string note, int16[] deltas, uint8 kind);

    error TooMany(uint256 limit, uint256[] ids);
    error BadHolders(address[] holders);

    function batch(address from, address to, uint256[] calldata ids, uint256[] memory values) external {
        if (ids.length != values.length) revert TooMany(values.length, ids);
        emit TransferBatch(msg.sender, from, to, ids, values);
    }

    function snapshot(uint256 id) external {
        emit Snapshot(id, holders, stamps, flags);
    }

    function tag(uint256 n, bytes32 t) external {
        uint256[] memory ids = new uint256[](n % 4);
        for (uint256 i = 0; i < ids.length; i++) ids[i] = t == bytes32(0) ? i : uint256(t) >> i;
        emit Tagged(ids, holders, t);
    }

    function mixed(int16 d, uint8 k) external {
        int16[] memory ds = new int16[](3);
        ds[0] = d;
        ds[2] = -d;
        emit Mixed("deltas", ds, k);
    }

    function checkHolders(uint256 max) external view {
        require(holders.length <= max, BadHolders(holders));
        if (max == 7) revert BadHolders(holders);
    }

    struct Position { uint128 size; int64 entry; address owner; bool open; bytes4 tag; }
    mapping(uint256 => Position) public positions;
    uint64[3] public weights;

    function openPosition(uint256 id, uint128 size, int64 entry, bool open, bytes4 tag) external {
        positions[id] = Position(size, entry, msg.sender, open, tag);
    }

    function setWeight(uint256 i, uint64 w) external {
        weights[i] = w;
    }

    function getPosition(uint256 id) external view returns (Position memory) {
        return positions[id];
    }

    function grown(uint256 id, uint128 by) external view returns (Position memory p) {
        p = positions[id];
        p.size += by;
    }

    function twoPositions(uint256 a, uint256 b) external view returns (Position memory x, uint256 n, Position memory y) {
        return (positions[a], a ^ b, positions[b]);
    }

    function literal(int64 e) external view returns (uint8 tag, Position memory p) {
        tag = 1;
        p = Position({size: 5, entry: e, owner: msg.sender, open: e > 0, tag: 0x12345678});
    }

    function getWeights() external view returns (uint64[3] memory) {
        return weights;
    }

    function scaled(uint64 k) external view returns (uint256[2] memory out, uint64[3] memory w) {
        w = weights;
        out[0] = uint256(w[0]) * k;
        out[1] = w[1] + k;
    }

    event Flagged(address[] who, uint8[] levels, bool[] on);
    event Marked(address[] indexed who, int8[] indexed deltas);

    function flagged(address[] calldata who, uint8[] calldata levels, bool[] calldata on) external {
        emit Flagged(who, levels, on);
    }

    function marked(address[] calldata who, int8[] calldata deltas) external {
        if (who.length == 0) revert BadHolders(who);
        emit Marked(who, deltas);
    }
}
