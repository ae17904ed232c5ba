// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Arrays of value types as ABI output: returned dynamic memory arrays (copies of storage arrays, arrays
/// built in the function, next to other return values; contract-typed elements as addresses).
contract ArrayOutputs {
    address[] public holders;
    uint256[] public balances;
    uint32[] public stamps;
    bool[] public flags;

    function addHolder(address h, uint256 b, uint32 t, bool f) external {
        holders.push(h);
        balances.push(b);
        stamps.push(t);
        flags.push(f);
    }

    function getHolders() external view returns (address[] memory) {
        return holders;
    }

    function getStamps() external view returns (uint32[] memory) {
        return stamps;
    }

    function getFlags() external view returns (bool[] memory) {
        return flags;
    }

    function range(uint256 from, uint256 n) external pure returns (uint256[] memory out) {
        out = new uint256[](n % 6);
        for (uint256 i = 0; i < out.length; i++) out[i] = from + i;
    }

    function signedPair(int64 a) external pure returns (uint8 tag, int64[] memory xs, bytes32 h) {
        xs = new int64[](2);
        xs[0] = a;
        xs[1] = -a;
        tag = 7;
        h = keccak256(abi.encode(a));
    }

    function twoLists(uint256 k) external view returns (uint256[] memory a, address[] memory b) {
        a = balances;
        if (k % 2 == 1 && a.length > 0) a[0] = k;
        b = holders;
    }

    function emptyList() external pure returns (uint16[] memory) {}

    IAsset[] public rewardTokens;

    function addReward(IAsset t) external {
        rewardTokens.push(t);
    }

    function getRewardTokens() external view returns (IAsset[] memory) {
        return rewardTokens;
    }

    function firstTwo() external view returns (IAsset[] memory out, string memory label) {
        out = new IAsset[](2);
        if (rewardTokens.length > 0) out[0] = rewardTokens[0];
        out[1] = IAsset(msg.sender);
        label = "rewards";
    }
}

interface IAsset {
    function decimals() external view returns (uint8);
}
