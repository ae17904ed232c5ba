// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title A capped token with an owner-only mint.
/// #invariant {:msg "supply under the cap"} totalSupply <= MAX_SUPPLY;
contract CappedToken {
    uint256 public constant MAX_SUPPLY = 1_000_000 ether;

    mapping(address => uint256) public balanceOf;
    uint256 public totalSupply;
    address public owner;

    event Transfer(address indexed from, address indexed to, uint256 value);

    error CapExceeded(uint256 supply);

    constructor() {
        owner = msg.sender;
    }

    /// #if_succeeds {:msg "mint adds to the supply"} totalSupply == old(totalSupply) + amount;
    function mint(address to, uint256 amount) external {
        require(msg.sender == owner, "not owner");
        uint256 supply = totalSupply + amount;
        if (supply > MAX_SUPPLY) revert CapExceeded(supply);
        totalSupply = supply;
        balanceOf[to] += amount;
        emit Transfer(address(0), to, amount);
    }

    /// @custom:scribble #if_succeeds $result == old(balanceOf[msg.sender]) - amount;
    function burn(uint256 amount) external returns (uint256) {
        balanceOf[msg.sender] -= amount;
        totalSupply -= amount;
        emit Transfer(msg.sender, address(0), amount);
        return balanceOf[msg.sender];
    }

    /// #if_succeeds {:msg "the sender keeps the rest"}
    ///     let before := old(balanceOf[msg.sender]) in
    ///     remaining == before - amount;
    function transfer(address to, uint256 amount) external returns (uint256 remaining) {
        balanceOf[msg.sender] -= amount;
        balanceOf[to] += amount;
        emit Transfer(msg.sender, to, amount);
        remaining = balanceOf[msg.sender];
    }
}
