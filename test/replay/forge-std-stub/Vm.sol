// SPDX-License-Identifier: MIT
pragma solidity >=0.8.0 <0.9.0;

// A local stand-in for forge-std's Vm.sol: only the cheatcodes patchproof's reproductions use, declared
// exactly as forge-std declares them (getRecordedLogs as in current forge-std; older releases omit `view`).

interface VmSafe {
    struct Log {
        bytes32[] topics;
        bytes data;
        address emitter;
    }

    // Loads a storage slot from an address
    function load(address target, bytes32 slot) external view returns (bytes32 data);

    // Record all the transaction logs
    function recordLogs() external;

    // Gets all the recorded logs
    function getRecordedLogs() external view returns (Log[] memory logs);
}

interface Vm is VmSafe {
    // Sets block.height
    function roll(uint256 newHeight) external;

    // Sets block.timestamp
    function warp(uint256 newTimestamp) external;

    // Sets an address' balance
    function deal(address account, uint256 newBalance) external;

    // Sets an address' code
    function etch(address target, bytes calldata newRuntimeBytecode) external;

    // Stores a value to an address' storage slot.
    function store(address target, bytes32 slot, bytes32 value) external;

    // Mocks a call to an address, returning specified data.
    function mockCall(address callee, bytes calldata data, bytes calldata returnData) external;

    // Sets the *next* call's msg.sender to be the input address
    function prank(address msgSender) external;
    function chainId(uint256 newChainId) external;
    function fee(uint256 newBasefee) external;
    function prevrandao(bytes32 newPrevrandao) external;
    function coinbase(address newCoinbase) external;

    // Sets the *next* call's msg.sender to be the input address, and the tx.origin to be the second input
    function prank(address msgSender, address txOrigin) external;
}
