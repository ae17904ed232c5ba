import { codeForCounterexample } from './immutables.ts';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getAddress } from 'viem';
import type { CheckResult, SideInfo } from '../api.ts';
import { invariant } from '../util/assert.ts';
import { keccakHex } from '../util/hash.ts';
import type { Counterexample, EntryPointResult, Replay, ReplayedRun } from '../verdicts/types.ts';
import { CONTRACT_ADDRESS } from './evm.ts';

/*
 * Reproductions for auditors: every confirmed counterexample becomes a standalone Foundry test (needing
 * only forge-std) that etches both exact runtime codes, sets the pre-state and environment, calls both
 * with the exact calldata, and asserts the divergence and each side's exact EVM outcome; plus a JSON
 * trace of the same. The Solidity is rendered from plain data (`ReproCase`) so it can be tested apart.
 */

/**
 * An external call answered by `vm.mockCall`: every successful call of the counterexample (either
 * version) to an address with code, with the return data the model gave it. Failed calls are left
 * unmocked (`vm.mockCall` cannot fail a call); the JSON trace keeps the model's full answers.
 */
export interface MockedCall {
  /** Callee address, 0x-hex. */
  readonly callee: string;
  /** Calldata to match (Foundry matches it as a prefix), 0x-hex. */
  readonly data: string;
  readonly returnData: string;
}

/** One reproduction: a confirmed counterexample with both versions' exact runtime code. */
export interface ReproCase {
  /** File and test-contract base name, `<Contract>_<function>`, unique within one run. */
  readonly name: string;
  readonly toolVersion: string;
  readonly old: SideInfo;
  readonly new: SideInfo;
  /** 0x-prefixed selector; null for fallback/receive. */
  readonly selector: string | null;
  readonly cex: Counterexample;
  readonly replay: Replay;
  readonly mocks: readonly MockedCall[];
}

/** The JSON trace written next to each test. */
export interface ReproTrace {
  readonly format: 'patchproof-repro/v0';
  readonly tool: { readonly name: 'patchproof'; readonly version: string };
  readonly foundryTest: string;
  readonly old: TraceSide;
  readonly new: TraceSide;
  readonly entryPoint: string;
  readonly selector: string | null;
  readonly args: Counterexample['args'];
  readonly calldata: string;
  readonly env: Counterexample['env'];
  readonly preState: Counterexample['preState'];
  readonly mockedCalls: readonly MockedCall[];
  /** How patchproof ran both versions: each alone at this address, Cancun rules. */
  readonly evm: { readonly hardfork: 'cancun'; readonly contractAddress: string };
  /** Observable parts in which the two EVM runs differ. */
  readonly differs: readonly string[];
  /** The same, as the symbolic model predicted. */
  readonly modelDiffers: readonly string[];
  readonly runs: { readonly old: ReplayedRun; readonly new: ReplayedRun };
  readonly matchesModel: Replay['matchesModel'];
  readonly notes: readonly string[];
}

interface TraceSide {
  readonly file: string;
  readonly contract: string;
  readonly runtimeKeccak: string;
  readonly runtimeSize: number;
}

/** Where the test etches the two versions: fixed code-free addresses, derived from a label. */
export const REPRO_OLD_ADDRESS: string = getAddress('0x' + keccakHex('patchproof.repro.old').slice(-40));
export const REPRO_NEW_ADDRESS: string = getAddress('0x' + keccakHex('patchproof.repro.new').slice(-40));

/** The counterexample of an entry point whose difference the EVM confirmed, if any. */
function confirmed(ep: EntryPointResult): { cex: Counterexample; replay: Replay } | undefined {
  const v = ep.verdict;
  if (v.kind !== 'different' || v.counterexample?.replay?.confirmed !== true) return undefined;
  return { cex: v.counterexample, replay: v.counterexample.replay };
}

const identifier = (s: string): string => {
  const clean = s.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(clean) ? clean : '_' + clean;
};

/** Every confirmed counterexample of `result`, in entry-point order, with unique sanitised names. */
export function reproCases(result: CheckResult): ReproCase[] {
  // Compared lower-cased: two names differing only in case would share a file on macOS and Windows.
  const used = new Set<string>();
  const cases: ReproCase[] = [];
  for (const ep of result.entryPoints) {
    const c = confirmed(ep);
    if (c === undefined) continue;
    const fn = ep.signature.slice(0, Math.max(0, ep.signature.indexOf('('))) || ep.kind;
    const base = `${identifier(result.new.contract)}_${identifier(fn)}`;
    let name = base;
    for (let i = 2; used.has(name.toLowerCase()); i++) name = `${base}_${i}`;
    used.add(name.toLowerCase());
    cases.push({ name, toolVersion: result.tool.version, old: result.old, new: result.new, selector: ep.selector, cex: c.cex, replay: c.replay, mocks: mocksOf(c.cex) });
  }
  return cases;
}

/**
 * Writes `<dir>/<Contract>_<function>.t.sol` and `.json` per confirmed counterexample and returns the
 * written paths (test, then trace, per counterexample). `dir` is created even when there is none.
 */
export async function writeRepro(result: CheckResult, dir: string): Promise<string[]> {
  const cases = reproCases(result);
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const c of cases) {
    const sol = join(dir, `${c.name}.t.sol`);
    const json = join(dir, `${c.name}.json`);
    await writeFile(sol, renderFoundryTest(c));
    await writeFile(json, JSON.stringify(reproTrace(c), null, 2) + '\n');
    written.push(sol, json);
  }
  return written;
}

export function reproTrace(c: ReproCase): ReproTrace {
  const side = (s: SideInfo): TraceSide => ({ file: s.file, contract: s.contract, runtimeKeccak: s.runtimeKeccak, runtimeSize: bytes(s.runtimeBytecode).length / 2 });
  return {
    format: 'patchproof-repro/v0',
    tool: { name: 'patchproof', version: c.toolVersion },
    foundryTest: `${c.name}.t.sol`,
    old: side(c.old),
    new: side(c.new),
    entryPoint: c.cex.entryPoint,
    selector: c.selector,
    args: c.cex.args,
    calldata: c.cex.calldata,
    env: c.cex.env,
    preState: c.cex.preState,
    mockedCalls: c.mocks,
    evm: { hardfork: 'cancun', contractAddress: CONTRACT_ADDRESS },
    differs: c.replay.differs,
    modelDiffers: c.cex.differs,
    runs: { old: c.replay.old, new: c.replay.new },
    matchesModel: c.replay.matchesModel,
    notes: c.replay.notes,
  };
}

// ---- Solidity rendering ----

const M256 = (1n << 256n) - 1n;

/** The body of a 0x-hex byte string, lower-case; anything else is a bug upstream. */
function bytes(h: string): string {
  const body = (h.startsWith('0x') || h.startsWith('0X') ? h.slice(2) : h).toLowerCase();
  invariant(/^[0-9a-f]*$/.test(body) && body.length % 2 === 0, `not a hex byte string: ${h.slice(0, 80)}`);
  return body;
}

const big = (h: string): bigint => (h === '0x' || h === '' ? 0n : BigInt(h));

/** A 256-bit word as a bytes32 expression (64 hex digits convert to bytes32 exactly). */
const word = (x: bigint): string => `bytes32(0x${(x & M256).toString(16).padStart(64, '0')})`;

/** A checksummed address literal, as solc requires. */
const address = (x: string | bigint): string => getAddress('0x' + (BigInt(x) & ((1n << 160n) - 1n)).toString(16).padStart(40, '0'));

/** A `hex"…"` literal, split into adjacent literals (which solc concatenates) of 64 bytes per line. */
function hexLiteral(h: string, indent: string): string {
  const body = bytes(h);
  if (body.length <= 128) return `hex"${body}"`;
  const parts: string[] = [];
  for (let i = 0; i < body.length; i += 128) parts.push(`hex"${body.slice(i, i + 128)}"`);
  return parts.join(`\n${indent}`);
}

/** A plain ASCII string literal (assert messages): quotes and backslashes escaped, the rest printable. */
const str = (s: string): string => '"' + s.replace(/[\\"]/g, '\\$&').replace(/[^\x20-\x7e]/g, '?') + '"';

/** One comment line: no line breaks, ASCII only. */
const comment = (s: string): string => '// ' + s.replace(/[\r\n]+/g, ' ').replace(/[^\x20-\x7e]/g, '?');

const sortSlots = (xs: Iterable<bigint>): bigint[] => [...new Set(xs)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/** Post-value of `slot` after a run, given the pre-state: every changed slot is in `storageChanges`. */
function postValue(run: ReplayedRun, pre: ReadonlyMap<bigint, bigint>, slot: bigint): bigint {
  const changed = run.storageChanges.find((c) => big(c.slot) === slot);
  return changed !== undefined ? big(changed.value) : (pre.get(slot) ?? 0n);
}

/** The standalone Foundry test for one reproduction. */
/** A side's runtime code with the immutables the counterexample assumes written in (as the replay ran it). */
function runtimeOf(s: SideInfo, cex: Counterexample): string {
  return codeForCounterexample(s.runtimeBytecode, s.immutableSlots === undefined ? undefined : new Map(s.immutableSlots.map((x) => [x.name, x])), cex);
}

export function renderFoundryTest(c: ReproCase): string {
  const { cex, replay } = c;
  const pre = new Map<bigint, bigint>();
  for (const s of cex.preState) pre.set(big(s.slot), big(s.value));
  // Through a state mapping the new version starts from the mapped image of the old storage.
  const mappedPre = cex.stateMapping?.newPreState ?? [];
  const newPre = new Map(pre);
  for (const s of mappedPre) newPre.set(big(s.slot), big(s.value));
  // Every slot either side could have touched: pinned on both sides, compared where they differ.
  const slots = sortSlots([...newPre.keys(), ...replay.old.storageChanges.map((s) => big(s.slot)), ...replay.new.storageChanges.map((s) => big(s.slot))]);
  const env = (k: string): bigint => BigInt(cex.env[k] ?? '0');
  const logsDiffer = replay.differs.includes('logs');
  const keepLogs = (r: ReplayedRun): boolean => r.status === 'success' || logsDiffer;
  const fnName = `test_${identifier(cex.entryPoint.slice(0, Math.max(0, cex.entryPoint.indexOf('('))) || 'call')}_diverges`;
  const hasPre = cex.preState.length > 0;

  const out: string[] = [];
  const line = (s = ''): void => void out.push(s);

  line('// SPDX-License-Identifier: UNLICENSED');
  line('pragma solidity >=0.8.0 <0.9.0;');
  line();
  for (const l of header(c)) line(comment(l));
  line();
  line('import {Test} from "forge-std/Test.sol";');
  line('import {Vm} from "forge-std/Vm.sol";');
  line();
  line(`contract ${c.name}_Repro is Test {`);
  line('    /// Both versions live side by side at fixed, otherwise empty addresses.');
  line(`    address internal constant OLD = ${REPRO_OLD_ADDRESS};`);
  line(`    address internal constant NEW = ${REPRO_NEW_ADDRESS};`);
  line(`    address internal constant SENDER = ${address(env('msg.sender'))};`);
  line(`    uint256 internal constant VALUE = ${env('msg.value')};`);
  line(`    uint256 internal constant TIMESTAMP = ${env('block.timestamp')};`);
  line(`    uint256 internal constant BLOCK_NUMBER = ${env('block.number')};`);
  line(`    /// ${cex.entryPoint}: the exact calldata (${bytes(cex.calldata).length / 2} bytes).`);
  line(`    bytes internal constant CALLDATA = ${hexLiteral(cex.calldata, '        ')};`);
  const set = cex.immutables === undefined ? '' : ` as compiled, with the immutables the counterexample assumes (${cex.immutables.map((m) => `${m.name} = ${m.value}`).join(', ')})`;
  line(`    /// Old runtime code, keccak256 ${c.old.runtimeKeccak}${set}.`);
  line(`    bytes internal constant OLD_RUNTIME = ${hexLiteral(runtimeOf(c.old, cex), '        ')};`);
  line(`    /// New runtime code, keccak256 ${c.new.runtimeKeccak}${set}.`);
  line(`    bytes internal constant NEW_RUNTIME = ${hexLiteral(runtimeOf(c.new, cex), '        ')};`);
  line();
  line('    function setUp() public {');
  line('        vm.etch(OLD, OLD_RUNTIME);');
  line('        vm.etch(NEW, NEW_RUNTIME);');
  // External libraries at the addresses patchproof linked them at (one code per address for both versions).
  const libs = new Map<string, string>();
  for (const l of [...(c.old.libraries ?? []), ...(c.new.libraries ?? [])]) {
    const seen = libs.get(l.address);
    if (seen === undefined) libs.set(l.address, l.runtimeBytecode);
    else if (seen !== l.runtimeBytecode) libs.set(l.address, '');
  }
  for (const [at, code] of libs) {
    if (code === '') line(`        ${comment(`library at ${address(at)} differs between the versions: one test cannot etch both`)}`);
    else line(`        vm.etch(${address(at)}, ${hexLiteral(code, '            ')});`);
  }
  if (hasPre) line('        _setPreState(OLD);');
  if (hasPre) line('        _setPreState(NEW);');
  if (mappedPre.length > 0) line('        _setMappedPreState(NEW);');
  for (const m of c.mocks) line(`        vm.mockCall(${address(m.callee)}, ${hexLiteral(m.data, '            ')}, ${hexLiteral(m.returnData, '            ')});`);
  line('        vm.warp(TIMESTAMP);');
  line('        vm.roll(BLOCK_NUMBER);');
  // Further block values only when the counterexample reads them (absent ones are the replay's defaults).
  const has = (k: string): boolean => cex.env[k] !== undefined;
  if (has('block.chainid')) line(`        vm.chainId(${env('block.chainid')});`);
  if (has('block.basefee')) line(`        vm.fee(${env('block.basefee')});`);
  if (has('block.prevrandao')) line(`        vm.prevrandao(${word(env('block.prevrandao'))});`);
  if (has('block.coinbase')) line(`        vm.coinbase(${address(env('block.coinbase'))});`);
  if (has('block.gaslimit')) line(`        ${comment(`block.gaslimit must be ${env('block.gaslimit')} (Foundry: --gas-limit / --block-gas-limit)`)}`);
  // Foundry takes a pranked call's value from the pranked sender; some EVMs check the caller first.
  if (env('msg.value') > 0n) line('        vm.deal(address(this), VALUE);');
  line('    }');
  line();
  line(`    function ${fnName}() public {`);
  for (const [side, r] of [['Old', replay.old], ['New', replay.new]] as const)
    line(`        (bool ok${side}, bytes memory ret${side}, ${keepLogs(r) ? `Vm.Log[] memory logs${side}` : ''}) = _call(${side.toUpperCase()});`);
  line();
  line("        // Each version behaves exactly as patchproof's EVM replay saw it.");
  out.push(...pinOutcome('Old', replay.old, slots, pre), ...pinOutcome('New', replay.new, slots, newPre));
  line();
  line(`        // The divergence patchproof reports: ${replay.differs.join(', ')}.`);
  if (cex.stateMapping !== undefined && replay.differs.includes('storage')) {
    line('        // Storage is compared through the state mapping (the same value at each mapped variable\'s old and new');
    line('        // place, every other byte alike):');
    for (const p of cex.stateMapping.places) line(`        //   ${p.variable}: old ${p.old.name} @ ${p.old.slot} (offset ${p.old.offset}, ${p.old.bytes} bytes) ~ new ${p.new.name} @ ${p.new.slot} (offset ${p.new.offset}, ${p.new.bytes} bytes)`);
  }
  out.push(...assertDivergence(replay, slots, pre, newPre));
  line('    }');
  if (hasPre) {
    line();
    line("    /// The counterexample's pre-state: every storage word either execution reads or overwrites.");
    line('    function _setPreState(address target) internal {');
    for (const s of cex.preState) line(`        vm.store(target, ${word(big(s.slot))}, ${word(big(s.value))}); ${comment(s.name)}`);
    line('    }');
  }
  if (mappedPre.length > 0) {
    line();
    line('    /// The new version\'s own words: the old storage through the state mapping (the migration\'s copy).');
    line('    function _setMappedPreState(address target) internal {');
    for (const s of mappedPre) line(`        vm.store(target, ${word(big(s.slot))}, ${word(big(s.value))}); ${comment(s.name)}`);
    line('    }');
  }
  line();
  line(`    /// One call as the counterexample makes it: sender funded with exactly msg.value, tx.origin = ${cex.env['tx.origin'] === undefined ? 'sender' : 'the counterexample\'s origin'}.`);
  line('    function _call(address target) internal returns (bool ok, bytes memory ret, Vm.Log[] memory logs) {');
  line('        vm.deal(SENDER, VALUE);');
  // Accounts whose balance the versions read (`a.balance`), as the call starts (the sender's after msg.value left it).
  for (const b of cex.balances ?? []) {
    if (big(b.address) === env('msg.sender')) line(`        vm.deal(SENDER, VALUE + ${b.balance});`);
    else line(`        vm.deal(${address(big(b.address))}, ${b.balance});`);
  }
  line('        vm.recordLogs();');
  line(cex.env['tx.origin'] === undefined ? '        vm.prank(SENDER, SENDER);' : `        vm.prank(SENDER, ${address(env('tx.origin'))});`);
  line('        (ok, ret) = target.call{value: VALUE}(CALLDATA);');
  line('        logs = vm.getRecordedLogs();');
  line('    }');
  if (logsDiffer) {
    line();
    line('    /// Topics and data of every log in order; the emitter is left out since the versions sit at two addresses.');
    line('    function _logsDigest(Vm.Log[] memory logs) internal pure returns (bytes32 digest) {');
    line('        digest = keccak256(abi.encode(logs.length));');
    line('        for (uint256 i = 0; i < logs.length; i++) digest = keccak256(abi.encode(digest, logs[i].topics, logs[i].data));');
    line('    }');
  }
  line('}');
  return out.join('\n') + '\n';
}

/** Assertions that one side's call ended exactly as the EVM replay saw: status, output, storage, logs. */
function pinOutcome(side: 'Old' | 'New', r: ReplayedRun, slots: readonly bigint[], pre: ReadonlyMap<bigint, bigint>): string[] {
  const who = side.toLowerCase();
  const target = side.toUpperCase();
  const ok = r.status === 'success';
  const lines = [
    `        ${ok ? 'assertTrue' : 'assertFalse'}(ok${side}, ${str(`${who}: expected ${ok ? 'success' : 'revert'}`)});`,
    `        assertEq(ret${side}, ${hexLiteral(r.output, '            ')}, ${str(`${who}: ${ok ? 'return' : 'revert'} data`)});`,
  ];
  for (const s of slots) lines.push(`        assertEq(vm.load(${target}, ${word(s)}), ${word(postValue(r, pre, s))}, ${str(`${who}: storage at slot 0x${s.toString(16)}`)});`);
  if (!ok) return [...lines, `        // (${who} reverted: the EVM discards its logs; Foundry may still record them, so they are not checked)`];
  const logs = `logs${side}`;
  lines.push(`        assertEq(${logs}.length, ${r.logs.length}, ${str(`${who}: number of logs`)});`);
  r.logs.forEach((l, i) => {
    lines.push(`        assertEq(${logs}[${i}].emitter, ${target}, ${str(`${who}: log ${i} emitter`)});`);
    lines.push(`        assertEq(${logs}[${i}].topics.length, ${l.topics.length}, ${str(`${who}: log ${i} topic count`)});`);
    l.topics.forEach((t, j) => lines.push(`        assertEq(${logs}[${i}].topics[${j}], ${word(big(t))}, ${str(`${who}: log ${i} topic ${j}`)});`));
    lines.push(`        assertEq(${logs}[${i}].data, ${hexLiteral(l.data, '            ')}, ${str(`${who}: log ${i} data`)});`);
  });
  return lines;
}

/** One assertion per observable part the EVM replay found different (per slot for storage). */
function assertDivergence(replay: Replay, slots: readonly bigint[], pre: ReadonlyMap<bigint, bigint>, newPre: ReadonlyMap<bigint, bigint> = pre): string[] {
  const lines: string[] = [];
  for (const d of replay.differs) {
    if (d === 'success') lines.push(`        assertTrue(okOld != okNew, ${str('the versions differ in success')});`);
    else if (d === 'returnData' || d === 'revertData')
      lines.push(`        assertTrue(keccak256(retOld) != keccak256(retNew), ${str(`the versions differ in ${d === 'returnData' ? 'return' : 'revert'} data`)});`);
    else if (d === 'storage') {
      for (const s of slots) {
        if (postValue(replay.old, pre, s) === postValue(replay.new, newPre, s)) continue;
        lines.push(`        assertTrue(vm.load(OLD, ${word(s)}) != vm.load(NEW, ${word(s)}), ${str(`the versions differ in storage at slot 0x${s.toString(16)}`)});`);
      }
    } else if (d === 'logs') lines.push(`        assertTrue(_logsDigest(logsOld) != _logsDigest(logsNew), ${str('the versions differ in logs')});`);
    else invariant(false, `unknown difference kind ${d}`);
  }
  return lines;
}

/** The header comment: what this test is, where it came from, and what it shows. */
function header(c: ReproCase): string[] {
  const { cex, replay } = c;
  const lines = [
    `Reproduction generated by patchproof ${c.toolVersion}. Run: forge test --match-contract ${c.name}_Repro -vvvv`,
    `Old: ${c.old.contract} (${c.old.file}), runtime keccak256 ${c.old.runtimeKeccak}`,
    `New: ${c.new.contract} (${c.new.file}), runtime keccak256 ${c.new.runtimeKeccak}`,
    `Entry point: ${cex.entryPoint}${c.selector === null ? '' : ` (selector ${c.selector})`}`,
  ];
  for (const a of cex.args) lines.push(`  argument ${a.name || '(unnamed)'}: ${a.type} = ${a.value}`);
  lines.push(`Environment: ${Object.entries(cex.env).map(([k, v]) => `${k} = ${v}`).join(', ')}`);
  lines.push(`Differs on the EVM: ${replay.differs.join(', ')} (the model predicted: ${cex.differs.join(', ')})`);
  lines.push(`  old: ${replay.old.summary}`);
  lines.push(`  new: ${replay.new.summary}`);
  if (c.mocks.length > 0) lines.push(`External calls answered by vm.mockCall: ${c.mocks.length}`);
  for (const n of replay.notes) lines.push(`Note: ${n}`);
  lines.push(`patchproof ran each version alone at ${CONTRACT_ADDRESS}; here they sit at two addresses, which the modelled code cannot observe.`);
  return lines;
}

/** The counterexample's successful external calls as `vm.mockCall`s, one per callee and calldata. */
function mocksOf(cex: Counterexample): MockedCall[] {
  const out: MockedCall[] = [];
  for (const call of [...(cex.calls?.old ?? []), ...(cex.calls?.new ?? [])]) {
    if (!call.hasCode || !call.success) continue;
    if (out.some((m) => m.callee === call.to && m.data === call.data)) continue;
    out.push({ callee: call.to, data: call.data, returnData: call.output });
  }
  return out;
}
