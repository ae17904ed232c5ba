import { interpret, dispatch, type ConcreteRun } from '../../src/ir/interp.ts';
import type { IrFunction } from '../../src/ir/types.ts';
import { describeRun, runOnEvm, storageAfter, type EvmRun } from '../../src/replay/evm.ts';
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
}

const hex = (x: bigint): string => '0x' + x.toString(16);

export async function runBoth(v: Version, x: DiffInput): Promise<SideResult> {
  const fn = dispatch(v.ir, x.calldata);
  const ir = fn.body.ok
    ? interpret(fn, { calldata: x.calldata, sender: x.sender, value: x.value, timestamp: x.timestamp, number: x.number, storage: x.storage, immutables: x.immutables, ...x.extra })
    : null;
  const code = v.immutables.size ? codeWithImmutables(v, x.immutables) : v.code;
  const evm = await runOnEvm(code, x.storage, { calldata: x.calldata, sender: x.sender, value: x.value, timestamp: x.timestamp, number: x.number, ...x.extra }, ir?.written ?? []);
  const exhausted = ir?.status === 'exhausted';
  return { fn, ir, evm, diffs: ir && !exhausted ? differences(ir, evm, x.storage) : [], exhausted };
}

/**
 * Where the interpreter and the EVM disagree: outcome, return or revert bytes, logs, and the post-value of
 * every slot either side wrote (or that the pre-state set). An exceptional halt is always a disagreement:
 * the IR has no way to express one.
 */
export function differences(ir: ConcreteRun, evm: EvmRun, pre: ReadonlyMap<bigint, bigint>): string[] {
  const out: string[] = [];
  if (evm.halt !== undefined) out.push(`EVM halted (${evm.halt})`);
  if (ir.status !== evm.status) out.push('status');
  else if (ir.status === 'revert') {
    if (ir.revertData !== evm.output.toLowerCase()) out.push('revertData');
  } else if (ir.returnData !== evm.output.toLowerCase()) out.push('returnData');
  const logs = (ls: readonly { topics: readonly bigint[]; data: string }[]) => JSON.stringify(ls.map((l) => [l.topics.map(hex), l.data.toLowerCase()]));
  if (logs(ir.logs) !== logs(evm.logs)) out.push('logs');
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
