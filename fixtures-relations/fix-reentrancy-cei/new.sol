// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// The fix by checks-effects-interactions: state is updated before the ether leaves.
contract EtherBank {
    mapping(address => uint256) public balances;
    uint256 public totalDeposits;

    event Withdrawn(address indexed account, uint256 amount);

    function deposit() external payable {
        balances[msg.sender] += msg.value;
        totalDeposits += msg.value;
    }

    function withdraw() external {
        uint256 amount = balances[msg.sender];
        require(amount > 0, "nothing to withdraw");
        balances[msg.sender] = 0;
        totalDeposits -= amount;
        (bool ok, ) = msg.sender.call{value: amount}("");
        require(ok, "transfer failed");
        emit Withdrawn(msg.sender, amount);
    }
}
