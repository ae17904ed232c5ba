// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

library PosLib {
    function grow(StructsAndArrays.Pos storage p, uint128 by) internal returns (uint128) {
        p.amount += by;
        return p.amount;
    }
}

/// Differential-harness contract: structs (packed, nested, in mappings and arrays), storage pointers,
/// memory copies, dynamic and fixed-size storage arrays, push/pop, bounds checks, delete, getters.
contract StructsAndArrays {
    struct Pos {
        uint128 amount;
        uint64 since;
        bool open;
        address owner;
        uint256 debt;
    }

    struct Pair {
        Pos a;
        uint256 tag;
    }

    mapping(uint256 => Pos) public positions;
    Pos public config;
    uint256[] public queue;
    Pos[] public book;
    address[3] public admins;
    mapping(address => uint256[]) public lots;
    mapping(uint256 => Pair) internal pairs;
    uint256 public count;

    function open(uint256 id, uint128 amount) external {
        Pos storage p = positions[id];
        require(!p.open, "already open");
        p.amount = amount;
        p.since = uint64(block.timestamp);
        p.open = true;
        p.owner = msg.sender;
        count++;
    }

    function addDebt(uint256 id, uint256 d) external returns (uint256) {
        Pos storage p = positions[id];
        p.debt += d;
        return p.debt;
    }

    function snapshot(uint256 id) external view returns (uint128, uint64, bool, address) {
        Pos memory p = positions[id];
        return (p.amount, p.since, p.open, p.owner);
    }

    function bumpCopy(uint256 id) external returns (uint128) {
        Pos memory p = positions[id];
        p.amount += 1;
        return positions[id].amount;
    }

    function writeBack(uint256 id, uint128 extra) external {
        Pos memory p = positions[id];
        p.amount += extra;
        p.open = !p.open;
        positions[id] = p;
    }

    function reset(uint256 id) external {
        positions[id] = Pos({owner: msg.sender, amount: 7, since: 0, open: false, debt: 1});
    }

    function close(uint256 id) external {
        delete positions[id];
    }

    function setConfig(uint128 amount, address owner) external {
        config.amount = amount;
        config.owner = owner;
        config.debt = config.debt + 1;
    }

    function copyToConfig(uint256 id) external {
        config = positions[id];
    }

    function enqueue(uint256 x) external returns (uint256) {
        queue.push(x);
        return queue.length;
    }

    function enqueueEmpty() external {
        queue.push();
    }

    function dequeueLast() external returns (uint256 last) {
        last = queue[queue.length - 1];
        queue.pop();
    }

    function popOnly() external {
        queue.pop();
    }

    function at(uint256 i) external view returns (uint256) {
        return queue[i];
    }

    function setAt(uint256 i, uint256 v) external {
        queue[i] = v;
    }

    function removeAt(uint256 i) external {
        queue[i] = queue[queue.length - 1];
        queue.pop();
    }

    function clearAt(uint256 i) external {
        delete queue[i];
    }

    function addToBook(uint128 amount, uint256 debt) external returns (uint256) {
        book.push(Pos(amount, uint64(block.number), true, msg.sender, debt));
        return book.length - 1;
    }

    function bookDebt(uint256 i) external view returns (uint256) {
        return book[i].debt;
    }

    function repay(uint256 i, uint256 amount) external {
        Pos storage p = book[i];
        require(p.owner == msg.sender, "not owner");
        p.debt -= amount;
    }

    function dropBook() external {
        book.pop();
    }

    function setAdmin(uint256 i, address a) external {
        admins[i] = a;
    }

    function firstAdmin() external view returns (address) {
        return admins[0];
    }

    function resetAdmins() external {
        delete admins;
    }

    function addLot(uint256 x) external {
        lots[msg.sender].push(x);
    }

    function lotCount(address who) external view returns (uint256) {
        return lots[who].length;
    }

    function takeLot(uint256 i) external returns (uint256 v) {
        uint256[] storage mine = lots[msg.sender];
        v = mine[i];
        mine[i] = mine[mine.length - 1];
        mine.pop();
    }

    function setPair(uint256 k, uint128 amount, uint256 tag) external {
        Pair storage pr = pairs[k];
        pr.a.amount = amount;
        pr.tag = tag;
    }

    function pairSum(uint256 k) external view returns (uint256) {
        return uint256(pairs[k].a.amount) + pairs[k].tag;
    }

    function clearPair(uint256 k) external {
        delete pairs[k];
    }

    using PosLib for Pos;

    function growPosition(uint256 id, uint128 by) external returns (uint128) {
        return positions[id].grow(by);
    }

    function settle(uint256 id, uint256 i) external {
        _move(positions[id], book[i]);
    }

    function _move(Pos storage from, Pos storage to) internal {
        to.debt += from.debt;
        from.debt = 0;
    }

    function pickIfSmall(uint256 i, bool useQueue) external view returns (uint256) {
        return useQueue && queue.length > i ? queue[i] : 0;
    }
}
