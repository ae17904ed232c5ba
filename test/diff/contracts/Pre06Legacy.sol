// SPDX-License-Identifier: MIT
pragma solidity 0.6.12;

/// solc 0.6 semantics (see src/ir/lower/pre08.ts): `now`, wrapping arithmetic including the literal-base
/// exponent and shift forms 0.6 types by the right operand, INVALID where 0.8 panics, ABI coder v1.
contract Ownable {
    address public owner;

    modifier onlyOwner() {
        require(msg.sender == owner, "Ownable: caller is not the owner");
        _;
    }

    function transferOwnership(address newOwner) public virtual onlyOwner {
        require(newOwner != address(0), "Ownable: zero address");
        owner = newOwner;
    }
}

contract Pre06Legacy is Ownable {
    enum Status { None, Pending, Done }

    uint64 public lastUpdate;
    uint32 public rate;
    Status public status;
    mapping(address => uint256) public credits;
    mapping(address => mapping(uint8 => bool)) public marks;

    event Credited(address indexed account, uint256 amount, uint256 at);

    function transferOwnership(address newOwner) public override {
        super.transferOwnership(newOwner);
        lastUpdate = uint64(now);
    }

    function credit(address account, uint256 amount) external onlyOwner {
        credits[account] += amount * rate;
        lastUpdate = uint64(now);
        emit Credited(account, amount, now);
    }

    function elapsed() external view returns (uint256) {
        return now - lastUpdate;
    }

    function literalPowers(uint8 e) external pure returns (uint256, uint8, uint256) {
        return (2 ** e, uint8(3) ** e, 10 ** uint256(e));
    }

    function literalShift(uint8 by) external pure returns (uint256, uint8) {
        return (1 << by, uint8(1) << by);
    }

    function mixed(int256 x, uint16 y) external pure returns (uint16, int8, uint256) {
        return (uint16(x), int8(y), uint256(int8(x)));
    }

    function setStatus(Status s, uint8 key, bool on) external returns (uint256) {
        status = s;
        marks[msg.sender][key] = on;
        return uint256(s) * 100 / (key % 3);
    }

    function remainder(uint256 a, uint256 b) external pure returns (uint256) {
        assert(b != 1);
        return a % b;
    }
}
