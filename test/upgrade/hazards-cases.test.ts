import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFile, selectContract } from '../../src/frontend/compile.ts';
import { analyzeHazards, HAZARD_KINDS } from '../../src/upgrade/hazards/index.ts';
import { projectRoot } from '../cli/helpers.ts';
import { cacheDir, codes, hazardsOfSources, upgradeFixtures } from './hazards-helpers.ts';

/** Hazard rules the fixture pairs do not pin down, each on a small inline pair (sources import ./oz.sol). */
const head = '// SPDX-License-Identifier: MIT\npragma solidity ^0.8.20;\nimport "./oz.sol";\n';
const lock = '/// @custom:oz-upgrades-unsafe-allow constructor\n    constructor() { _disableInitializers(); }\n';

describe('upgrade hazards, single rules', { timeout: 60_000 }, () => {
  it('plain contracts are not upgradeable: constructors, initial values, selfdestruct are fine there', async () => {
    const src = `${head}contract Token {\n    uint256 public supply = 100;\n    address public owner;\n    constructor() { owner = msg.sender; }\n    function kill() external { selfdestruct(payable(owner)); }\n}\n`;
    expect(codes(await hazardsOfSources(src, src, 'Token'))).toEqual([]);
  });

  it('PP202: an upgradeable contract without initializer whose parent needs initializing', async () => {
    const src = `${head}contract Box is OwnableUpgradeable {\n    ${lock}    function ping() external view onlyOwner {}\n}\n`;
    expect(codes(await hazardsOfSources(src, src, 'Box'))).toEqual(['PP202']);
  });

  it('an empty parent initializer need not be called; v4 `constructor() initializer` locks the implementation', async () => {
    const src = `${head}contract Box is AccessControlUpgradeable {\n    /// @custom:oz-upgrades-unsafe-allow constructor\n    constructor() initializer {}\n    function initialize(address a) public initializer { _grantRole(DEFAULT_ADMIN_ROLE, a); }\n}\n`;
    expect(codes(await hazardsOfSources(src, src, 'Box'))).toEqual([]);
  });

  it('PP203: a parent new in this upgrade initialized only in the initializer that already ran', async () => {
    const oldSrc = `${head}contract Box is Initializable, OwnableUpgradeable {\n    ${lock}    function initialize(address a) public initializer { __Ownable_init(a); }\n}\n`;
    const newSrc = `${head}contract Box is Initializable, OwnableUpgradeable, PausableUpgradeable {\n    ${lock}    function initialize(address a) public initializer { __Ownable_init(a); __Pausable_init(); }\n}\n`;
    expect(codes(await hazardsOfSources(oldSrc, newSrc, 'Box'))).toEqual(['PP203']);
    const fixed = newSrc.replace('\n}\n', '\n    function initializeV2() public reinitializer(2) { __Pausable_init(); }\n}\n');
    expect(codes(await hazardsOfSources(oldSrc, fixed, 'Box'))).toEqual([]);
  });

  it('PP221: @custom:oz-upgrades-unsafe-allow-reachable on the entry point, and unsafe-allow on the contract, are honoured', async () => {
    const body = 'function run(address t, bytes calldata d) external { _go(t, d); }\n    function _go(address t, bytes calldata d) internal { (bool ok, ) = t.delegatecall(d); require(ok); }\n';
    const base = `${head}contract Box is Initializable {\n    ${lock}    function initialize() public initializer {}\n    ${body}}\n`;
    expect(codes(await hazardsOfSources(base, base, 'Box'))).toEqual(['PP221']);
    const reachable = base.replace('function run', '/// @custom:oz-upgrades-unsafe-allow-reachable delegatecall\n    function run');
    expect(codes(await hazardsOfSources(base, reachable, 'Box'))).toEqual([]);
    const onContract = base.replace('contract Box', '/// @custom:oz-upgrades-unsafe-allow delegatecall\ncontract Box');
    expect(codes(await hazardsOfSources(base, onContract, 'Box'))).toEqual([]);
    // An allowance on one entry point does not cover another that reaches the same delegatecall.
    const twoEntries = reachable.replace('function run(', 'function other(address t, bytes calldata d) external { _go(t, d); }\n    function run(');
    expect(codes(await hazardsOfSources(base, twoEntries, 'Box'))).toEqual(['PP221']);
    const fixedTarget = base.replace('(bool ok, ) = t.delegatecall(d)', '(bool ok, ) = address(0x1234).delegatecall(d)');
    expect(codes(await hazardsOfSources(base, fixedTarget, 'Box'))).toEqual([]);
  });

  it('PP250: a StorageSlot-style write to the admin slot computed as keccak256("eip1967.proxy.admin") - 1', async () => {
    const src = `${head}library StorageSlot {\n    struct AddressSlot { address value; }\n    function getAddressSlot(bytes32 slot) internal pure returns (AddressSlot storage r) { assembly { r.slot := slot } }\n}\n`
      + `contract Box is Initializable, OwnableUpgradeable {\n    bytes32 internal constant ADMIN = bytes32(uint256(keccak256("eip1967.proxy.admin")) - 1);\n    ${lock}`
      + '    function initialize(address a) public initializer { __Ownable_init(a); }\n    function takeOver(address a) external onlyOwner { StorageSlot.getAddressSlot(ADMIN).value = a; }\n}\n';
    expect(codes(await hazardsOfSources(src, src, 'Box'))).toEqual(['PP250']);
  });

  it('PP231/PP232/PP233: v4 upgradeTo dropped, proxiableUUID changed, a require removed from _authorizeUpgrade', async () => {
    const uups = (extra: string, uuid: string, auth: string) => `${head}contract Box is Initializable, OwnableUpgradeable {\n    ${lock}`
      + '    function initialize(address a) public initializer { __Ownable_init(a); }\n'
      + `    function proxiableUUID() external pure returns (bytes32) { return ${uuid}; }\n`
      + '    function upgradeToAndCall(address impl, bytes calldata) external payable { _authorizeUpgrade(impl); }\n'
      + `${extra}    function _authorizeUpgrade(address impl) internal view { ${auth} }\n}\n`;
    const slot = 'bytes32(uint256(keccak256("eip1967.proxy.implementation")) - 1)';
    const upgradeTo = '    function upgradeTo(address impl) external { _authorizeUpgrade(impl); }\n';
    const guard = 'require(msg.sender == owner(), "not owner"); require(impl != address(0));';
    const oldSrc = uups(upgradeTo, slot, guard);
    expect(codes(await hazardsOfSources(oldSrc, uups(upgradeTo, '0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc', guard), 'Box'))).toEqual([]);
    expect(codes(await hazardsOfSources(oldSrc, uups('', slot, guard), 'Box'))).toEqual(['PP231']);
    expect(codes(await hazardsOfSources(oldSrc, uups(upgradeTo, 'keccak256("eip1967.proxy.implementation")', guard), 'Box'))).toEqual(['PP232']);
    expect(codes(await hazardsOfSources(oldSrc, uups(upgradeTo, slot, 'require(impl != address(0));'), 'Box'))).toEqual(['PP233']);
  });

  it('PP215: a constant that became a state variable', async () => {
    const src = (decl: string) => `${head}contract Box is Initializable {\n    ${decl}\n    ${lock}    function initialize() public initializer {}\n}\n`;
    expect(codes(await hazardsOfSources(src('uint256 public constant LIMIT = 5;'), src('uint256 public LIMIT;'), 'Box'))).toEqual(['PP215']);
  });

  it('PP210: a constructor writing namespaced (ERC-7201) storage through a storage pointer', async () => {
    const src = (ctor: string) => `${head}contract Box is Initializable {\n    struct Main { uint256 limit; }\n`
      + '    bytes32 private constant MAIN = 0x0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd00;\n'
      + '    function _main() private pure returns (Main storage $) { assembly { $.slot := MAIN } }\n'
      + `    ${ctor}\n    function initialize() public initializer {}\n}\n`;
    const clean = src('constructor() { _disableInitializers(); }');
    expect(codes(await hazardsOfSources(clean, clean, 'Box'))).toEqual([]);
    const writes = src('constructor() { Main storage $ = _main(); $.limit = 10; _disableInitializers(); }');
    expect(codes(await hazardsOfSources(clean, writes, 'Box'))).toEqual(['PP210']);
  });

  it('an upgradeToAndCall override that calls super: the upgrade code it reaches is not reported', async () => {
    const src = `${head}contract Box is Initializable, OwnableUpgradeable, UUPSUpgradeable {\n    ${lock}`
      + '    function initialize(address a) public initializer { __Ownable_init(a); }\n'
      + '    function upgradeToAndCall(address impl, bytes memory data) public payable override onlyOwner { super.upgradeToAndCall(impl, data); }\n'
      + '    function _authorizeUpgrade(address) internal override onlyOwner {}\n}\n';
    expect(codes(await hazardsOfSources(src, src, 'Box'))).toEqual([]);
  });

  it('PP241: a different signature with an admin selector (a real 4-byte collision is not at hand: the selector table is edited)', async () => {
    const file = path.join(upgradeFixtures, 'hazard-transparent-admin-shadow', 'old.sol');
    const compilation = await compileFile(file, { cacheDir });
    const contract = selectContract(compilation, 'Vault');
    const clashing = { ...contract, methodIdentifiers: { ...contract.methodIdentifiers, 'sweepTokens(address,uint256)': '3659cfe6' } };
    const found = analyzeHazards({ old: { compilation, contract }, new: { compilation, contract: clashing } });
    expect(codes(found)).toEqual(['PP241']);
  });

  it('the README hazard table lists every catalog code with its severity', () => {
    const readme = readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
    for (const k of HAZARD_KINDS) expect(readme, k.code).toContain(`| ${k.code} | ${k.severity} |`);
  });
});
