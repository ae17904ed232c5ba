// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// The fix: a deposit that would mint no shares reverts instead of giving its assets away.
contract ShareLedger {
    uint256 public totalAssets;
    uint256 public totalShares;
    mapping(address => uint256) public shares;

    error ZeroShares(uint256 assets);

    event Deposit(address indexed who, uint256 assets, uint256 minted);

    function deposit(uint256 assets) external returns (uint256 minted) {
        minted = totalShares == 0 ? assets : (assets * totalShares) / totalAssets;
        if (minted == 0) revert ZeroShares(assets);
        totalAssets += assets;
        totalShares += minted;
        shares[msg.sender] += minted;
        emit Deposit(msg.sender, assets, minted);
    }

    function donate(uint256 assets) external {
        totalAssets += assets;
    }
}
