// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// v2 as in packed-vault, except that withdraw truncates the amount to 128 bits before subtracting it
/// from the total (an amount of 2^128 or more then passes where v1 reverted).
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
        totalDeposits -= uint128(amount);
        emit Withdrawn(msg.sender, amount);
    }

    function headroom() external view returns (uint256) {
        return CAP - totalDeposits;
    }
}
