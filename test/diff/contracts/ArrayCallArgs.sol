// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IRouter {
    function getAmountsOut(uint256 amountIn, address[] calldata path) external view returns (uint256);
    function swap(uint256 amountIn, uint256 minOut, address[] calldata path, address to) external returns (uint256);
}

interface IRegistry {
    function setWeights(uint16[] calldata weights, bool[] memory active) external;
}

/// Interface calls with dynamic array arguments: memory arrays of constant length, encoded element by
/// element after every argument is evaluated.
contract ArrayCallArgs {
    IRouter public router;
    IRegistry public registry;
    address public weth;
    uint256 public lastOut;

    function quote(address tokenIn, address tokenOut, uint256 amountIn) external view returns (uint256) {
        address[] memory path = new address[](3);
        path[0] = tokenIn;
        path[1] = weth;
        path[2] = tokenOut;
        return router.getAmountsOut(amountIn, path);
    }

    function swapDirect(address tokenIn, address tokenOut, uint256 amountIn, uint256 minOut) external {
        address[] memory path = new address[](2);
        path[0] = tokenIn;
        path[1] = tokenOut;
        lastOut = router.swap(amountIn, minOut, path, msg.sender);
    }

    function configure(uint16 a, uint16 b, bool on) external {
        uint16[] memory w = new uint16[](2);
        w[0] = a;
        w[1] = b;
        bool[] memory act = new bool[](1);
        act[0] = on;
        registry.setWeights(w, act);
    }

    function empty() external {
        registry.setWeights(new uint16[](0), new bool[](0));
    }
}
