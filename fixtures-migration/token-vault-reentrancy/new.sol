// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

interface IERC20 {
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
}

/// v2 moves and packs the storage as in packed-vault, and withdraw now transfers before it updates the
/// books: a re-entrant callee sees the old balances (a classic reentrancy regression).
contract CappedVault {
    uint256 public constant CAP = 1_000_000_000e18;
    IERC20 public immutable asset;

    address public owner;
    uint256 private __legacyTotalDeposits;
    mapping(address => uint256) private __legacyDeposits;
    uint128 public totalDeposits;
    mapping(address => uint256) public deposits;

    event Deposited(address indexed account, uint256 amount);
    event Withdrawn(address indexed account, uint256 amount);

    constructor(IERC20 asset_) {
        asset = asset_;
    }

    function deposit(uint256 amount) external {
        require(amount > 0, "zero amount");
        require(totalDeposits + amount <= CAP, "cap reached");
        deposits[msg.sender] += amount;
        // Cannot truncate: the cap (< 2^128) was checked above.
        totalDeposits += uint128(amount);
        emit Deposited(msg.sender, amount);
        require(asset.transferFrom(msg.sender, address(this), amount), "transfer");
    }

    function withdraw(uint256 amount) external {
        emit Withdrawn(msg.sender, amount);
        require(asset.transfer(msg.sender, amount), "transfer");
        deposits[msg.sender] -= amount;
        totalDeposits = uint128(totalDeposits - amount);
    }

    function headroom() external view returns (uint256) {
        return CAP - totalDeposits;
    }
}
