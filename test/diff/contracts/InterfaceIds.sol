// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IProbe165 {
    function supportsInterface(bytes4 interfaceId) external view returns (bool);
}

interface IProbeRoles is IProbe165 {
    function hasRole(bytes32 role, address account) external view returns (bool);
    function grantRole(bytes32 role, address account) external;
    function revokeRole(bytes32 role, address account) external;
}

interface IProbeEmpty {}

/// Differential-harness contract: `type(I).interfaceId` (the XOR of I's own selectors, inherited ones
/// excluded; an interface without functions has id 0), in ERC-165 checks and as values.
contract InterfaceIds is IProbeRoles {
    mapping(bytes32 => mapping(address => bool)) private roles;

    function hasRole(bytes32 role, address account) external view returns (bool) {
        return roles[role][account];
    }

    function grantRole(bytes32 role, address account) external {
        roles[role][account] = true;
    }

    function revokeRole(bytes32 role, address account) external {
        roles[role][account] = false;
    }

    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == type(IProbeRoles).interfaceId || interfaceId == type(IProbe165).interfaceId;
    }

    function ids() external pure returns (bytes4, bytes4, bytes4, uint32) {
        return (type(IProbeRoles).interfaceId, type(IProbe165).interfaceId, type(IProbeEmpty).interfaceId, uint32(type(IProbeRoles).interfaceId) ^ 1);
    }
}
