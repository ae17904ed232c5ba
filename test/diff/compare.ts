import { interpret, dispatch, type CallAnswer, type ConcreteRun, type ExternalCall, type World } from '../../src/ir/interp.ts';
import { stubCode, stubsFor } from '../../src/replay/stubs.ts';
import { hexToBytes, keccakBig } from '../../src/util/hash.ts';
import type { ShownCall } from '../../src/verdicts/types.ts';
import type { IrFunction } from '../../src/ir/types.ts';
import { CONTRACT_ADDRESS, describeRun, runOnEvm, storageAfter, type EvmRun } from '../../src/replay/evm.ts';
import { codeWithImmutables, type Version } from './corpus.ts';
import { describeInput, type DiffInput } from './inputs.ts';

/** One input through one version: the IR interpreter and the compiled code on the EVM. */
export interface SideResult {
  readonly fn: IrFunction;
  /** Null when the dispatched entry point is unsupported (the interpreter cannot run it). */
  readonly ir: ConcreteRun | null;
  readonly evm: EvmRun;
  /** Every observable part in which the two disagree (empty when they agree). */
  readonly diffs: readonly string[];
  /**
   * The interpreter reached a loop's unrolling bound: the IR says nothing about how this run ends, so it
   * was not compared with the EVM (callers count these and print the count).
   */
  readonly exhausted: boolean;
  /** The interpreter stopped at a memory allocation no EVM run has the gas for (part of `exhausted`). */
  readonly outOfGas?: boolean;
}

const hex = (x: bigint): string => '0x' + x.toString(16);

const SELF = BigInt(CONTRACT_ADDRESS);
const M256 = (1n << 256n) - 1n;

/**
 * A deterministic world for differential runs: whether an address has code and every callee's answer are
 * functions of the call (target, value, calldata), so the EVM gets stub callees that answer the same.
 * Answers mix success and failure, short, clean and dirty return words, and failures with and without data.
 */
export const diffWorld: World = {
  hasCode: (to) => (keccakBig(hexToBytes(to.toString(16).padStart(64, '0'))) & 7n) !== 0n,
  call(c: ExternalCall): CallAnswer {
    if (!diffWorld.hasCode(c.to)) return { success: true, output: '0x' };
    const h = keccakBig(hexToBytes(c.to.toString(16).padStart(64, '0') + c.value.toString(16).padStart(64, '0') + c.data.slice(2)));
    if ((h & 0xffn) < 40n) return { success: false, output: (h >> 8n) & 1n ? '0x' : '0xca11fa11' + (h >> 9n).toString(16).padStart(64, '0').slice(-64) };
    const n = Number((h >> 16n) % 4n);
    const dirty = ((h >> 20n) & 3n) === 0n;
    let out = '';
    for (let i = 0; i < n; i++) {
      const w = dirty ? keccakBig(hexToBytes(h.toString(16).padStart(64, '0') + i.toString(16).padStart(64, '0'))) : (h >> BigInt(24 + i)) & 1n;
      out += w.toString(16).padStart(64, '0');
    }
    return { success: true, output: '0x' + out };
  },
  // Balances at entry: zero for some addresses, small or large amounts for the rest.
  balance(a: bigint): bigint {
    const h = keccakBig(hexToBytes('ba1a' + a.toString(16).padStart(64, '0')));
    return (h & 3n) === 0n ? 0n : (h & 4n) === 0n ? (h >> 8n) % 1000n : (h >> 8n) % 10n ** 21n;
  },
};

export async function runBoth(v: Version, x: DiffInput): Promise<SideResult> {
  const fn = dispatch(v.ir, x.calldata);
  // Gas is not modelled: the interpreter is given the EVM's own gasleft() readings. Those depend on the
  // stub callees, which depend on the calls the interpreter makes, so run until the calls settle.
  const readsGas = fn.body.ok && fn.body.blocks.some((b) => b.instrs.some((i) => i.kind === 'gasleft'));
  let readings: readonly bigint[] = [];
  let r = await runOnce(v, x, fn, readings);
  for (let k = 0; readsGas && k < 3; k++) {
    const same = JSON.stringify(r.evm.gasReadings ?? [], (_, y) => (typeof y === 'bigint' ? y.toString() : y)) === JSON.stringify(readings, (_, y) => (typeof y === 'bigint' ? y.toString() : y));
    if (same) break;
    readings = r.evm.gasReadings ?? [];
    r = await runOnce(v, x, fn, readings);
  }
  return r;
}

function recentHashes(number: bigint): Map<bigint, bigint> {
  const out = new Map<bigint, bigint>();
  for (let n = number > 256n ? number - 256n : 0n; n < number; n++) out.set(n, (((n + 1n) * 0x9e3779b97f4a7c15f39cc0605cedc835n) ^ 0xb10c0000n) & ((1n << 256n) - 1n));
  return out;
}

async function runOnce(v: Version, x: DiffInput, fn: IrFunction, readings: readonly bigint[]): Promise<SideResult> {
  const balance = x.value + (x.sender % 3n === 0n || x.value > 1n << 255n ? 0n : 10n ** 18n);
  let read = 0;
  // The balances the EVM must hold: of every address the IR reads, and the sender.
  const balances = new Map<bigint, bigint>();
  // No account can hold more than 2^256 - 1 wei (on chain the supply keeps every balance far below): an
  // account keeps room for all the contract could send it, which for the sender includes msg.value.
  const entryBalance = (a: bigint): bigint => (diffWorld.balance!(a) > M256 - balance ? M256 - balance : diffWorld.balance!(a));
  // Addresses the IR found code at: on the EVM they get code too (a stub that answers nothing), called or not.
  const coded = new Set<bigint>();
  const world: World = {
    ...diffWorld,
    // Readings past the EVM's (a first run, or one that took another path) are a plausible large value.
    gasleft: () => readings[read++] ?? 1_000_000n,
    hasCode: (a) => {
      const has = diffWorld.hasCode(a);
      if (has) coded.add(a);
      return has;
    },
    balance: (a) => {
      const b = entryBalance(a);
      balances.set(a, b);
      return b;
    },
  };
  // Block hashes for the last 256 blocks (a cheap deterministic nonzero word each), given to both sides.
  const usesHashes = fn.body.ok && fn.body.blocks.some((b) => b.instrs.some((i) => i.kind === 'blockhash'));
  const blockhashes = usesHashes && x.number <= 1n << 40n ? recentHashes(x.number) : undefined;
  x = blockhashes ? { ...x, extra: { ...x.extra, blockhashes } } : x;
  const ir = fn.body.ok
    ? interpret(fn, { calldata: x.calldata, sender: x.sender, value: x.value, timestamp: x.timestamp, number: x.number, storage: x.storage, immutables: x.immutables, self: SELF, balance, world, ...x.extra })
    : null;
  // The model assumes the gas for an allocation no EVM run can pay for: nothing to compare, and the EVM
  // would spend its whole gas limit (slowly) on the copy or the zeroing.
  if (ir?.outOfGas) return { fn, ir, evm: { status: 'revert', output: '0x', logs: [], storage: new Map(), written: new Set(), calls: [] }, diffs: [], exhausted: true, outOfGas: true };
  const code = v.immutables.size ? codeWithImmutables(v, x.immutables) : v.code;
  const shown: ShownCall[] = (ir?.calls ?? []).map((c) => {
    const a = diffWorld.call(c);
    return { made: true, to: '0x' + c.to.toString(16).padStart(40, '0'), value: c.value.toString(), data: c.data, stipend: c.stipend, kind: c.kind, hasCode: diffWorld.hasCode(c.to), success: a.success, output: a.output, ...(c.gas === undefined ? {} : { gas: c.gas.toString() }) };
  });
  const stubs = stubsFor(shown).code;
  for (const a of coded) if (!stubs.has(a) && !(a >= 1n && a <= 0x0an) && a !== SELF) stubs.set(a, stubCode([]));
  // External libraries run by DELEGATECALL at their linked addresses.
  for (const [at, lib] of v.libraries) if (!stubs.has(at)) stubs.set(at, lib);
  balances.set(x.sender, entryBalance(x.sender));
  // A precompile or the contract itself cannot be replaced by a stub: such inputs say nothing about the model.
  if (ir?.calls.some((c) => c.to <= 0x0an || c.to === SELF)) {
    return { fn, ir, evm: { status: 'revert', output: '0x', logs: [], storage: new Map(), written: new Set(), calls: [] }, diffs: [], exhausted: false };
  }
  const evm = await runOnEvm(code, x.storage, { calldata: x.calldata, sender: x.sender, value: x.value, timestamp: x.timestamp, number: x.number, contractBalance: balance - x.value, stubs, balances, ...x.extra }, ir?.written ?? []);
  const exhausted = ir?.status === 'exhausted';
  const diffs = ir && !exhausted ? differences(ir, evm, x.storage) : [];
  // The IR must read gasleft() exactly as often as the compiled code does.
  if (ir && !exhausted && read !== (evm.gasReadings?.length ?? 0)) diffs.push(`gasleft() readings (IR ${read}, EVM ${evm.gasReadings?.length ?? 0})`);
  return { fn, ir, evm, diffs, exhausted, ...(ir?.outOfGas ? { outOfGas: true } : {}) };
}

/**
 * Where the interpreter and the EVM disagree: outcome, return or revert bytes, logs, and the post-value of
 * every slot either side wrote (or that the pre-state set). An exceptional halt is a disagreement unless
 * the IR predicts exactly that one (solc <0.8's INVALID).
 */
export function differences(ir: ConcreteRun, evm: EvmRun, pre: ReadonlyMap<bigint, bigint>): string[] {
  const out: string[] = [];
  // solc <0.8 executes INVALID where 0.8 panics: the IR says where (ConcreteRun.halt), and nowhere else.
  if (evm.halt !== ir.halt) out.push(evm.halt === undefined ? `IR expects an exceptional halt (${ir.halt}), the EVM did not halt` : `EVM halted (${evm.halt})`);
  if (ir.status !== evm.status) out.push('status');
  else if (ir.status === 'revert') {
    if (ir.revertData !== evm.output.toLowerCase()) out.push('revertData');
  } else if (ir.returnData !== evm.output.toLowerCase()) out.push('returnData');
  const logs = (ls: readonly { topics: readonly bigint[]; data: string }[]) => JSON.stringify(ls.map((l) => [l.topics.map(hex), l.data.toLowerCase()]));
  if (logs(ir.logs) !== logs(evm.logs)) out.push('logs');
  // The gas operand is compared where the IR has a `{gas: g}` option (else solc passes all remaining gas).
  const gasOf = (i: number, c: { gas?: bigint }): string => (ir.calls[i]?.gas === undefined ? '' : hex(c.gas ?? evm.callGas?.[i] ?? -1n));
  const calls = (cs: readonly { kind: string; to: bigint; value: bigint; stipend: boolean; data: string; logsBefore: number; gas?: bigint }[]) =>
    JSON.stringify(cs.map((c, i) => [c.kind, hex(c.to), hex(c.value), c.stipend, c.data.toLowerCase(), c.logsBefore, gasOf(i, c)]));
  if (calls(ir.calls) !== calls(evm.calls ?? [])) out.push(`calls (IR ${calls(ir.calls)}, EVM ${calls(evm.calls ?? [])})`);
  const slots = new Set([...ir.written, ...evm.written, ...pre.keys()]);
  const bad = [...slots].filter((s) => (ir.storage.get(s) ?? 0n) !== storageAfter(evm, pre, s));
  if (bad.length) out.push(`storage at ${bad.map(hex).join(', ')}`);
  return out;
}

export function describeIr(r: ConcreteRun): string {
  const head =
    r.status === 'exhausted'
      ? `reached the loop unrolling bound${r.exhaustedAt ? ` at ${r.exhaustedAt.file}:${r.exhaustedAt.line}:${r.exhaustedAt.col}` : ''}`
      : r.status === 'success'
        ? `success returning ${r.returnData === '0x' ? '(nothing)' : r.returnData}`
        : `revert ${r.revertReason ?? ''} with ${r.revertData === '0x' ? '(empty data)' : r.revertData}`;
  return [head, ...describeEffects(r.logs, [...r.written].map((s) => [s, r.storage.get(s) ?? 0n]))].join('\n');
}

export function describeEvm(r: EvmRun, pre: ReadonlyMap<bigint, bigint>): string {
  return [describeRun(r), ...describeEffects(r.logs, [...r.written].map((s) => [s, storageAfter(r, pre, s)]))].join('\n');
}

function describeEffects(logs: readonly { topics: readonly bigint[]; data: string }[], writes: [bigint, bigint][]): string[] {
  return [
    ...logs.map((l) => `    log topics [${l.topics.map(hex).join(', ')}] data ${l.data}`),
    ...writes.map(([s, v]) => `    slot ${hex(s)} := ${hex(v)}`),
  ];
}

/** Everything needed to reproduce and judge one disagreement. */
export function mismatchReport(where: string, i: number, x: DiffInput, r: SideResult): string {
  return [
    `${where}, input #${i}, dispatched to ${r.fn.signature}: ${r.diffs.join('; ')}`,
    describeInput(x),
    `  IR interpreter: ${r.ir ? indent(describeIr(r.ir)) : '(not run)'}`,
    `  EVM:            ${indent(describeEvm(r.evm, x.storage))}`,
  ].join('\n');
}

function indent(s: string): string {
  return s.replace(/\n/g, '\n  ');
}
