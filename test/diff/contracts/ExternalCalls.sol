// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IOracle {
    function price(address asset) external view returns (uint256);
    function decimals() external view returns (uint8);
    function flags() external view returns (bool, int16, bytes4);
}

interface ISink {
    function notify(address from, uint256 amount) external;
    function deposit(uint256 amount) external payable returns (bool);
}

/// Differential-harness contract: every modelled external-call form, answered by the harness's stub world.
contract ExternalCalls {
    IOracle public oracle;
    ISink public sink;
    address payable public payee;
    uint256 public last;
    int16 public lastFlag;

    event Paid(address indexed to, uint256 amount, bool ok);

    function readPrice(address asset) external returns (uint256 p) {
        p = oracle.price(asset);
        last = p;
    }

    function readDecimals() external view returns (uint8) {
        return oracle.decimals();
    }

    function readFlags() external returns (bool b, bytes4 tag) {
        int16 f;
        (b, f, tag) = oracle.flags();
        lastFlag = f;
    }

    function ping(uint256 amount) external {
        sink.notify(msg.sender, amount);
        last = amount;
    }

    function forward(uint256 amount) external payable returns (bool ok) {
        ok = sink.deposit{value: amount}(amount);
    }

    function sendTo(uint256 amount) external payable returns (bool) {
        bool ok = payee.send(amount);
        emit Paid(payee, amount, ok);
        return ok;
    }

    function transferTo(uint256 amount) external payable {
        payee.transfer(amount);
        last = address(this).balance;
    }

    function rawCall(address to, uint256 amount) external payable returns (bool ok, uint256 left) {
        (ok, ) = to.call{value: amount}("");
        left = address(this).balance;
    }

    function self() external view returns (address, uint256) {
        return (address(this), address(this).balance);
    }
}
