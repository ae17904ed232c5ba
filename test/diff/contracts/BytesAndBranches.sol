// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Differential-harness contract: bytesN conversions, ternaries and short-circuits with side effects,
/// custom errors with assorted argument types, immutables, payable entry points.
contract BytesAndBranches {
    uint256 public hits;
    bytes32 public last;
    mapping(address => uint256) public credit;
    address public immutable admin;
    int16 public immutable offset;
    uint256 public immutable limit;
    uint256 public constant SCALE = 1e18;

    error Bad(bytes4 sel, bool flag, int8 code, address who);

    event Seen(bytes32 indexed h, bytes1 first, bytes4 head);

    constructor(address a, int16 o, uint256 l) {
        admin = a;
        offset = o;
        limit = l;
    }

    function slice(bytes32 h) external returns (bytes1, bytes4, bytes16, uint256) {
        last = h;
        emit Seen(h, bytes1(h), bytes4(h));
        return (bytes1(h), bytes4(h), bytes16(h), uint256(h) >> 248);
    }

    function grow(bytes4 x) external pure returns (bytes32, bytes8, uint32) {
        return (bytes32(x), bytes8(x), uint32(x));
    }

    function bytesOps(bytes4 a, bytes4 b) external pure returns (bytes4, bytes4, bool, bool) {
        return (a & b, a ^ ~b, a < b, a == b);
    }

    function fail(bytes4 sel, bool flag, int8 code) external view {
        if (flag || code < 0) revert Bad(sel, flag, code, msg.sender);
    }

    function pick(bool c, uint256 x) external returns (uint256) {
        return c ? (hits += x) : (hits = hits - x);
    }

    function either(uint256 x) external returns (bool) {
        return x > 10 || ++hits > limit;
    }

    function both(uint256 x) external returns (bool r) {
        r = x < limit && (hits++ < x);
    }

    function adminOnly(int16 d) external view returns (int16) {
        require(msg.sender == admin, "admin");
        return offset + d;
    }

    function deposit() external payable {
        credit[msg.sender] += msg.value * SCALE / 1e18;
        hits = msg.value > limit ? hits + 1 : hits;
    }

    receive() external payable {
        credit[address(0)] += msg.value;
    }

    fallback() external payable {
        hits += 1;
    }
}
