// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// v2 moves the ledger past two retired slots, renames the balances and narrows the total, as its
/// NatSpec declares for the upgrade tooling; the migration copies both (the capped total fits).
contract CreditLedger {
    address public owner;
    uint256 private __retiredTotal;
    mapping(address => uint256) private __retiredBalances;
    /// @custom:oz-renamed-from balances
    mapping(address => uint256) internal credit;
    /// @custom:oz-retyped-from uint256
    uint128 public totalCredit;

    uint256 public constant MAX_TOTAL = 2 ** 96 - 1;

    error NotOwner();
    error OverCap(uint256 total);

    constructor() {
        owner = msg.sender;
    }

    function grant(address to, uint256 amount) external {
        if (msg.sender != owner) revert NotOwner();
        if (totalCredit + amount > MAX_TOTAL) revert OverCap(totalCredit + amount);
        credit[to] += amount;
        // Cannot truncate: the cap was checked in 256 bits above.
        totalCredit = uint128(totalCredit + amount);
    }

    function spend(uint256 amount) external {
        credit[msg.sender] -= amount;
        totalCredit = uint128(totalCredit - amount);
    }

    function creditOf(address who) external view returns (uint256) {
        return credit[who];
    }
}
