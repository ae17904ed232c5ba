// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// The fix: only the lower-s form of a signature is accepted (as OpenZeppelin's ECDSA does), so each
/// voucher has one valid signature and the replay guard holds.
contract VoucherBook {
    address public issuer;
    mapping(bytes32 => bool) public used;
    mapping(address => uint256) public credit;

    event Redeemed(address indexed to, uint256 amount, bytes32 sigHash);

    uint256 private constant HALF_N = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

    function redeem(address to, uint256 amount, uint8 v, bytes32 r, bytes32 s) external {
        require(uint256(s) <= HALF_N, "malleable signature");
        bytes32 digest = keccak256(abi.encode(to, amount));
        bytes32 sigHash = keccak256(abi.encode(v, r, s));
        require(!used[sigHash], "used");
        address signer = ecrecover(digest, v, r, s);
        require(signer != address(0) && signer == issuer, "bad signature");
        used[sigHash] = true;
        credit[to] += amount;
        emit Redeemed(to, amount, sigHash);
    }

    function spend(uint256 amount) external {
        credit[msg.sender] -= amount;
    }
}
