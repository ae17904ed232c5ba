// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IERC20 {
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
}

/// Vesting payouts in a token that reports failure by returning false. The payout ignores the answer,
/// so a failed transfer still marks the amount as released.
contract VestingPayout {
    IERC20 public immutable token;
    address public beneficiary;
    uint256 public released;
    uint256 public total;

    constructor(IERC20 t, address b, uint256 amount) {
        token = t;
        beneficiary = b;
        total = amount;
    }

    function release(uint256 amount) external {
        require(msg.sender == beneficiary, "not beneficiary");
        require(released + amount <= total, "exceeds vested");
        released += amount;
        token.transfer(beneficiary, amount);
    }

    function topUp(uint256 amount) external {
        require(token.transferFrom(msg.sender, address(this), amount), "transfer failed");
        total += amount;
    }
}
