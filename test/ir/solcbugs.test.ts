import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFile, selectContract, type Compilation } from '../../src/frontend/compile.ts';
import { lowerContract } from '../../src/ir/lower/contract.ts';
import { bugsOf, KNOWN_BUGS } from '../../src/ir/lower/solcbugs.ts';

function expectLowered(ok: boolean): void {
  expect(ok).toBe(true);
}

// Code built by a compiler release with a known bug is lowered only where the bug cannot reach
// (src/ir/lower/solcbugs.ts). Releases that are not bundled are stood in for by relabelling a bundled
// compilation (build-info from such a release has the same AST shape): the detectors read the AST and
// the version, never the bytecode.

async function compile(source: string): Promise<Compilation> {
  const dir = mkdtempSync(path.join(tmpdir(), 'pp-bugs-'));
  const file = path.join(dir, 'C.sol');
  writeFileSync(file, source);
  return compileFile(file);
}

function lower(comp: Compilation, version = comp.solcVersion, optimizer = false) {
  const relabelled = { ...comp, solcVersion: version, settings: { ...comp.settings, optimizer: { enabled: optimizer, runs: 200 } } };
  const ir = lowerContract(relabelled, selectContract(relabelled, 'C'));
  return Object.fromEntries(ir.functions.map((f) => [f.signature, f.body.ok ? 'ok' : `${f.body.unsupported.construct} @${f.body.unsupported.loc.line}`]));
}

describe('known solc bugs', () => {
  it('lists the bugs of a release under its settings', () => {
    const names = (v: string, optimizer = false) => bugsOf(v, { optimizer, customYulSteps: false }).map((b) => b.name);
    expect(names('0.8.30')).toEqual(['UncheckedArrayStorageSizeOverflow', 'InheritanceOrderReversalOnStorageEndWarning', 'LostStorageArrayWriteOnSlotOverflow']);
    expect(names('0.8.20')).toContain('MissingSideEffectsOnSelectorAccess');
    expect(names('0.8.20')).not.toContain('FullInlinerNonExpressionSplitArgumentEvaluationOrder');
    expect(bugsOf('0.8.20', { optimizer: true, customYulSteps: true }).map((b) => b.name)).toContain('FullInlinerNonExpressionSplitArgumentEvaluationOrder');
    expect(names('0.8.14')).toContain('DirtyBytesArrayToStorage');
    expect(names('0.8.15')).not.toContain('DirtyBytesArrayToStorage');
    expect(names('0.8.2')).not.toContain('KeccakCaching');
    expect(names('0.8.2', true)).toContain('KeccakCaching');
    expect(names('0.8.36')).toEqual([]);
    // Every bug has a detector or says why nothing modelled can trigger it.
    for (const b of KNOWN_BUGS) expect(b.construct !== undefined || b.contract !== undefined || b.notModelled !== undefined).toBe(true);
  });

  it('refuses the constructs a bug can reach, at their location, only for affected releases', async () => {
    const comp = await compile(`// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
interface I { function f(bytes2 tag, uint256 x) external; }
contract C {
    bytes public blob;
    int8 public immutable shift;
    event Sent(uint256[3] xs, bytes note);
    constructor() { shift = -3; }
    function grow() external { blob.push(); }
    function growWith(bytes1 b) external { blob.push(b); }
    function send(uint256[3] calldata xs, bytes calldata note) external { emit Sent(xs, note); }
    function first(uint256[3] calldata xs) external pure returns (uint256) { return xs[0]; }
    function call(I t) external pure returns (bytes memory) { return abi.encodeCall(t.f, ("ab", 1)); }
    function adjusted(int256 x) external view returns (int256) { return x + shift; }
    function hash(uint256 x) external pure returns (bytes32) { return keccak256(abi.encode(x)); }
}
`);
    const now = lower(comp);
    expect(now['grow()']).not.toMatch(/DirtyBytes/);
    expect(now['first(uint256[3])']).toBe('ok');
    const old = lower(comp, '0.8.10+commit.fc410830', true);
    expect(old['grow()']).toMatch(/`push\(\)` without an argument on a `bytes` storage array, which solc 0\.8\.10 is known to miscompile \(DirtyBytesArrayToStorage, fixed in 0\.8\.15\) @9$/);
    expect(old['growWith(bytes1)']).not.toMatch(/DirtyBytes/);
    // DataLocationChangeInInternalOverride (a data location changed by an override) cannot be compiled by
    // the bundled releases, which reject it: its detector is not exercised here.
    expect(old['send(uint256[3],bytes)']).toMatch(/AbiReencodingHeadOverflowWithStaticArrayCleanup.* @11$/);
    expect(old['first(uint256[3])']).toBe('ok');
    expect(old['adjusted(int256)']).toBe('ok');
    expect(lower(comp, '0.8.8+commit.dddeac2f')['adjusted(int256)']).toMatch(/SignedImmutables.* @14$/);
    expect(old['hash(uint256)']).toBe('ok');
    expect(lower(comp, '0.8.12+commit.f00d7308')['call(address)']).toMatch(/AbiEncodeCallLiteralAsFixedBytesBug.* @13$/);
    expect(lower(comp, '0.8.2+commit.661d1103', true)['hash(uint256)']).toMatch(/KeccakCaching.* @15$/);
    expect(lower(comp, '0.8.2+commit.661d1103', false)['hash(uint256)']).toBe('ok');
  });

  it('refuses a whole contract whose layout can trigger a bug', async () => {
    const comp = await compile(`// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;
contract C layout at 0x1000 {
    uint256 public n;
    function set(uint256 a) external { n = a; }
}
`);
    const r = lower(comp);
    expect(r['set(uint256)']).toMatch(/custom storage layout .*InheritanceOrderReversalOnStorageEndWarning, fixed in 0\.8\.36\) @3$/);
    expect(r['n()']).toMatch(/InheritanceOrderReversalOnStorageEndWarning/);
  });

  it('refuses .selector of an expression with side effects, whatever the release', async () => {
    const comp = await compile(`// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
interface I { function f() external; }
contract C {
    uint256 public calls;
    function pick() internal returns (I) { calls++; return I(address(0)); }
    function sel() external returns (bytes4) { return pick().f.selector; }
    function plain(address a) external pure returns (bytes4) { return I(a).f.selector; }
}
`);
    const r = lower(comp);
    expect(r['sel()']).toMatch(/`\.selector` of an expression with side effects @7$/);
    expect(r['plain(address)']).toBe('ok');
  });

  it('refuses assigning to a packed dynamic storage array in code compiled by solc 0.6.12 (fixed in 0.7.3)', async () => {
    const src = (v: string) => `// SPDX-License-Identifier: MIT
pragma solidity ${v};
contract C {
    uint128[] public small;
    uint128[] public other;
    uint256[] public wide;
    uint256[] public wider;
    function add(uint128 x) external { small.push(x); wide.push(x); }
    function clearSmall() external { delete small; }
    function copySmall() external { small = other; }
    function copyWide() external { wide = wider; }
}
`;
    const six = lower(await compile(src('0.6.12')));
    expect(six['add(uint128)']).toBe('ok');
    expect(six['clearSmall()']).toBe('ok');
    expect(six['copySmall()']).toMatch(/DynamicArrayCleanup, fixed in 0\.7\.3\) @10$/);
    expect(six['copyWide()']).not.toMatch(/DynamicArrayCleanup/);
    expect(lower(await compile(src('0.7.6')))['copySmall()']).not.toMatch(/DynamicArrayCleanup/);
  });

  it('checks the callee for code before every high-level call in code from solc 0.8.0–0.8.9', async () => {
    const comp = await compile(`// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
interface I { function get() external view returns (uint256); }
contract C {
    function read(I t) external view returns (uint256) { return t.get(); }
}
`);
    const codeChecks = (version: string) => {
      const relabelled = { ...comp, solcVersion: version };
      const f = lowerContract(relabelled, selectContract(relabelled, 'C')).functions.find((x) => x.signature === 'read(address)')!;
      expectLowered(f.body.ok);
      return f.body.ok ? f.body.blocks.flatMap((b) => b.instrs).filter((i) => i.kind === 'hascode').length : -1;
    };
    expect(codeChecks(comp.solcVersion)).toBe(0);
    expect(codeChecks('0.8.9+commit.e5eed63a')).toBe(1);
  });
});
