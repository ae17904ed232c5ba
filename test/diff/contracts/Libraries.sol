// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// External (public) library functions: run by DELEGATECALL into the linked library.
library FeeMath {
    error FeeTooHigh(uint256 bps);

    event FeeCharged(address indexed payer, uint256 fee);

    struct Config {
        uint16 bps;
        address collector;
        uint256 collected;
    }

    function feeOf(uint256 amount, uint256 bps) public pure returns (uint256) {
        if (bps > 10_000) revert FeeTooHigh(bps);
        return (amount * bps) / 10_000;
    }

    function ratio(uint256 a, uint256 b) external pure returns (uint256 q, uint256 r) {
        q = a / b;
        r = a % b;
    }

    function charge(Config storage self, uint256 amount) public returns (uint256 fee) {
        require(self.collector != address(0), "FeeMath: no collector");
        fee = feeOf(amount, self.bps);
        self.collected += fee;
        emit FeeCharged(msg.sender, fee);
    }

    function setBps(Config storage self, uint16 bps) external {
        self.bps = bps;
    }

    function context() public view returns (address, address, uint256) {
        return (address(this), msg.sender, address(this).balance);
    }
}

contract Libraries {
    using FeeMath for FeeMath.Config;
    using FeeMath for uint256;

    FeeMath.Config public config;
    mapping(address => uint256) public paid;

    function quote(uint256 amount, uint256 bps) external pure returns (uint256) {
        return amount.feeOf(bps);
    }

    function split(uint256 a, uint256 b) external pure returns (uint256, uint256) {
        return FeeMath.ratio(a, b);
    }

    function pay(uint256 amount) external payable returns (uint256 fee) {
        fee = config.charge(amount);
        paid[msg.sender] += amount - fee;
    }

    function configure(uint16 bps) external {
        config.setBps(bps);
    }

    function whoAmI() external payable returns (address, address, uint256) {
        return FeeMath.context();
    }
}
