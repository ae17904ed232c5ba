// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Storage pointers returned by internal functions (checked against the EVM by the differential harness).
contract PointerReturns {
    struct Position {
        address owner;
        uint96 size;
        uint128 debt;
        bool open;
    }

    mapping(uint256 => Position) internal positions;
    Position[] internal archive;
    mapping(address => uint256[]) internal ids;

    error NoPosition(uint256 id);

    function _pos(uint256 id) internal view returns (Position storage) {
        return positions[id];
    }

    function _openPos(uint256 id) internal view returns (Position storage p) {
        Position storage q = positions[id];
        if (!q.open) revert NoPosition(id);
        return q;
    }

    function _archived(uint256 i) internal view returns (Position storage) {
        require(i != 0, "reserved");
        return archive[i - 1];
    }

    function _idsOf(address who) internal view returns (uint256[] storage) {
        return ids[who];
    }

    function open(uint256 id, uint96 size) external {
        Position storage p = _pos(id);
        require(!p.open, "open");
        p.owner = msg.sender;
        p.size = size;
        p.open = true;
        _idsOf(msg.sender).push(id);
    }

    function borrow(uint256 id, uint128 amount) external returns (uint128) {
        Position storage p = _openPos(id);
        require(p.owner == msg.sender, "owner");
        p.debt += amount;
        return _pos(id).debt;
    }

    function archived(uint256 i) external view returns (address, uint96) {
        return (_archived(i).owner, _archived(i).size);
    }

    function idCount(address who) external view returns (uint256) {
        return _idsOf(who).length;
    }

    function close(uint256 id) external {
        Position storage p = _openPos(id);
        archive.push(p);
        delete positions[id];
    }

    function largerDebt(uint256 a, uint256 b, uint128 bump) external returns (uint128) {
        Position storage p = positions[a];
        if (positions[b].debt > p.debt) p = positions[b];
        p.debt += bump;
        return p.debt;
    }

    function lastOpen(uint256 from, uint256 n) external view returns (address who) {
        require(n <= 4, "too far");
        Position storage p = positions[from];
        for (uint256 i = 1; i <= n; i++) {
            if (positions[from + i].open) p = positions[from + i];
        }
        return p.owner;
    }
}
