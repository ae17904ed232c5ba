// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// A share vault (v1). Shares never exceed the assets backing them.
/// #invariant {:msg "backed"} totalShares <= totalAssets;
contract ShareVault {
    uint256 public totalAssets;
    uint256 public totalShares;
    mapping(address => uint256) public sharesOf;

    function deposit(uint256 amount) external {
        totalAssets += amount;
        totalShares += amount;
        sharesOf[msg.sender] += amount;
    }
}
