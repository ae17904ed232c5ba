// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// A sale that was closed for good: buying always reverts.
/// #invariant {:msg "contradiction"} price > 10 && price < 5;
contract ClosedSale {
    uint256 public price;
    uint256 public sold;
    bool public constant closed = true;

    /// #if_succeeds sold == old(sold) + 1;
    function buy() external payable {
        require(!closed, "sale closed");
        require(msg.value == price, "wrong price");
        sold += 1;
    }
}
