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
}
