// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Escrow {
    enum State { Open, Funded, Released }

    address public buyer;
    State public state;

    function fund() external payable {
        require(state == State.Open, "state");
        state = State.Funded;
    }
}
