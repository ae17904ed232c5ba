// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Differential-harness contract: environment values beyond msg.sender/msg.value/block.timestamp/number.
contract Environment {
    address public lastOrigin;
    uint256 public seen;

    event Seen(address indexed origin, address coinbase, uint256 chainid);

    function origin() external view returns (address) {
        return tx.origin;
    }

    function onlyEoa() external returns (bool) {
        require(tx.origin == msg.sender, "not an EOA");
        lastOrigin = tx.origin;
        return true;
    }

    function blockValues() external view returns (uint256, address, uint256, uint256, uint256, uint256) {
        return (block.chainid, block.coinbase, block.basefee, block.prevrandao, block.difficulty, block.gaslimit);
    }

    function record(uint256 x) external {
        seen = x ^ block.chainid ^ block.basefee;
        emit Seen(tx.origin, block.coinbase, block.chainid);
    }

    function sig() external pure returns (bytes4) {
        return msg.sig;
    }

    function dataLength(uint8 a, bool b) external pure returns (uint256) {
        a;
        b;
        return msg.data.length;
    }

    function chainGate() external view returns (uint8) {
        if (block.chainid == 1) return 1;
        if (block.coinbase == address(0)) return 2;
        return uint8(block.prevrandao);
    }
}
