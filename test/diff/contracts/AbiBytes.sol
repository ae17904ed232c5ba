// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IVault {
    function deposit(address to, uint256 amount) external;
}

interface IHook {
    function onReceived(address from, uint256 id, bytes calldata data) external returns (bytes4);
    function note(string calldata memo, uint256 amount) external;
}

/// Differential-harness contract: ABI encodings held as `bytes memory` values, abi.decode of calldata,
/// memory and encoded bytes, msg.data and calldata slices.
contract AbiBytes {
    enum Kind { Mint, Burn, Move }

    uint256 public total;
    address public target;
    bytes32 public lastDigest;

    event Payload(bytes data, uint256 length);
    event Pair(uint8 tag, bytes data);

    function encodeLocal(address owner, uint256 value, uint64 nonce) external returns (bytes32) {
        bytes memory m = abi.encode(owner, value, nonce);
        lastDigest = keccak256(m);
        emit Payload(m, m.length);
        return lastDigest;
    }

    function packedLocal(bytes4 sel, uint8 tag, address who, bool flag, int16 delta) external returns (bytes32 h, uint256 n) {
        bytes memory m = abi.encodePacked(sel, tag, who, flag, delta, "memo");
        emit Payload(m, m.length);
        return (keccak256(m), m.length);
    }

    function withSelector(address to, uint256 amount) external returns (bytes memory) {
        bytes memory m = abi.encodeWithSelector(IVault.deposit.selector, to, amount);
        emit Pair(7, m);
        return m;
    }

    function encodeCallReturn(address to, uint256 amount) external pure returns (bytes memory) {
        return abi.encodeCall(IVault.deposit, (to, amount));
    }

    function signatureHash(address to, uint128 amount) external pure returns (bytes32) {
        bytes memory m = abi.encodeWithSignature("deposit(address,uint256)", to, amount);
        return hashIt(m);
    }

    function hashIt(bytes memory m) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(m, uint8(1)));
    }

    function nested(uint256 a, bytes32 b) external pure returns (bytes32, bytes32) {
        bytes memory inner = abi.encode(a, b);
        return (keccak256(abi.encode(inner, a)), keccak256(abi.encode(inner)));
    }

    function roundTrip(int24 x, bytes20 y, Kind k) external pure returns (int24, bytes20, Kind) {
        bytes memory m = abi.encode(x, y, k);
        return abi.decode(m, (int24, bytes20, Kind));
    }

    function decodeCalldata(bytes calldata data) external returns (address to, uint256 amount) {
        (to, amount) = abi.decode(data, (address, uint256));
        total += amount;
    }

    function decodeMemory(bytes memory data) external pure returns (bool flag, uint8 small, Kind k) {
        (flag, small, k) = abi.decode(data, (bool, uint8, Kind));
    }

    function decodeHelper(bytes calldata data) external pure returns (int8) {
        return helper(data);
    }

    function helper(bytes calldata data) internal pure returns (int8) {
        return abi.decode(data, (int8));
    }

    function sliceDecode(bytes calldata data) external pure returns (uint256, bytes32) {
        (uint256 a, bytes32 b) = abi.decode(data[4:], (uint256, bytes32));
        return (a, b);
    }

    function sliceHash(bytes calldata data, uint256 from, uint256 to) external pure returns (bytes32, uint256) {
        bytes calldata part = data[from:to];
        return (keccak256(part), part.length);
    }

    function dataHash(uint256 a) external pure returns (bytes32, uint256) {
        return (keccak256(msg.data), msg.data.length + a % 2);
    }

    function selfDecode(uint256 a, address b) external pure returns (uint256, address) {
        (uint256 x, address y) = abi.decode(msg.data[4:], (uint256, address));
        require(x == a && y == b, "mismatch");
        return (x, y);
    }

    function forward(bytes calldata data) external payable returns (bool ok, uint256 n) {
        (ok, ) = target.call{value: msg.value}(data);
        n = data.length;
    }

    function forwardTail(bytes calldata data) external returns (bool ok, uint256 size) {
        (bool success, bytes memory ret) = target.call(data[4:]);
        return (success, ret.length);
    }

    function forwardStatic(bytes memory data) external view returns (bool ok) {
        (ok, ) = target.staticcall(data);
    }

    function packedDecode(uint128 a, uint128 b) external pure returns (uint256, uint8) {
        bytes memory m = abi.encodePacked(a, b, uint256(b % 300));
        return abi.decode(m, (uint256, uint8));
    }

    function echo(uint16 tag) external returns (bytes memory) {
        emit Pair(uint8(tag), msg.data);
        return msg.data;
    }

    function hook(address from, uint256 id, bytes calldata data) external returns (bytes4) {
        return IHook(target).onReceived(from, id, data);
    }

    function hookMemory(bytes memory data) external returns (bytes4) {
        return IHook(target).onReceived(msg.sender, 1, data);
    }

    function hookSlice(bytes calldata data) external returns (bytes4) {
        return IHook(target).onReceived(msg.sender, data.length, data[1:]);
    }

    function noteLiteral(uint256 amount) external {
        IHook(target).note("payout", amount);
    }

    // A literal whose text names a data location is still a literal (once refused as a stored string).
    function noteStorageWord(uint256 amount) external {
        IHook(target).note("paid from storage", amount);
    }

    function noteEncoded(uint8 a, uint256 amount) external {
        IHook(target).note(string(abi.encodePacked(a, uint8(66), amount)), amount);
    }

    fallback() external payable {
        (bool ok, ) = target.call{value: msg.value}(msg.data);
        require(ok, "forward failed");
    }
}
