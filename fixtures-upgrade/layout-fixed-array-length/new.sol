// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Multisig {
    address[5] public signers;
    uint256 public threshold;
    uint256 public nonce;

    function isSigner(address who) public view returns (bool) {
        for (uint256 i = 0; i < 5; i++) if (signers[i] == who) return true;
        return false;
    }
}
