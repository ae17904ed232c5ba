// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// A token written the solmate way: its ERC-20 views are public state variables, so callers call getters.
contract GetterToken {
    struct Position {
        uint128 size;
        int64 bias;
        bool open;
    }

    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;
    uint8 public decimals;
    uint256 public totalSupply;
    mapping(uint256 => Position) public positions;
    uint256[] public checkpoints;
    mapping(string => uint256) public byName;
    address public owner;
}

/// Differential-harness contract: external calls of another contract's public state variable getters.
contract GetterCalls {
    GetterToken public token;
    uint256 public seen;

    function setToken(GetterToken t) external {
        token = t;
    }

    function held(address who) external view returns (uint256) {
        return token.balanceOf(who);
    }

    function spendable(address from, address spender) external returns (uint256 left) {
        left = token.allowance(from, spender);
        seen += left > 0 ? 1 : 0;
    }

    function scaled(uint256 amount) external view returns (uint256) {
        return amount * 10 ** token.decimals() / (token.totalSupply() + 1);
    }

    function position(uint256 id) external view returns (uint128 size, int64 bias, bool open) {
        (size, bias, open) = token.positions(id);
    }

    function openSize(uint256 id) external view returns (uint128) {
        (uint128 size, , bool open) = token.positions(id);
        return open ? size : 0;
    }

    function checkpoint(uint256 i) external view returns (uint256) {
        return token.checkpoints(i);
    }

    function named(string calldata name) external view returns (uint256) {
        return token.byName(name);
    }

    function isOwner(address who) external view returns (bool) {
        return token.owner() == who;
    }
}
