// SPDX-License-Identifier: MIT
pragma solidity 0.7.6;

interface IToken {
    function transfer(address to, uint256 amount) external returns (bool);
    function balanceOf(address who) external view returns (uint256);
    function decimals() external view returns (uint8);
    function burn(uint256 amount) external;
    function flags(address who) external view returns (bool, address, int16);
}

/// High-level calls under solc 0.7: a code check before every call, return data decoded by ABI coder v1
/// (short return data reverts, dirty words are cleaned), the callee's revert data re-raised; transfer/send.
contract Pre07Calls {
    IToken public token;
    mapping(address => uint256) public owed;

    event Paid(address indexed to, uint256 amount);

    function pay(address to, uint256 amount) external returns (bool ok) {
        ok = token.transfer(to, amount);
        require(ok, "transfer failed");
        emit Paid(to, amount);
    }

    function quote(address who) external view returns (uint256, uint8) {
        return (token.balanceOf(who), token.decimals());
    }

    function burnAll(uint256 amount) external {
        IToken(msg.sender).burn(amount);
        owed[msg.sender] = 0;
    }

    function inspect(IToken t, address who) external view returns (bool, address, int16) {
        return t.flags(who);
    }

    function withdraw(uint256 amount) external {
        owed[msg.sender] -= amount;
        msg.sender.transfer(amount);
    }

    function trySend(address payable to, uint256 amount) external returns (bool) {
        return to.send(amount);
    }

    function fund(IToken t) external payable returns (uint256) {
        return t.balanceOf{gas: 50000}(address(t));
    }
}
