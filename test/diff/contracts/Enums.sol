// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Differential-harness contract: enums in storage, parameters, returns, events, conversions and bounds.
contract Enums {
    enum Status { Pending, Active, Paused, Closed }
    enum Side { Buy, Sell }

    Status public status;
    Side public side;
    uint8 public raw;
    mapping(address => Status) public statusOf;
    mapping(Status => uint256) public countOf;

    event Moved(Status indexed from, Status to);
    error BadStatus(Status s);

    function setStatus(Status s) external {
        emit Moved(status, s);
        status = s;
        countOf[s] += 1;
    }

    function fromUint(uint256 x) external returns (Status) {
        status = Status(x);
        return status;
    }

    function fromSmall(uint8 x) external pure returns (Side) {
        return Side(x);
    }

    function toUint() external view returns (uint8, uint256) {
        return (uint8(status), uint256(side));
    }

    function compare(Status a, Status b) external pure returns (bool, bool, bool) {
        return (a < b, a == b, a >= Status.Paused);
    }

    function bounds() external pure returns (Status, Status, uint8, uint8) {
        return (type(Status).min, type(Status).max, uint8(type(Side).max), uint8(type(Status).max) + 1);
    }

    function check(Status s) external view {
        if (s == Status.Closed) revert BadStatus(status);
    }

    function pick(bool c, uint256 x) external pure returns (Status) {
        return c ? Status(x) : Status.Pending;
    }

    function mine(address who) external view returns (Status, bool) {
        Status s = statusOf[who];
        return (s, s == Status.Active);
    }

    function isActive() external view returns (bool, bool) {
        return (status == Status.Active, status > Status.Paused);
    }

    function bump() external returns (uint256) {
        countOf[status] += 1;
        return countOf[Status.Active];
    }

    function copyBack() external {
        Status s = status;
        statusOf[msg.sender] = s;
    }

    function loadThenRevert(bool stop) external view returns (uint256) {
        Status s = status;
        Side d = side;
        require(!stop, "stopped");
        return s == Status.Closed || d == Side.Sell ? 1 : 2;
    }

    function lazy(bool c) external view returns (bool, uint8) {
        bool r = c && status == Status.Active;
        uint8 k = !c || side == Side.Buy ? 1 : 2;
        return (r, c ? 3 : (status != Status.Pending ? 4 : 5));
    }

    function sameEnum(bool stop) external view returns (uint8) {
        Status s = Status(status);
        Status t = stop ? status : Status.Active;
        require(!stop, "stopped");
        return s == t ? 1 : 2;
    }

    function reset() external {
        delete status;
        side = Side.Sell;
        raw = uint8(side);
    }
}
