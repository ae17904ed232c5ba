// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import "./oz.sol";

/// Version 2 adds a withdrawal fee, set once by the upgrade through `initializeV2` (a new
/// reinitializer above the deployed version), and keeps everything the proxy relies on.
contract Vault is Initializable, OwnableUpgradeable, UUPSUpgradeable {
    mapping(address => uint256) public balances;
    uint256 public totalDeposits;
    uint256 public feeBps;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    function initialize(address admin) public initializer {
        __Ownable_init(admin);
    }

    function initializeV2(uint256 fee) public reinitializer(2) {
        require(fee <= 500, "fee too high");
        feeBps = fee;
    }

    function deposit() external payable {
        balances[msg.sender] += msg.value;
        totalDeposits += msg.value;
    }

    function withdraw(uint256 amount) external {
        balances[msg.sender] -= amount;
        totalDeposits -= amount;
        uint256 fee = (amount * feeBps) / 10_000;
        (bool ok, ) = msg.sender.call{value: amount - fee}("");
        require(ok, "transfer failed");
    }

    function _authorizeUpgrade(address) internal override onlyOwner {}
}
