// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// An owner-only minter with a legacy airdrop function.
contract Minter {
    address public owner;
    uint256 public minted;
    uint256 public constant CAP = 1_000_000e18;
    mapping(address => uint256) public credits;

    function mint(address to, uint256 amount) external {
        require(msg.sender == owner, "not owner");
        require(minted + amount <= CAP, "cap");
        minted += amount;
        credits[to] += amount;
    }

    function airdrop(address to) external {
        require(msg.sender == owner, "not owner");
        credits[to] += 1e18;
        minted += 1e18;
    }
}
