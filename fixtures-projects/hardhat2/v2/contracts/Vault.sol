// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Vault {
    mapping(address => uint256) public balances;
    uint256 public totalDeposits;

    function deposit() external payable {
        uint256 value = msg.value;
        balances[msg.sender] += value;
        totalDeposits += value;
    }

    /// The require became a custom error: same condition, different revert data.
    error Insufficient(uint256 available, uint256 requested);

    function withdraw(uint256 amount) external {
        uint256 available = balances[msg.sender];
        if (available < amount) revert Insufficient(available, amount);
        balances[msg.sender] = available - amount;
        totalDeposits -= amount;
        payable(msg.sender).transfer(amount);
    }
}
