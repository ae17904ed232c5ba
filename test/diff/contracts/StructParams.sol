// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IToken {
    function balanceOf(address) external view returns (uint256);
}

/// Entry points taking structs of value types in calldata and memory: member reads (calldata members
/// validated where read), memory copies written to storage, enums, bools and narrow integers
/// (checked against the EVM by the differential harness).
contract StructParams {
    enum Side {
        Buy,
        Sell
    }

    struct Order {
        address maker;
        uint128 amount;
        uint64 expiry;
        Side side;
        bool partialFill;
    }

    struct Listing {
        address seller;
        uint96 price;
        bool active;
        uint32 since;
    }

    struct Quote {
        int24 tick;
        bytes4 venue;
        uint256 price;
    }

    mapping(bytes32 => uint256) public filled;
    mapping(uint256 => Listing) public listings;

    event Filled(address indexed maker, uint128 amount, Side side);

    function fill(Order calldata o, uint128 take) external returns (uint256) {
        if (o.expiry < block.timestamp) revert("expired");
        if (!o.partialFill) require(take == o.amount, "full fill only");
        bytes32 id = keccak256(abi.encode(o.maker, o.amount, o.expiry));
        filled[id] += take;
        emit Filled(o.maker, take, o.side);
        return filled[id];
    }

    function sideOf(Order calldata o) external pure returns (bool) {
        return o.side == Side.Sell;
    }

    function list(uint256 id, Listing memory l) external {
        l.since = uint32(block.timestamp);
        listings[id] = l;
    }

    function listingPrice(Listing calldata l, uint96 floor) external pure returns (uint96) {
        return l.active && l.price > floor ? l.price : floor;
    }

    function quote(uint8 fee, Quote calldata q, Quote memory r) external pure returns (int256, bytes4, uint256) {
        return (int256(q.tick) + r.tick, r.venue, q.price + fee);
    }

    function weighted(uint16[3] calldata bps, uint256 amount, uint256 i) external pure returns (uint256) {
        return (amount * bps[i]) / 10000 + bps.length;
    }

    function pair(address[2] memory who, bool second) external pure returns (address) {
        return second ? who[1] : who[0];
    }

    function sumRange(int64[4] calldata xs, uint256 from) external pure returns (int256 total) {
        for (uint256 i = from; i < xs.length; i++) total += xs[i];
    }

    function countSells(Side[] calldata sides, uint256 upTo) external pure returns (uint256 n) {
        for (uint256 i = 0; i < upTo; i++) if (sides[i] == Side.Sell) n++;
    }

    function tokenAt(IToken[] calldata tokens, uint256 i) external pure returns (address) {
        return address(tokens[i]);
    }
}
