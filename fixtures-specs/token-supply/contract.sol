// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title A capped token with an owner-only mint.
/// #invariant {:msg "supply under the cap"} totalSupply <= cap;
/// @custom:scribble #invariant balanceOf[msg.sender] <= totalSupply;
contract CappedToken {
    mapping(address => uint256) public balanceOf;
    uint256 public totalSupply;
    uint256 public immutable cap;
    address public owner;

    event Transfer(address indexed from, address indexed to, uint256 value);

    error CapExceeded(uint256 supply, uint256 cap);

    constructor(uint256 cap_) {
        cap = cap_;
        owner = msg.sender;
    }

    /// #if_succeeds {:msg "mint adds to supply and balance"}
    ///     totalSupply == old(totalSupply) + amount &&
    ///     balanceOf[to] == old(balanceOf[to]) + amount;
    function mint(address to, uint256 amount) external {
        require(msg.sender == owner, "not owner");
        uint256 supply = totalSupply + amount;
        if (supply > cap) revert CapExceeded(supply, cap);
        totalSupply = supply;
        balanceOf[to] += amount;
        emit Transfer(address(0), to, amount);
    }

    /// #if_succeeds totalSupply == old(totalSupply) - amount;
    /// #if_succeeds $result == old(balanceOf[msg.sender]) - amount;
    function burn(uint256 amount) external returns (uint256) {
        balanceOf[msg.sender] -= amount;
        totalSupply -= amount;
        emit Transfer(msg.sender, address(0), amount);
        return balanceOf[msg.sender];
    }

    /// #if_succeeds let sent := old(balanceOf[msg.sender]) - balanceOf[msg.sender] in
    ///     to != msg.sender ==> sent == amount;
    /// #if_succeeds {:msg "self transfers keep the balance"} $result == old(balanceOf[msg.sender]) - amount;
    function transfer(address to, uint256 amount) external returns (uint256 remaining) {
        balanceOf[msg.sender] -= amount;
        balanceOf[to] += amount;
        emit Transfer(msg.sender, to, amount);
        remaining = balanceOf[msg.sender];
    }
}
