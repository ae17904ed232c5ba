// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// Deposits up to a cap fixed at deployment. The property claims a bound the cap does not give: it is
/// violated only for a cap above 1000, so its counterexample must set the immutable for the EVM replay.
contract CappedPool {
    uint256 public immutable cap;
    uint256 public total;

    constructor(uint256 cap_) {
        cap = cap_;
    }

    /// #if_succeeds {:msg "never above 1000"} total <= 1000;
    function deposit(uint256 amount) external {
        require(total + amount <= cap, "cap");
        total += amount;
    }

    /// #if_succeeds total <= cap;
    function depositChecked(uint256 amount) external {
        require(total + amount <= cap, "cap");
        total += amount;
    }
}
