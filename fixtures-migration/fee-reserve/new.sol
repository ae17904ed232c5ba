// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// A share vault (v2): part of the assets is held as a fee reserve, set once by the upgrade's migration.
/// #invariant {:msg "backed"} totalShares <= totalAssets;
/// #invariant {:msg "reserve covered"} feeReserve <= totalAssets;
contract ShareVault {
    uint256 public totalAssets;
    uint256 public totalShares;
    mapping(address => uint256) public sharesOf;
    uint256 public feeReserve;
    uint8 public version;

    function deposit(uint256 amount) external {
        totalAssets += amount;
        totalShares += amount;
        sharesOf[msg.sender] += amount;
    }

    /// The migration as first written: the reserve is not checked against the assets.
    function initializeV2Unchecked(uint256 reserve) external {
        require(version < 2, "migrated");
        version = 2;
        feeReserve = reserve;
    }

    /// The migration as fixed.
    function initializeV2(uint256 reserve) external {
        require(version < 2, "migrated");
        require(reserve <= totalAssets, "reserve above assets");
        version = 2;
        feeReserve = reserve;
    }
}
