// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// The patch disables the airdrop for good and refuses mints to the zero address.
contract Minter {
    address public owner;
    uint256 public minted;
    uint256 public constant CAP = 1_000_000e18;
    mapping(address => uint256) public credits;

    function mint(address to, uint256 amount) external {
        require(msg.sender == owner, "not owner");
        require(to != address(0), "zero address");
        require(minted + amount <= CAP, "cap");
        minted += amount;
        credits[to] += amount;
    }

    function airdrop(address) external pure {
        revert("airdrop disabled");
    }
}
