// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import "./oz.sol";

contract Vault is Initializable, OwnableUpgradeable, UUPSUpgradeable {
    mapping(address => uint256) public balances;
    uint256 public totalDeposits;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    function initialize(address admin) public initializer {
        __Ownable_init(admin);
    }

    function execute(address target, bytes calldata data) external onlyOwner returns (bool) {
        return _delegate(target, data);
    }

    function multicall(bytes[] calldata calls) external {
        for (uint256 i = 0; i < calls.length; i++) {
            (bool ok, ) = address(this).delegatecall(calls[i]);
            require(ok, "multicall failed");
        }
    }

    function _delegate(address target, bytes memory data) internal returns (bool ok) {
        assembly {
            ok := delegatecall(gas(), target, add(data, 0x20), mload(data), 0, 0)
        }
    }

    function deposit() external payable {
        balances[msg.sender] += msg.value;
        totalDeposits += msg.value;
    }

    function withdraw(uint256 amount) external {
        balances[msg.sender] -= amount;
        totalDeposits -= amount;
        (bool ok, ) = msg.sender.call{value: amount}("");
        require(ok, "transfer failed");
    }

    function _authorizeUpgrade(address) internal override onlyOwner {}
}
