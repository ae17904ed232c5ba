// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import "./oz.sol";

contract Vault is Initializable, OwnableUpgradeable, UUPSUpgradeable {
    mapping(address => uint256) public balances;
    uint256 public totalDeposits;
    function(uint256) internal pure returns (uint256) feeRule;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    function initialize(address admin) public initializer {
        __Ownable_init(admin);
    }

    function initializeV2() public reinitializer(2) {
        feeRule = _flatFee;
    }

    function _flatFee(uint256 amount) internal pure returns (uint256) {
        return amount / 100;
    }

    function deposit() external payable {
        balances[msg.sender] += msg.value;
        totalDeposits += msg.value;
    }

    function withdraw(uint256 amount) external {
        balances[msg.sender] -= amount;
        totalDeposits -= amount;
        uint256 fee = feeRule(amount);
        (bool ok, ) = msg.sender.call{value: amount - fee}("");
        require(ok, "transfer failed");
    }

    function _authorizeUpgrade(address) internal override onlyOwner {}
}
