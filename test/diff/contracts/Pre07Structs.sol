// SPDX-License-Identifier: MIT
pragma solidity 0.7.6;

/// Storage structs under solc 0.7 (a MasterChef-style pool): mappings of structs, storage pointers,
/// packed members, public struct getters, `delete`, with wrapping arithmetic.
contract Pre07Structs {
    struct UserInfo {
        uint256 amount;
        uint256 rewardDebt;
    }

    struct PoolInfo {
        uint128 accPerShare;
        uint64 lastBlock;
        uint32 allocPoint;
        bool paused;
        address lpToken;
    }

    PoolInfo public pool;
    mapping(address => UserInfo) public userInfo;
    mapping(uint256 => PoolInfo) public pools;

    event Deposit(address indexed user, uint256 amount, uint256 pending);

    function update(uint256 reward) external {
        PoolInfo storage p = pool;
        require(!p.paused, "paused");
        if (block.number <= p.lastBlock) return;
        p.accPerShare += uint128(reward / (p.allocPoint + 1));
        p.lastBlock = uint64(block.number);
    }

    function deposit(uint256 amount) external returns (uint256 pending) {
        UserInfo storage user = userInfo[msg.sender];
        pending = user.amount * pool.accPerShare / 1e12 - user.rewardDebt;
        user.amount += amount;
        user.rewardDebt = user.amount * pool.accPerShare / 1e12;
        emit Deposit(msg.sender, amount, pending);
    }

    function configure(uint256 id, uint32 alloc, bool paused, address lp) external {
        PoolInfo storage p = pools[id];
        p.allocPoint = alloc;
        p.paused = paused;
        p.lpToken = lp;
    }

    function reset(address who) external {
        delete userInfo[who];
        delete pools[uint160(who)];
    }

    function copyPool(uint256 from) external {
        pool = pools[from];
    }
}
