// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// A fee vault whose fee setter forgot its access check (anyone could set a 100% fee).
contract FeeVault {
    address public owner;
    uint256 public feeBps;
    mapping(address => uint256) public balances;

    event FeeChanged(uint256 oldFee, uint256 newFee);
    event Deposited(address indexed account, uint256 amount, uint256 fee);

    function setFee(uint256 newFee) external {
        require(newFee <= 10_000, "fee too high");
        emit FeeChanged(feeBps, newFee);
        feeBps = newFee;
    }

    function deposit() external payable {
        uint256 fee = (msg.value * feeBps) / 10_000;
        balances[msg.sender] += msg.value - fee;
        balances[owner] += fee;
        emit Deposited(msg.sender, msg.value, fee);
    }
}
