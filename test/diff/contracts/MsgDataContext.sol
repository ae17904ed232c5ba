// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Differential-harness contract: `bytes calldata` returned from internal functions — OpenZeppelin's
/// Context._msgData() and ERC2771Context's override (`msg.data[:msg.data.length - 20]` when the sender is
/// the trusted forwarder, both the 4.x form, which panics on short calldata, and the 5.x form with a
/// length check) — used as msg.data is: hashed, measured, sliced, decoded, emitted and returned; calldata
/// locals joined from branches; slices whose bounds have effects or revert.
abstract contract Context {
    function _msgSender() internal view virtual returns (address) {
        return msg.sender;
    }

    function _msgData() internal view virtual returns (bytes calldata) {
        return msg.data;
    }

    function _contextSuffixLength() internal view virtual returns (uint256) {
        return 0;
    }
}

abstract contract ERC2771Context is Context {
    address private immutable _trustedForwarder;

    constructor(address trustedForwarder_) {
        _trustedForwarder = trustedForwarder_;
    }

    function isTrustedForwarder(address forwarder) public view virtual returns (bool) {
        return forwarder == _trustedForwarder;
    }

    /// OpenZeppelin 4.x: no length check (Panic 0x11 when the calldata is shorter than 20 bytes).
    function _msgDataV4() internal view returns (bytes calldata) {
        if (isTrustedForwarder(msg.sender)) {
            return msg.data[:msg.data.length - 20];
        } else {
            return super._msgData();
        }
    }

    /// OpenZeppelin 5.x.
    function _msgSender() internal view virtual override returns (address) {
        uint256 calldataLength = msg.data.length;
        uint256 contextSuffixLength = _contextSuffixLength();
        if (isTrustedForwarder(msg.sender) && calldataLength >= contextSuffixLength) {
            return address(bytes20(msg.data[calldataLength - contextSuffixLength:]));
        } else {
            return super._msgSender();
        }
    }

    /// OpenZeppelin 5.x.
    function _msgData() internal view virtual override returns (bytes calldata) {
        uint256 calldataLength = msg.data.length;
        uint256 contextSuffixLength = _contextSuffixLength();
        if (isTrustedForwarder(msg.sender) && calldataLength >= contextSuffixLength) {
            return msg.data[:calldataLength - contextSuffixLength];
        } else {
            return super._msgData();
        }
    }

    function _contextSuffixLength() internal view virtual override returns (uint256) {
        return 20;
    }
}

contract MsgDataContext is ERC2771Context {
    mapping(bytes32 => bool) public seen;
    uint256 public trace;

    event Called(bytes data);
    event Bound(uint256 indexed which, uint256 value);
    error Bad(uint256 which);

    constructor(address forwarder) ERC2771Context(forwarder) {}

    function note(uint256 x) external returns (bytes32 h) {
        h = keccak256(_msgData());
        seen[h] = true;
        emit Called(_msgData());
        trace = x;
    }

    function noteV4() external returns (bytes32 h) {
        h = keccak256(_msgDataV4());
        seen[h] = true;
    }

    function len() external view returns (uint256, uint256) {
        return (_msgData().length, _msgDataV4().length);
    }

    function decoded(uint256 a, uint256 b) external view returns (uint256 s) {
        (uint256 x, uint256 y) = abi.decode(_msgData()[4:], (uint256, uint256));
        unchecked {
            s = x + y + a - b;
        }
    }

    function echo(uint16 tag) external view returns (bytes memory) {
        return tag > 100 ? _msgData() : _msgDataV4();
    }

    function echoCalldata() external view returns (bytes calldata) {
        return _msgData();
    }

    function branchy(bool skip, uint8 k) external pure returns (uint256 w, uint256 n) {
        bytes calldata d = msg.data;
        if (skip) {
            d = msg.data[4:];
        } else if (k > 3) {
            d = d[k:];
        }
        n = d.length;
        (w) = abi.decode(d[d.length >= 32 ? d.length - 32 : 0:], (uint256));
    }

    function sender() external view returns (address) {
        return _msgSender();
    }

    function prefixes(bytes calldata b, uint8 cut) external pure returns (bytes4, bytes20, bytes32, bytes1) {
        bytes calldata tail = b[cut % 40 <= b.length ? cut % 40 : 0:];
        return (bytes4(b), bytes20(tail), bytes32(msg.data[4:]), bytes1(tail));
    }

    function shortPrefixes(bytes calldata b, uint8 cut) external pure returns (bytes4, bytes20, bytes32) {
        uint256 n = cut % 34 <= b.length ? cut % 34 : b.length;
        return (bytes4(b[:n]), bytes20(b[:n]), bytes32(msg.data[:n]));
    }

    function bound(uint256 which, uint256 v) internal returns (uint256) {
        if (v > 300) revert Bad(which);
        trace = trace * 10 + which;
        emit Bound(which, v);
        return v;
    }

    event Tagged(address indexed from, bytes data, uint256 indexed n);
    event Hashed(bytes indexed data, uint256 indexed n, bytes plain);
    error Rejected(uint256 n, bytes data);

    /// Event and error arguments in solc's order: an event's indexed ones last to first, then the rest.
    function tagged(uint256 x) external {
        emit Tagged(_msgSender(), _msgData(), bound(4, x));
        emit Hashed(traced(8, msg.data[4:]), bound(5, x), traced(9, msg.data[bound(6, x % 8):]));
        if (x % 3 == 0) revert Rejected(bound(7, x), _msgDataV4());
    }

    function traced(uint256 which, bytes calldata b) internal returns (bytes calldata) {
        trace = trace * 10 + which;
        return b;
    }

    function sliced(uint256 s, uint256 e) external returns (bytes32) {
        return keccak256(msg.data[bound(1, s):bound(2, e)]);
    }

    function slicedInner(uint256 s) external returns (uint256) {
        bytes calldata tail = _msgData()[bound(3, s):];
        return tail.length;
    }
}
