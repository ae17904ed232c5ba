// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Array parameters of value types in calldata and memory: decoding checks, lengths, bounds-checked and
/// validated element reads, loops over them, and arrays passed on to internal functions.
contract ArrayParams {
    mapping(address => uint256) public balances;
    uint256 public total;

    event Sent(address indexed to, uint256 amount);

    function batchTransfer(address[] calldata to, uint256[] calldata amounts) external {
        require(to.length == amounts.length, "length mismatch");
        for (uint256 i = 0; i < to.length; i++) {
            balances[msg.sender] -= amounts[i];
            balances[to[i]] += amounts[i];
            emit Sent(to[i], amounts[i]);
        }
    }

    function at(uint8[] calldata xs, uint256 i) external pure returns (uint8) {
        return xs[i];
    }

    function flags(bool[] calldata fs) external pure returns (uint256 n) {
        for (uint256 i; i < fs.length; ++i) if (fs[i]) n++;
    }

    function signed(int16[] calldata xs) external pure returns (int256 s) {
        for (uint256 i; i < xs.length; i++) s += xs[i];
    }

    function tags(bytes4[] calldata ts, uint256 i) external pure returns (bytes4) {
        return ts[i];
    }

    function lengths(uint256[] calldata a, address[] calldata b) external pure returns (uint256, uint256) {
        return (a.length, b.length);
    }

    function sumMemory(uint256[] memory xs) external pure returns (uint256 s) {
        for (uint256 i = 0; i < xs.length; i++) s += xs[i];
    }

    function lastMemory(bytes32[] memory xs) external pure returns (bytes32) {
        return xs[xs.length - 1];
    }

    function record(uint256[] calldata xs) external {
        total += _sum(xs);
    }

    function _sum(uint256[] calldata xs) internal pure returns (uint256 s) {
        for (uint256 i; i < xs.length; i++) s += xs[i];
    }
}
