// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Share accounting of a vault (assets tracked internally). Shares are rounded down, so a deposit
/// smaller than one share's worth mints nothing and its assets go to the existing holders: the
/// rounding half of the first-depositor inflation attack.
contract ShareLedger {
    uint256 public totalAssets;
    uint256 public totalShares;
    mapping(address => uint256) public shares;

    event Deposit(address indexed who, uint256 assets, uint256 minted);

    function deposit(uint256 assets) external returns (uint256 minted) {
        minted = totalShares == 0 ? assets : (assets * totalShares) / totalAssets;
        totalAssets += assets;
        totalShares += minted;
        shares[msg.sender] += minted;
        emit Deposit(msg.sender, assets, minted);
    }

    function donate(uint256 assets) external {
        totalAssets += assets;
    }
}
