import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import solc from 'solc';
import { encodeAbiParameters, encodeFunctionData, getAddress, parseAbi, toFunctionSelector } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, SideInfo } from '../../src/api.ts';
import { checkPatch } from '../../src/check.ts';
import { renderFoundryTest, reproCases, writeRepro, type ReproCase, type ReproTrace } from '../../src/replay/repro.ts';
import { Z3Solver } from '../../src/smt/z3.ts';
import { loadSpec } from '../../src/spec/prove.ts';
import { keccakHex } from '../../src/util/hash.ts';
import type { Counterexample } from '../../src/verdicts/types.ts';
import { projectRoot } from '../cli/helpers.ts';
import { runFoundryTests } from './cheatcode-evm.ts';

/*
 * Every confirmed counterexample of a few fixture pairs becomes a Foundry test; each is compiled with
 * solc-js against a local stand-in for forge-std and then executed on @ethereumjs/evm with the cheatcodes
 * it uses (test/replay/cheatcode-evm.ts). A passing test means: the divergence and both sides' exact
 * EVM outcomes are reproduced from the test's own data.
 */

// receive-added: empty calldata and msg.value = 2^256 - 1 (the sender is funded with all of it).
const FIXTURES = ['example', 'packed-slot-declaration-swap', 'event-argument-changed', 'custom-error-changed', 'receive-added', 'tx-origin-auth', 'immutable-fee-rounding-up'];
const cacheDir = path.join(projectRoot, 'node_modules/.cache/patchproof-test');
const stubDir = path.join(projectRoot, 'test/replay/forge-std-stub');

let solver: Z3Solver;
let outDir: string;
const results = new Map<string, CheckResult>();
const written = new Map<string, string[]>();

beforeAll(async () => {
  solver = await Z3Solver.start();
  outDir = mkdtempSync(path.join(tmpdir(), 'patchproof-repro-'));
  for (const name of FIXTURES) {
    const dir = path.join(projectRoot, 'fixtures', name);
    const r = await checkPatch({ oldFile: path.join(dir, 'old.sol'), newFile: path.join(dir, 'new.sol'), cacheDir, solver });
    results.set(name, r);
    written.set(name, await writeRepro(r, outDir));
  }
}, 300_000);

afterAll(() => {
  solver?.close();
  if (outDir !== undefined) rmSync(outDir, { recursive: true, force: true });
});

interface SolcOutput {
  errors?: { severity: string; formattedMessage: string }[];
  contracts?: Record<string, Record<string, { abi: { type: string; name?: string }[]; evm: { bytecode: { object: string } } }>>;
}

/** Compiles Foundry tests with solc-js, `forge-std/…` resolved to the local stand-in. */
function compileTests(tests: Record<string, string>): SolcOutput {
  const sources: Record<string, { content: string }> = {};
  for (const [name, content] of Object.entries(tests)) sources[name] = { content };
  for (const f of ['Test.sol', 'Vm.sol']) sources[`forge-std/${f}`] = { content: readFileSync(path.join(stubDir, f), 'utf8') };
  const input = { language: 'Solidity', sources, settings: { evmVersion: 'cancun', outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } } } };
  return JSON.parse(solc.compile(JSON.stringify(input))) as SolcOutput;
}

const errorsOf = (out: SolcOutput): string[] => (out.errors ?? []).filter((e) => e.severity === 'error').map((e) => e.formattedMessage);

/** Compiles and runs one test contract (the only one in `source` unless named); returns each test's outcome. */
async function compileAndRun(unit: string, source: string, contract?: string): Promise<{ name: string; passed: boolean; reason?: string }[]> {
  const out = compileTests({ [unit]: source });
  expect(errorsOf(out)).toEqual([]);
  const contracts = Object.entries(out.contracts?.[unit] ?? {}).filter(([name]) => contract === undefined || name === contract);
  expect(contracts).toHaveLength(1);
  const [, c] = contracts[0]!;
  return runFoundryTests(c.evm.bytecode.object, c.abi.filter((x) => x.type === 'function').map((x) => x.name ?? ''));
}

const confirmedCex = (r: CheckResult): Counterexample[] =>
  r.entryPoints.flatMap((e) => (e.verdict.kind === 'different' && e.verdict.counterexample?.replay?.confirmed === true ? [e.verdict.counterexample] : []));

describe('writeRepro on fixture pairs', () => {
  it('writes one test and one trace per confirmed counterexample, with unique names', () => {
    const all = [...written.values()].flat();
    expect(new Set(all).size).toBe(all.length);
    expect(readdirSync(outDir).sort()).toEqual(all.map((p) => path.basename(p)).sort());
    for (const name of FIXTURES) {
      const r = results.get(name)!;
      const n = confirmedCex(r).length;
      expect(n, name).toBeGreaterThan(0);
      expect(written.get(name)!.filter((p) => p.endsWith('.t.sol'))).toHaveLength(n);
      expect(written.get(name)!.filter((p) => p.endsWith('.json'))).toHaveLength(n);
    }
    expect(written.get('example')!.map((p) => path.basename(p))).toEqual(['Vault_withdraw.t.sol', 'Vault_withdraw.json']);
  });

  it('every generated test compiles with solc against forge-std (stand-in) with zero errors', { timeout: 120_000 }, () => {
    const tests: Record<string, string> = {};
    for (const p of [...written.values()].flat().filter((p) => p.endsWith('.t.sol'))) tests[path.basename(p)] = readFileSync(p, 'utf8');
    const out = compileTests(tests);
    expect(errorsOf(out)).toEqual([]);
    for (const unit of Object.keys(tests)) expect(Object.keys(out.contracts?.[unit] ?? {})).toEqual([`${unit.replace(/\.t\.sol$/, '')}_Repro`]);
  });

  it('every generated test passes when executed on the EVM with the cheatcodes implemented', { timeout: 120_000 }, async () => {
    for (const p of [...written.values()].flat().filter((p) => p.endsWith('.t.sol'))) {
      const outcomes = await compileAndRun(path.basename(p), readFileSync(p, 'utf8'));
      expect(outcomes, p).toHaveLength(1);
      expect(outcomes[0], p).toMatchObject({ passed: true });
    }
  });

  it('pins the exact behaviour: a test built from a different EVM outcome fails', { timeout: 60_000 }, async () => {
    const [c] = reproCases(results.get('example')!);
    const tampered: ReproCase = { ...c!, replay: { ...c!.replay, new: { ...c!.replay.new, output: '0x4e487b710000000000000000000000000000000000000000000000000000000000000012' } } };
    const [outcome] = await compileAndRun('Tampered.t.sol', renderFoundryTest(tampered));
    expect(outcome).toMatchObject({ passed: false });
    expect(outcome!.reason).toContain('new: revert data');
  });

  it('reproduces a counterexample found through a state mapping: the new version starts from the mapped storage', { timeout: 120_000 }, async () => {
    const dir = path.join(projectRoot, 'fixtures-migration/packed-vault-truncating');
    const stateMappings = (await loadSpec(path.join(dir, 'vault.spec'))).stateMappings;
    const r = await checkPatch({ oldFile: path.join(dir, 'old.sol'), newFile: path.join(dir, 'new.sol'), cacheDir, solver, stateMappings });
    const cases = reproCases(r);
    expect(cases.map((c) => c.cex.entryPoint)).toEqual(['withdraw(uint256)']);
    const src = renderFoundryTest(cases[0]!);
    expect(src).toContain('_setMappedPreState(NEW);');
    const [outcome] = await compileAndRun('Mapped.t.sol', src);
    expect(outcome).toMatchObject({ passed: true });
  });

  it('asserts the divergence the counterexample reports', () => {
    const src = (fixture: string, fn: string) => readFileSync(written.get(fixture)!.find((p) => p.endsWith(`_${fn}.t.sol`))!, 'utf8');
    expect(src('example', 'withdraw')).toContain('assertTrue(okOld != okNew');
    expect(src('event-argument-changed', 'refund')).toContain('assertTrue(_logsDigest(logsOld) != _logsDigest(logsNew)');
    expect(src('custom-error-changed', 'withdraw')).toContain('assertTrue(keccak256(retOld) != keccak256(retNew)');
    expect(src('packed-slot-declaration-swap', 'sync')).toMatch(/assertTrue\(vm\.load\(OLD, bytes32\(0x0{64}\)\) != vm\.load\(NEW, bytes32\(0x0{64}\)\)/);
    const header = src('example', 'withdraw').split('\n').filter((l) => l.startsWith('//')).join('\n');
    const r = results.get('example')!;
    expect(header).toContain(`patchproof ${r.tool.version}`);
    expect(header).toContain(r.old.runtimeKeccak);
    expect(header).toContain(r.new.runtimeKeccak);
    expect(header).toContain('withdraw(uint256)');
    expect(header).toContain('Differs on the EVM: success');
    const receive = src('receive-added', 'receive');
    expect(receive).toContain('bytes internal constant CALLDATA = hex"";');
    expect(receive).toContain(`uint256 internal constant VALUE = ${(1n << 256n) - 1n};`);
    expect(receive).toContain('vm.deal(address(this), VALUE);');
  });

  it('writes every address literal checksummed and embeds both exact runtime codes', () => {
    for (const [fixture, paths] of written) {
      const r = results.get(fixture)!;
      for (const p of paths.filter((p) => p.endsWith('.t.sol'))) {
        const code = readFileSync(p, 'utf8')
          .split('\n')
          .map((l) => l.replace(/\/\/.*$/, ''))
          .join('\n');
        const addrs = code.match(/0x[0-9a-fA-F]{40}(?![0-9a-fA-F])/g) ?? [];
        expect(addrs.length).toBeGreaterThan(0);
        for (const a of addrs) expect(a).toBe(getAddress(a));
        const hexBody = (name: string) => [...(code.split(`bytes internal constant ${name} = `)[1] ?? '').split(';')[0]!.matchAll(/hex"([0-9a-f]*)"/g)].map((m) => m[1]).join('');
        // The compiled code exactly, except the immutables' holes, which hold the counterexample's values.
        const masked = (body: string, ranges: readonly { start: number; length: number }[]) => '0x' + ranges.reduce((h, x) => h.slice(0, 2 * x.start) + '0'.repeat(2 * x.length) + h.slice(2 * (x.start + x.length)), body);
        expect(masked(hexBody('OLD_RUNTIME'), r.old.immutableRanges ?? [])).toBe(r.old.runtimeBytecode.toLowerCase());
        expect(masked(hexBody('NEW_RUNTIME'), r.new.immutableRanges ?? [])).toBe(r.new.runtimeBytecode.toLowerCase());
        if (!r.old.immutableRanges?.length) expect(keccakHex(Buffer.from(hexBody('OLD_RUNTIME'), 'hex'))).toBe(r.old.runtimeKeccak);
        else expect(hexBody('OLD_RUNTIME')).not.toBe(r.old.runtimeBytecode.slice(2).toLowerCase());
      }
    }
    // At least one literal needs mixed case (the fixed OLD/NEW addresses do), so the check above is not vacuous.
    const all = [...written.values()].flat().filter((p) => p.endsWith('.t.sol')).map((p) => readFileSync(p, 'utf8')).join('\n');
    expect((all.match(/0x[0-9a-fA-F]{40}/g) ?? []).some((a) => /[a-f]/.test(a) && /[A-F]/.test(a))).toBe(true);
  });

  it('writes a JSON trace that parses and matches the counterexample', () => {
    for (const [fixture, paths] of written) {
      const r = results.get(fixture)!;
      const cexs = confirmedCex(r);
      const traces = paths.filter((p) => p.endsWith('.json')).map((p) => JSON.parse(readFileSync(p, 'utf8')) as ReproTrace);
      expect(traces).toHaveLength(cexs.length);
      traces.forEach((t, i) => {
        const cex = cexs[i]!;
        expect(t.format).toBe('patchproof-repro/v0');
        expect(t.foundryTest).toBe(path.basename(paths[2 * i]!));
        expect(t.old.runtimeKeccak).toBe(r.old.runtimeKeccak);
        expect(t.new.runtimeKeccak).toBe(r.new.runtimeKeccak);
        expect(t.old.runtimeSize).toBe((r.old.runtimeBytecode.length - 2) / 2);
        expect(t.entryPoint).toBe(cex.entryPoint);
        expect(t.calldata).toBe(cex.calldata);
        expect(t.env).toEqual(cex.env);
        expect(t.preState).toEqual(cex.preState);
        expect(t.args).toEqual(cex.args);
        expect(t.runs).toEqual({ old: cex.replay!.old, new: cex.replay!.new });
        expect(t.differs).toEqual(cex.replay!.differs);
        expect(t.modelDiffers).toEqual(cex.differs);
        expect(t.mockedCalls).toEqual([]);
      });
    }
  });
});

describe('reproCases', () => {
  it('skips unconfirmed counterexamples and keeps names unique (case-insensitively)', () => {
    const r = results.get('example')!;
    const ep = r.entryPoints.find((e) => e.signature === 'withdraw(uint256)')!;
    const v = ep.verdict;
    if (v.kind !== 'different' || v.counterexample?.replay === undefined) throw new Error('example: withdraw has no replayed counterexample');
    const unconfirmed = { ...ep, signature: 'other()', verdict: { ...v, counterexample: { ...v.counterexample, replay: { ...v.counterexample.replay, confirmed: false } } } };
    const fake: CheckResult = { ...r, entryPoints: [ep, { ...ep, signature: 'withdraw(address)' }, { ...ep, signature: 'Withdraw()' }, unconfirmed] };
    expect(reproCases(fake).map((c) => c.name)).toEqual(['Vault_withdraw', 'Vault_withdraw_2', 'Vault_Withdraw_3']);
  });
});

describe('mocked external calls (synthetic: the model does not produce external calls yet)', () => {
  const ORACLE = '0x' + 'ab'.repeat(20);
  const source = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
interface IOracle { function price() external view returns (uint256); }
contract FeedOld { function read(address o) external view returns (uint256) { return IOracle(o).price(); } }
contract FeedNew { function read(address o) external view returns (uint256) { return IOracle(o).price() + 1; } }
`;

  function sideOf(out: SolcOutput, name: string): SideInfo {
    const hex = '0x' + (out.contracts as unknown as Record<string, Record<string, { evm: { deployedBytecode: { object: string } } }>>)['feed.sol']![name]!.evm.deployedBytecode.object;
    return { file: 'feed.sol', contract: name, sources: [], runtimeKeccak: keccakHex(Buffer.from(hex.slice(2), 'hex')), runtimeBytecode: hex, compileMs: 0 };
  }

  it('renders vm.mockCall with a checksummed callee, compiles, and runs against the mock', { timeout: 60_000 }, async () => {
    const input = { language: 'Solidity', sources: { 'feed.sol': { content: source } }, settings: { evmVersion: 'cancun', outputSelection: { '*': { '*': ['evm.deployedBytecode.object'] } } } };
    const out = JSON.parse(solc.compile(JSON.stringify(input))) as SolcOutput;
    expect(errorsOf(out)).toEqual([]);
    const ret = (x: bigint) => encodeAbiParameters([{ type: 'uint256' }], [x]);
    const run = (x: bigint) => ({ status: 'success' as const, summary: `success returning ${ret(x)}`, output: ret(x), storageChanges: [], logs: [] });
    const execution = { status: 'success' as const, returnValues: [], storageWrites: [], events: [] };
    const calldata = encodeFunctionData({ abi: parseAbi(['function read(address) view returns (uint256)']), args: [getAddress(ORACLE)] });
    const cex: Counterexample = {
      entryPoint: 'read(address)',
      args: [{ name: 'o', type: 'address', value: ORACLE }],
      env: { 'msg.sender': '0x' + '0'.repeat(39) + '1', 'msg.value': '0', 'block.timestamp': '7', 'block.number': '3', calldatasize: '36' },
      preState: [],
      calldata,
      old: execution,
      new: execution,
      differs: ['returnData'],
      replay: { confirmed: true, differs: ['returnData'], matchesModel: { old: true, new: true }, old: run(42n), new: run(43n), notes: [] },
    };
    const c: ReproCase = {
      name: 'Feed_read',
      toolVersion: '0.0.0-test',
      old: sideOf(out, 'FeedOld'),
      new: sideOf(out, 'FeedNew'),
      selector: toFunctionSelector('read(address)'),
      cex,
      replay: cex.replay!,
      mocks: [{ callee: ORACLE, data: toFunctionSelector('price()'), returnData: ret(42n) }],
    };
    const sol = renderFoundryTest(c);
    expect(sol).toContain(`vm.mockCall(${getAddress(ORACLE)}, hex"${toFunctionSelector('price()').slice(2)}", hex"${ret(42n).slice(2)}");`);
    expect(await compileAndRun('Feed_read.t.sol', sol)).toEqual([{ name: 'test_read_diverges', passed: true }]);
    // Without the mock the oracle has no code: both calls revert and the pinned outcome fails.
    const [unmocked] = await compileAndRun('Feed_read.t.sol', renderFoundryTest({ ...c, mocks: [] }));
    expect(unmocked).toMatchObject({ passed: false });
  });
});

describe('the cheatcode EVM used above (a check of the stand-in itself)', () => {
  const probe = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
import {Test} from "forge-std/Test.sol";
import {Vm} from "forge-std/Vm.sol";
contract Probe {
    event Seen(uint256 x);
    function probe() external payable returns (address, address, uint256, uint256, uint256) {
        emit Seen(7);
        return (msg.sender, tx.origin, msg.value, block.timestamp, block.number);
    }
}
contract HarnessTest is Test {
    address internal constant ALICE = address(0xBEEF);
    address internal constant BOB = address(0xCAFE);
    function test_cheatcodes() public {
        Probe p = new Probe();
        vm.warp(1234);
        vm.roll(56);
        vm.deal(ALICE, 5);
        vm.recordLogs();
        vm.prank(ALICE, BOB);
        (address s, address o, uint256 v, uint256 t, uint256 n) = p.probe{value: 5}();
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(s, ALICE, "sender");
        assertEq(o, BOB, "origin");
        assertEq(v, 5, "value");
        assertEq(t, 1234, "timestamp");
        assertEq(n, 56, "number");
        assertEq(ALICE.balance, 0, "value paid by the pranked sender");
        assertEq(logs.length, 1, "one log");
        assertEq(logs[0].emitter, address(p), "emitter");
        assertEq(logs[0].data, abi.encode(uint256(7)), "log data");
        assertEq(vm.getRecordedLogs().length, 0, "logs are consumed");
        (s, , , , ) = p.probe();
        assertEq(s, address(this), "the prank applies to one call only");
        vm.store(address(p), bytes32(uint256(9)), bytes32(uint256(77)));
        assertEq(vm.load(address(p), bytes32(uint256(9))), bytes32(uint256(77)), "store/load");
    }
    function test_failingAssertionFails() public pure {
        assertTrue(false, "boom");
    }
}
`;

  it('implements the cheatcodes as Foundry does and reports failing tests', { timeout: 60_000 }, async () => {
    const outcomes = await compileAndRun('Harness.t.sol', probe, 'HarnessTest');
    expect(outcomes).toEqual([
      { name: 'test_cheatcodes', passed: true },
      { name: 'test_failingAssertionFails', passed: false, reason: 'test_failingAssertionFails: Error(boom)' },
    ]);
  });
});
