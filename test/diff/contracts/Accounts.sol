// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Balances of other accounts and code-existence checks (`a.balance`, `a.code.length` against zero).
contract Accounts {
    uint256 public threshold;
    event Swept(address indexed to, uint256 amount, uint256 balanceAfter);

    function balanceOf(address who) external view returns (uint256) {
        return who.balance;
    }

    function senderBalance() external view returns (uint256) {
        return msg.sender.balance;
    }

    function selfViaAddress() external payable returns (uint256, uint256) {
        return (address(this).balance, payable(address(this)).balance);
    }

    function richEnough(address a, address b) external view returns (bool) {
        return a.balance + b.balance >= threshold;
    }

    function isContract(address a) external view returns (bool, bool, bool) {
        return (a.code.length > 0, 0 != a.code.length, a.code.length == 0);
    }

    function pay(address payable to, uint256 amount) external payable {
        require(to.code.length == 0, "only accounts");
        uint256 before = to.balance;
        to.transfer(amount);
        emit Swept(to, amount, to.balance - before);
    }

    function payAndCall(address payable to, uint256 amount) external payable returns (uint256) {
        (bool ok, ) = to.call{value: amount}("");
        uint256 after_ = to.balance;
        if (!ok) return after_ + 1;
        (bool sent) = to.send(amount / 2);
        return sent ? to.balance - after_ : after_;
    }
}
