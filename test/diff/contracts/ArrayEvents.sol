// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Arrays of value types as event data, indexed event topics and custom error arguments: memory arrays,
/// storage arrays, calldata parameters (each element validated when encoded).
contract ArrayEvents {
    address[] public holders;
    uint32[] public stamps;
    bool[] public flags;

    function addHolder(address h, uint32 t, bool f) external {
        holders.push(h);
        stamps.push(t);
        flags.push(f);
    }

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
