// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Aave-style logic library: public functions run by DELEGATECALL, taking storage mappings and a memory
/// struct of parameters (ABI-encoded by the caller, decoded by the library: a copy).
library SupplyLogic {
    struct Reserve {
        uint128 liquidity;
        uint64 index;
        bool active;
    }

    struct SupplyParams {
        address asset;
        uint256 amount;
        address onBehalfOf;
        uint16 referralCode;
        uint8 mode;
    }

    event Supplied(address indexed asset, address indexed onBehalfOf, uint256 amount, uint16 referral, uint8 mode);

    function executeSupply(mapping(address => Reserve) storage reserves, mapping(address => uint256) storage balances, SupplyParams memory params) public returns (uint256) {
        Reserve storage r = reserves[params.asset];
        require(r.active, "inactive");
        require(params.amount != 0, "zero");
        r.liquidity += uint128(params.amount);
        balances[params.onBehalfOf] += params.amount;
        emit Supplied(params.asset, params.onBehalfOf, params.amount, params.referralCode, params.mode);
        // Writes to the library's copy are not seen by the caller.
        params.amount = 0;
        return r.liquidity;
    }

    /// An internal helper taking a storage mapping, as the logic libraries' private functions do.
    function _credit(mapping(address => uint256) storage balances, address who, uint256 amount) internal {
        balances[who] += amount;
    }

    function credit(mapping(address => uint256) storage balances, SupplyParams memory params) external {
        _credit(balances, params.onBehalfOf, params.amount);
    }

    function quote(SupplyParams memory params, uint256 bps) external pure returns (uint256) {
        params.amount = (params.amount * bps) / 10_000;
        return params.amount + params.referralCode;
    }
}

contract LibraryStructArgs {
    mapping(address => SupplyLogic.Reserve) public reserves;
    mapping(address => uint256) public balances;
    uint256 public lastAmount;

    function setReserve(address asset, uint128 liquidity, bool active) external {
        reserves[asset] = SupplyLogic.Reserve({liquidity: liquidity, index: 1, active: active});
    }

    function supply(address asset, uint256 amount, address onBehalfOf, uint16 referralCode) external returns (uint256) {
        return SupplyLogic.executeSupply(reserves, balances, SupplyLogic.SupplyParams({asset: asset, amount: amount, onBehalfOf: onBehalfOf, referralCode: referralCode, mode: 2}));
    }

    function supplyLocal(address asset, uint256 amount, uint8 mode) external returns (uint256 liquidity) {
        SupplyLogic.SupplyParams memory p = SupplyLogic.SupplyParams(asset, amount, msg.sender, 7, mode % 3);
        liquidity = SupplyLogic.executeSupply(reserves, balances, p);
        // The library zeroed its own copy: the caller's struct keeps its amount.
        lastAmount = p.amount;
    }

    function creditDirect(address who, uint256 amount) external {
        SupplyLogic.credit(balances, SupplyLogic.SupplyParams(address(0), amount, who, 0, 0));
    }

    function quoteAfterWrite(uint256 amount, uint256 bps) external pure returns (uint256 q, uint256 seen) {
        SupplyLogic.SupplyParams memory p = SupplyLogic.SupplyParams(address(0), amount, address(0), 3, 0);
        // The struct is encoded after the later argument is evaluated: the write is seen.
        q = SupplyLogic.quote(p, (p.amount = amount / 2) > 0 ? bps : 1);
        seen = p.amount;
    }
}
