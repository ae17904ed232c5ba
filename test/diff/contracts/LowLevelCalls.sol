// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IToken {
    function transfer(address to, uint256 amount) external returns (bool);
    function balanceOf(address who) external view returns (uint256);
}

/// Differential-harness contract: low-level calls with ABI-encoded calldata, returned bytes, gas options.
contract LowLevelCalls {
    address public token;
    uint256 public last;
    uint64 public gasBudget;

    event Sent(address indexed to, uint256 amount, uint256 returned);

    function safeTransfer(address to, uint256 amount) external {
        (bool ok, bytes memory data) = token.call(abi.encodeWithSelector(IToken.transfer.selector, to, amount));
        require(ok && (data.length == 0 || abi.decode(data, (bool))), "TF");
        emit Sent(to, amount, data.length);
    }

    function safeTransferCall(address to, uint256 amount) external {
        (bool ok, bytes memory data) = token.call(abi.encodeCall(IToken.transfer, (to, amount)));
        require(ok, "call failed");
        if (data.length > 0) require(abi.decode(data, (bool)), "returned false");
    }

    function bySignature(address to, uint128 amount) external returns (bool ok) {
        (ok, ) = token.call(abi.encodeWithSignature("transfer(address,uint256)", to, amount));
        last = amount;
    }

    function packed(bytes4 sel, uint8 tag, address who, bool flag) external returns (bool, uint256) {
        (bool s, bytes memory out) = token.call(abi.encodePacked(sel, tag, who, flag, "memo"));
        return (s, out.length);
    }

    function encoded(uint256 a, int16 b) external payable returns (uint256 x, int8 y) {
        (bool ok, bytes memory data) = token.call{value: msg.value}(abi.encode(a, b));
        require(ok);
        (x, y) = abi.decode(data, (uint256, int8));
    }

    function peek(address who) external view returns (uint256 bal, address a, bytes32 h) {
        (bool ok, bytes memory data) = token.staticcall(abi.encodeWithSelector(IToken.balanceOf.selector, who));
        if (!ok) return (0, address(0), bytes32(0));
        (bal, a, h) = abi.decode(data, (uint256, address, bytes32));
    }

    function withGas(address to, uint256 amount) external returns (bool ok) {
        uint256 g = uint256(gasBudget) + 50_000;
        (ok, ) = to.call{gas: g, value: 0}(abi.encodeWithSelector(0xa9059cbb, to, amount));
    }

    function interfaceGas(address who) external returns (uint256) {
        last = IToken(token).balanceOf{gas: 100_000}(who);
        return last;
    }

    function failedData(uint256 amount) external returns (uint256, bool) {
        (bool ok, bytes memory data) = token.call(abi.encodeWithSelector(IToken.transfer.selector, msg.sender, amount));
        return (data.length, ok);
    }

    event Relayed(uint256 id, bool ok, uint256 gasUsed);

    function relay(address to, uint256 id, uint256 reserve) external returns (bool ok) {
        uint256 start = gasleft();
        require(start > reserve, "low gas");
        (ok, ) = to.call{gas: (gasleft() - reserve) / 2}(abi.encodeWithSignature("run(uint256)", id));
        uint256 used = start - gasleft();
        last = used;
        emit Relayed(id, ok, used);
    }

    function viaPayload(address to, uint256 amount, bool twice) external returns (bool ok, bool again) {
        bytes memory payload = abi.encodeCall(IToken.transfer, (to, amount));
        (ok, ) = token.call(payload);
        if (twice) (again, ) = to.call{value: 0}(payload);
    }

    // Options are evaluated in the order written: at a = 0 both fail, and the first one's panic shows.
    function optionOrder(uint256 a, bool reversed) external payable returns (bool ok) {
        if (reversed) (ok, ) = token.call{value: 1 / a, gas: 100_000 + (a - 1)}(abi.encode(a));
        else (ok, ) = token.call{gas: 100_000 + (a - 1), value: 1 / a}("");
    }

    /// Returned bytes assigned into an existing variable (once dropped silently: the old value stayed).
    function returnedIntoExisting(address t, bytes calldata d) external returns (uint256) {
        bytes memory r = "old";
        bool ok;
        (ok, r) = t.call(d);
        return r.length * 2 + (ok ? 1 : 0);
    }
}
