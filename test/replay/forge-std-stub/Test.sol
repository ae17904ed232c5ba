// SPDX-License-Identifier: MIT
pragma solidity >=0.8.0 <0.9.0;

// A local stand-in for forge-std's Test.sol: `vm` where forge-std's CommonBase puts it, and the
// assertions of forge-std's StdAssertions with the same overloads (so overload ambiguity shows up here
// as it would against the real library). A failed assertion reverts with its message.

import {Vm} from "./Vm.sol";

abstract contract Test {
    address internal constant VM_ADDRESS = address(uint160(uint256(keccak256("hevm cheat code"))));
    Vm internal constant vm = Vm(VM_ADDRESS);

    function assertTrue(bool data) internal pure virtual {
        if (!data) revert("assertion failed");
    }

    function assertTrue(bool data, string memory err) internal pure virtual {
        if (!data) revert(err);
    }

    function assertFalse(bool data) internal pure virtual {
        if (data) revert("assertion failed");
    }

    function assertFalse(bool data, string memory err) internal pure virtual {
        if (data) revert(err);
    }

    function assertEq(bool left, bool right) internal pure virtual {
        assertTrue(left == right);
    }

    function assertEq(bool left, bool right, string memory err) internal pure virtual {
        assertTrue(left == right, err);
    }

    function assertEq(uint256 left, uint256 right) internal pure virtual {
        assertTrue(left == right);
    }

    function assertEq(uint256 left, uint256 right, string memory err) internal pure virtual {
        assertTrue(left == right, err);
    }

    function assertEq(int256 left, int256 right) internal pure virtual {
        assertTrue(left == right);
    }

    function assertEq(int256 left, int256 right, string memory err) internal pure virtual {
        assertTrue(left == right, err);
    }

    function assertEq(address left, address right) internal pure virtual {
        assertTrue(left == right);
    }

    function assertEq(address left, address right, string memory err) internal pure virtual {
        assertTrue(left == right, err);
    }

    function assertEq(bytes32 left, bytes32 right) internal pure virtual {
        assertTrue(left == right);
    }

    function assertEq(bytes32 left, bytes32 right, string memory err) internal pure virtual {
        assertTrue(left == right, err);
    }

    function assertEq(string memory left, string memory right) internal pure virtual {
        assertTrue(keccak256(bytes(left)) == keccak256(bytes(right)));
    }

    function assertEq(string memory left, string memory right, string memory err) internal pure virtual {
        assertTrue(keccak256(bytes(left)) == keccak256(bytes(right)), err);
    }

    function assertEq(bytes memory left, bytes memory right) internal pure virtual {
        assertTrue(keccak256(left) == keccak256(right));
    }

    function assertEq(bytes memory left, bytes memory right, string memory err) internal pure virtual {
        assertTrue(keccak256(left) == keccak256(right), err);
    }
}
