// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

// Small stand-ins named like OpenZeppelin's upgradeable contracts (v5 semantics), not OpenZeppelin's code.

abstract contract Initializable {
    uint64 private _initialized;
    bool private _initializing;

    error InvalidInitialization();
    error NotInitializing();

    modifier initializer() {
        bool topLevel = !_initializing;
        if (!(topLevel && _initialized < 1) && !(address(this).code.length == 0 && _initialized == 1)) revert InvalidInitialization();
        _initialized = 1;
        if (topLevel) _initializing = true;
        _;
        if (topLevel) _initializing = false;
    }

    modifier reinitializer(uint64 version) {
        if (_initializing || _initialized >= version) revert InvalidInitialization();
        _initialized = version;
        _initializing = true;
        _;
        _initializing = false;
    }

    modifier onlyInitializing() {
        if (!_initializing) revert NotInitializing();
        _;
    }

    function _disableInitializers() internal virtual {
        if (_initializing) revert InvalidInitialization();
        if (_initialized != type(uint64).max) _initialized = type(uint64).max;
    }
}

abstract contract OwnableUpgradeable is Initializable {
    address private _owner;

    error OwnableUnauthorizedAccount(address account);

    function __Ownable_init(address initialOwner) internal onlyInitializing {
        __Ownable_init_unchained(initialOwner);
    }

    function __Ownable_init_unchained(address initialOwner) internal onlyInitializing {
        _owner = initialOwner;
    }

    modifier onlyOwner() {
        if (msg.sender != _owner) revert OwnableUnauthorizedAccount(msg.sender);
        _;
    }

    function owner() public view returns (address) {
        return _owner;
    }
}

abstract contract PausableUpgradeable is Initializable {
    bool private _paused;

    function __Pausable_init() internal onlyInitializing {
        _paused = false;
    }

    modifier whenNotPaused() {
        require(!_paused, "paused");
        _;
    }

    function paused() public view returns (bool) {
        return _paused;
    }

    function _pause() internal {
        _paused = true;
    }
}

abstract contract AccessControlUpgradeable is Initializable {
    bytes32 public constant DEFAULT_ADMIN_ROLE = 0x00;
    mapping(bytes32 => mapping(address => bool)) private _roles;

    error AccessControlUnauthorizedAccount(address account, bytes32 neededRole);

    function __AccessControl_init() internal onlyInitializing {}

    modifier onlyRole(bytes32 role) {
        if (!_roles[role][msg.sender]) revert AccessControlUnauthorizedAccount(msg.sender, role);
        _;
    }

    function hasRole(bytes32 role, address account) public view returns (bool) {
        return _roles[role][account];
    }

    function _grantRole(bytes32 role, address account) internal {
        _roles[role][account] = true;
    }
}

library ERC1967Utils {
    bytes32 internal constant IMPLEMENTATION_SLOT = 0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc;

    function upgradeToAndCall(address newImplementation, bytes memory data) internal {
        assembly {
            sstore(IMPLEMENTATION_SLOT, newImplementation)
        }
        if (data.length > 0) {
            (bool ok, ) = newImplementation.delegatecall(data);
            require(ok, "ERC1967: initialization failed");
        }
    }
}

abstract contract UUPSUpgradeable is Initializable {
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    address private immutable __self = address(this);

    error UUPSUnauthorizedCallContext();
    error UUPSUnsupportedProxiableUUID(bytes32 slot);

    modifier onlyProxy() {
        if (address(this) == __self) revert UUPSUnauthorizedCallContext();
        _;
    }

    modifier notDelegated() {
        if (address(this) != __self) revert UUPSUnauthorizedCallContext();
        _;
    }

    function proxiableUUID() external view virtual notDelegated returns (bytes32) {
        return ERC1967Utils.IMPLEMENTATION_SLOT;
    }

    function upgradeToAndCall(address newImplementation, bytes memory data) public payable virtual onlyProxy {
        _authorizeUpgrade(newImplementation);
        try UUPSUpgradeable(newImplementation).proxiableUUID() returns (bytes32 slot) {
            if (slot != ERC1967Utils.IMPLEMENTATION_SLOT) revert UUPSUnsupportedProxiableUUID(slot);
            ERC1967Utils.upgradeToAndCall(newImplementation, data);
        } catch {
            revert UUPSUnsupportedProxiableUUID(bytes32(0));
        }
    }

    function _authorizeUpgrade(address newImplementation) internal virtual;
}
