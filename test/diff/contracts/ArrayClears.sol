// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Emptying dynamic storage arrays: `delete a` and `a = new T[](0)`, packed and unpacked elements, in
/// mappings and structs (checked against the EVM by the differential harness).
contract ArrayClears {
    struct Book {
        uint64 opened;
        address[] bidders;
        uint128[] sizes;
    }

    address[] public holders;
    uint8[] public flags;
    uint256[] public amounts;
    mapping(uint256 => bytes4[]) public tags;
    mapping(uint256 => Book) internal books;

    function resetHolders() external {
        delete holders;
    }

    function resetHoldersNew() external {
        holders = new address[](0);
    }

    function resetFlags(bool viaNew) external {
        if (viaNew) flags = new uint8[](0);
        else delete flags;
    }

    function resetAmountsThenPush(uint256 x) external returns (uint256) {
        delete amounts;
        amounts.push(x);
        return amounts.length;
    }

    function clearTags(uint256 id) external returns (uint256) {
        delete tags[id];
        return tags[id].length;
    }

    function closeBook(uint256 id) external {
        delete books[id];
    }

    function dropBidders(uint256 id) external {
        books[id].bidders = new address[](0);
    }

    function bookInfo(uint256 id, uint256 i) external view returns (uint64, uint256, address, uint256) {
        Book storage b = books[id];
        return (b.opened, b.bidders.length, b.bidders[i], b.sizes.length);
    }
}
