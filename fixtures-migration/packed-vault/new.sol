// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// v2 packs the total into a uint128 next to the new accounting slot and moves the deposits to a fresh
/// mapping; the migration copies both and clears the legacy slots.
contract CappedVault {
    uint256 public constant CAP = 1_000_000_000e18;

    address public owner;
    uint256 private __legacyTotalDeposits;
    mapping(address => uint256) private __legacyDeposits;
    uint128 public totalDeposits;
    mapping(address => uint256) public deposits;

    event Deposited(address indexed account, uint256 amount);
    event Withdrawn(address indexed account, uint256 amount);

    function deposit(uint256 amount) external {
        require(amount > 0, "zero amount");
        require(totalDeposits + amount <= CAP, "cap reached");
        deposits[msg.sender] += amount;
        // Cannot truncate: the cap (< 2^128) was checked above.
        totalDeposits += uint128(amount);
        emit Deposited(msg.sender, amount);
    }

    function withdraw(uint256 amount) external {
        deposits[msg.sender] -= amount;
        // Checked in 256 bits, so an amount above the total reverts as before; the result fits.
        totalDeposits = uint128(totalDeposits - amount);
        emit Withdrawn(msg.sender, amount);
    }

    function headroom() external view returns (uint256) {
        return CAP - totalDeposits;
    }
}
