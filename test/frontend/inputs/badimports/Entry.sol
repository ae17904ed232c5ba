// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import "./missing.sol";
import "lib/../Other.sol";

contract Entry {}
