// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// The classic: the balance is cleared after the ether is sent, so the recipient can re-enter withdraw.
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
        (bool ok, ) = msg.sender.call{value: amount}("");
        require(ok, "transfer failed");
        balances[msg.sender] = 0;
        totalDeposits -= amount;
        emit Withdrawn(msg.sender, amount);
    }
}
