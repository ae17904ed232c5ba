// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

interface IERC20 {
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
}

/// v1 of a capped token vault behind a proxy (checks, effects, then the transfer).
contract CappedVault {
    uint256 public constant CAP = 1_000_000_000e18;
    IERC20 public immutable asset;

    address public owner;
    uint256 public totalDeposits;
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
        totalDeposits += amount;
        emit Deposited(msg.sender, amount);
        require(asset.transferFrom(msg.sender, address(this), amount), "transfer");
    }

    function withdraw(uint256 amount) external {
        deposits[msg.sender] -= amount;
        totalDeposits -= amount;
        emit Withdrawn(msg.sender, amount);
        require(asset.transfer(msg.sender, amount), "transfer");
    }

    function headroom() external view returns (uint256) {
        return CAP - totalDeposits;
    }
}
