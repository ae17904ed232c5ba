// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Vouchers signed by the issuer, each redeemable once. The replay guard keys on the signature, so the
/// second, malleable form (s' = n - s, v flipped) of a used voucher redeems it again.
contract VoucherBook {
    address public issuer;
    mapping(bytes32 => bool) public used;
    mapping(address => uint256) public credit;

    event Redeemed(address indexed to, uint256 amount, bytes32 sigHash);

    function redeem(address to, uint256 amount, uint8 v, bytes32 r, bytes32 s) external {
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
