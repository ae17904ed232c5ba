// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// v1 of a credit ledger behind a proxy.
contract CreditLedger {
    address public owner;
    uint256 public totalCredit;
    mapping(address => uint256) internal balances;

    uint256 public constant MAX_TOTAL = 2 ** 96 - 1;

    error NotOwner();
    error OverCap(uint256 total);

    constructor() {
        owner = msg.sender;
    }

    function grant(address to, uint256 amount) external {
        if (msg.sender != owner) revert NotOwner();
        if (totalCredit + amount > MAX_TOTAL) revert OverCap(totalCredit + amount);
        balances[to] += amount;
        totalCredit += amount;
    }

    function spend(uint256 amount) external {
        balances[msg.sender] -= amount;
        totalCredit -= amount;
    }

    function creditOf(address who) external view returns (uint256) {
        return balances[who];
    }
}
