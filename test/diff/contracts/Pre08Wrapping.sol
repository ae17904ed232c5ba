// SPDX-License-Identifier: MIT
pragma solidity 0.7.6;

/// solc 0.7 semantics (see src/ir/lower/pre08.ts): wrapping arithmetic, INVALID where 0.8 panics, and ABI
/// coder v1 cleaning dirty parameter words instead of rejecting them.
library SafeMath {
    function add(uint256 a, uint256 b) internal pure returns (uint256) {
        uint256 c = a + b;
        require(c >= a, "SafeMath: addition overflow");
        return c;
    }

    function sub(uint256 a, uint256 b) internal pure returns (uint256) {
        require(b <= a, "SafeMath: subtraction overflow");
        return a - b;
    }

    function div(uint256 a, uint256 b) internal pure returns (uint256) {
        require(b > 0, "SafeMath: division by zero");
        return a / b;
    }
}

contract Pre08Wrapping {
    using SafeMath for uint256;

    enum Phase { Open, Locked, Closed }

    address public owner;
    uint8 public small;
    int16 public signedSmall;
    Phase public phase;
    bool public flag;
    mapping(address => uint256) public balances;
    mapping(uint8 => int64) public deltas;

    event Moved(address indexed from, uint256 amount, Phase phase);

    modifier onlyOwner() {
        require(msg.sender == owner, "not owner");
        _;
    }

    function wrapAdd(uint256 a, uint256 b) external pure returns (uint256) {
        return a + b;
    }

    function wrapNarrow(uint8 a, uint8 b) external pure returns (uint8, uint8, uint8) {
        return (a + b, a - b, a * b);
    }

    function signedOps(int8 a, int8 b) external pure returns (int8, int8, int8) {
        return (-a, a / b, a % b);
    }

    function minOverMinusOne(int256 a) external pure returns (int256, int8) {
        return (a / -1, type(int8).min / int8(a));
    }

    function bounds(uint16 x) external pure returns (uint16, int32) {
        return (type(uint16).max - x, type(int32).min + int32(x));
    }

    function power(uint8 base, uint8 e) external pure returns (uint8, uint256) {
        return (base ** e, uint256(base) ** e);
    }

    function shifts(uint16 x, uint256 by) external pure returns (uint16, uint16, int16) {
        return (x << by, x >> by, int16(x) >> by);
    }

    function conversions(int256 x, uint256 y) external pure returns (uint8, uint256, address, int8) {
        return (uint8(x), uint256(x), address(y), int8(y));
    }

    function checked(uint256 a, uint256 b) external pure returns (uint256) {
        return a.add(b).sub(b / 2).div(b);
    }

    function asserted(uint256 a) external pure returns (uint256) {
        assert(a != 7);
        return a % 5;
    }

    function toPhase(uint256 x) external pure returns (Phase) {
        return Phase(x);
    }

    function setPhase(Phase p, bool f, bytes4 tag) external onlyOwner returns (bytes4) {
        phase = p;
        flag = f;
        return tag;
    }

    function openPhase(Phase p) external returns (bool, Phase) {
        phase = p;
        return (p == Phase.Locked, p);
    }

    function phaseOf(Phase p) external pure returns (uint256) {
        return uint256(p) + 1;
    }

    function phaseIndex() external view returns (uint256) {
        return phase == Phase.Locked ? 10 : uint256(phase);
    }

    function move(address to, uint256 amount) external {
        balances[msg.sender] = balances[msg.sender].sub(amount);
        balances[to] = balances[to] + amount;
        small += uint8(amount);
        signedSmall -= int16(amount);
        emit Moved(to, amount, phase);
    }

    function record(uint8 key, int64 d) external {
        deltas[key] += d;
        for (uint8 i = 0; i < key % 4; i++) {
            deltas[i] -= 1;
        }
    }

    function dirtyBool(bool b, address a) external pure returns (uint256, address) {
        return (b ? 1 : 2, a);
    }
}
