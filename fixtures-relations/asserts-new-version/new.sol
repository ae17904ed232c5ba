// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// The patch adds sanity asserts. The one in burn restates an invariant (supply covers every balance)
/// that an arbitrary pre-state need not satisfy; the one in transfer follows from the code before it.
contract Token {
    mapping(address => uint256) public balanceOf;
    uint256 public totalSupply;

    event Transfer(address indexed from, address indexed to, uint256 value);

    function burn(uint256 amount) external {
        require(balanceOf[msg.sender] >= amount, "burn exceeds balance");
        assert(totalSupply >= balanceOf[msg.sender]);
        balanceOf[msg.sender] -= amount;
        totalSupply -= amount;
        emit Transfer(msg.sender, address(0), amount);
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        uint256 fromBalance = balanceOf[msg.sender];
        require(fromBalance >= amount, "transfer exceeds balance");
        balanceOf[msg.sender] = fromBalance - amount;
        assert(balanceOf[msg.sender] <= fromBalance);
        balanceOf[to] += amount;
        emit Transfer(msg.sender, to, amount);
        return true;
    }
}
