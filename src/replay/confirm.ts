import { assertNever } from '../util/assert.ts';
import type { ShownCall, Counterexample, Execution, ReplayedRun, Replay, Verdict } from '../verdicts/types.ts';
import { codeForCounterexample, type ImmutableSlots } from './immutables.ts';
import { stubsFor } from './stubs.ts';
import { describeRun, evmDifference, runOnEvm, storageAfter, type EvmRun } from './evm.ts';
import { mappedEvmDifference } from './mapped.ts';

/**
 * Confirms a counterexample on the EVM: both versions' exact runtime code, the counterexample's
 * pre-state at its real slots, its environment and its exact calldata. The result says whether the EVM
 * shows a difference (`confirmed`) and whether each side ran as the model predicted; any disagreement is
 * a patchproof bug and is spelled out in `notes`.
 */

const hex = (x: bigint): string => '0x' + x.toString(16);
const toBig = (h: string): bigint => BigInt(h === '0x' || h === '' ? '0x0' : h);

export function preStateOf(cex: Counterexample): Map<bigint, bigint> {
  const pre = new Map<bigint, bigint>();
  for (const s of cex.preState) pre.set(toBig(s.slot), toBig(s.value));
  return pre;
}

/** The environment values beyond sender/value/timestamp/number that a counterexample sets (only those it reads). */
export function envExtras(env: Readonly<Record<string, string>>): { origin?: bigint; chainid?: bigint; coinbase?: bigint; basefee?: bigint; prevrandao?: bigint; gaslimit?: bigint } {
  const out: { origin?: bigint; chainid?: bigint; coinbase?: bigint; basefee?: bigint; prevrandao?: bigint; gaslimit?: bigint } = {};
  const get = (k: string) => (env[k] === undefined ? undefined : BigInt(env[k]!));
  const pairs = [['origin', 'tx.origin'], ['chainid', 'block.chainid'], ['coinbase', 'block.coinbase'], ['basefee', 'block.basefee'], ['prevrandao', 'block.prevrandao'], ['gaslimit', 'block.gaslimit']] as const;
  for (const [field, name] of pairs) {
    const v = get(name);
    if (v !== undefined) out[field] = v;
  }
  return out;
}

/** Runtime code of the external libraries each version is linked against, by address. */
export interface Libraries {
  readonly old: ReadonlyMap<bigint, string>;
  readonly new: ReadonlyMap<bigint, string>;
}

/** A side's libraries as a code map (empty when it links none). */
export function libraryCode(side: { readonly libraries?: readonly { readonly address: string; readonly runtimeBytecode: string }[] }): Map<bigint, string> {
  return new Map((side.libraries ?? []).map((l) => [BigInt(l.address), l.runtimeBytecode]));
}

export async function replayCounterexample(oldCode: string, newCode: string, cex: Counterexample, libraries?: Libraries): Promise<Replay> {
  const notes: string[] = [];
  const pre = preStateOf(cex);
  // Through a state mapping the new version starts from the mapped image of the old version's storage.
  const newPre = new Map(pre);
  for (const s of cex.stateMapping?.newPreState ?? []) newPre.set(toBig(s.slot), toBig(s.value));
  const watch = new Set<bigint>();
  for (const e of [cex.old, cex.new]) for (const w of e.storageWrites) watch.add(toBig(w.slot));
  const env = cex.env;
  const call = {
    calldata: cex.calldata,
    sender: BigInt(env['msg.sender'] ?? '0'),
    value: BigInt(env['msg.value'] ?? '0'),
    timestamp: BigInt(env['block.timestamp'] ?? '0'),
    number: BigInt(env['block.number'] ?? '0'),
    ...envExtras(env),
    ...(env['address(this)'] === undefined ? {} : { self: BigInt(env['address(this)']) }),
    ...(env['balance(this)'] === undefined ? {} : { contractBalance: BigInt(env['balance(this)']) - BigInt(env['msg.value'] ?? '0') }),
    ...(cex.balances === undefined ? {} : { balances: new Map(cex.balances.map((b) => [BigInt(b.address), BigInt(b.balance)])) }),
    ...(cex.blockhashes === undefined ? {} : { blockhashes: new Map(cex.blockhashes.map((b) => [BigInt(b.number), BigInt(b.hash)])) }),
  };
  // Libraries are deployed like stub callees: code at an address (they run by DELEGATECALL, in the contract's context).
  const stubs = (calls: readonly ShownCall[], libs: ReadonlyMap<bigint, string> = new Map()) => {
    const s = stubsFor(calls);
    notes.push(...s.notes);
    for (const [at, code] of libs) {
      if (s.code.has(at)) notes.push(`the model calls library address 0x${at.toString(16)} as an external callee`);
      else s.code.set(at, code);
    }
    return s.code;
  };
  const size = (cex.calldata.length - 2) / 2;
  const modelSize = env['calldatasize'];
  if (modelSize !== undefined && BigInt(modelSize) !== BigInt(size)) notes.push(`the calldata is ${size} bytes but the model's calldatasize is ${modelSize}`);
  const o = await runOnEvm(oldCode, pre, { ...call, stubs: stubs(cex.calls?.old ?? [], libraries?.old) }, watch);
  const n = await runOnEvm(newCode, newPre, { ...call, stubs: stubs(cex.calls?.new ?? [], libraries?.new) }, watch);
  const differs = [...(cex.stateMapping === undefined ? evmDifference(o, n, pre) : mappedEvmDifference(o, n, pre, newPre, cex.stateMapping)), ...gasLimitDifference(cex, o, n)];
  const confirmed = differs.length > 0;
  if (!confirmed) notes.push('the two EVM runs are indistinguishable: the EVM does not reproduce the difference');
  const oldMatches = compareWithModel('old', cex.old, o, pre, notes) && sameCalls('old', cex.calls?.old ?? [], o, notes);
  const newMatches = compareWithModel('new', cex.new, n, newPre, notes) && sameCalls('new', cex.calls?.new ?? [], n, notes);
  return { confirmed, differs, matchesModel: { old: oldMatches, new: newMatches }, old: shown(o, pre), new: shown(n, newPre), notes };
}

/**
 * 'calls' when the runs pass a different gas operand to a call that has an explicit `{gas: g}` in either
 * version (evmDifference leaves gas out: without the option solc passes all remaining gas).
 */
function gasLimitDifference(cex: Counterexample, o: EvmRun, n: EvmRun): string[] {
  const mo = (cex.calls?.old ?? []).filter((c) => c.made);
  const mn = (cex.calls?.new ?? []).filter((c) => c.made);
  const count = Math.min(o.callGas?.length ?? 0, n.callGas?.length ?? 0);
  for (let i = 0; i < count; i++) {
    if ((mo[i]?.gas !== undefined || mn[i]?.gas !== undefined) && o.callGas![i] !== n.callGas![i]) return ['calls'];
  }
  return [];
}

/** The external calls the EVM run made against the model's (target, value, calldata, stipend, kind). */
function sameCalls(label: string, model: readonly ShownCall[], r: EvmRun, notes: string[]): boolean {
  const key = (c: { kind: string; to: bigint; value: bigint; stipend: boolean; data: string }, gas?: string) =>
    `${c.kind}${c.stipend ? '/stipend' : ''} ${hex(c.to)} value ${c.value}${gas === undefined ? '' : ` gas ${gas}`} data ${c.data.toLowerCase()}`;
  const made = model.filter((c) => c.made);
  const want = made.map((c) => key({ ...c, to: BigInt(c.to), value: BigInt(c.value) }, c.gas));
  // The gas operand counts only where the model has a `{gas: g}` option (else it is all remaining gas).
  const got = (r.calls ?? []).map((c, i) => key(c, made[i]?.gas === undefined ? undefined : String(r.callGas?.[i])));
  if (want.join('|') === got.join('|')) return true;
  notes.push(`${label}: the model predicts calls [${want.join('; ')}], the EVM made [${got.join('; ')}]`);
  return false;
}

function shown(r: EvmRun, pre: ReadonlyMap<bigint, bigint>): ReplayedRun {
  const changed = [...r.storage]
    .filter(([slot, v]) => v !== (pre.get(slot) ?? 0n))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([slot, v]) => ({ slot: hex(slot), value: hex(v) }));
  return {
    status: r.status,
    ...(r.halt === undefined ? {} : { halt: r.halt }),
    summary: describeRun(r),
    output: r.output,
    storageChanges: changed,
    logs: r.logs.map((l) => ({ topics: l.topics.map(hex), data: l.data })),
  };
}

/** The model's return values ABI-encoded; undefined when a value cannot be re-encoded. */
function encodeReturns(e: Execution): string | undefined {
  let out = '0x';
  // Byte strings go to the tail, their head word is the offset (see byteArrayTail).
  let tail = '';
  const heads = 32 * e.returnValues.length;
  for (const v of e.returnValues) {
    let w: bigint;
    try {
      if (v.type === 'string' || v.type === 'bytes') {
        w = BigInt(heads + tail.length / 2);
        tail += byteArrayTail(v.value);
        out += w.toString(16).padStart(64, '0');
        continue;
      }
      const arr = v.type.match(/^(\w+)\[\]$/);
      if (arr) {
        // A dynamic array of value types (shown `[e0, e1]`): offset in the head, length and elements in the tail.
        const elems = v.value === '[]' ? [] : v.value.slice(1, -1).split(', ').map((x) => wordOf(arr[1]!, x));
        if (elems.some((x) => x === undefined)) return undefined;
        w = BigInt(heads + tail.length / 2);
        tail += [BigInt(elems.length), ...elems].map((x) => x!.toString(16).padStart(64, '0')).join('');
        out += w.toString(16).padStart(64, '0');
        continue;
      }
      const one = wordOf(v.type, v.value);
      if (one === undefined) return undefined;
      w = one;
    } catch {
      return undefined;
    }
    out += w.toString(16).padStart(64, '0');
  }
  return out + tail;
}

/** The ABI word of a shown value of a value type; undefined for other types. */
function wordOf(type: string, value: string): bigint | undefined {
  if (/^uint\d+$/.test(type)) return BigInt(value);
  if (/^int\d+$/.test(type)) return BigInt.asUintN(256, BigInt(value));
  if (type === 'bool') return value === 'true' ? 1n : 0n;
  if (type === 'address') return BigInt(value);
  if (/^bytes\d+$/.test(type)) return BigInt(value) << BigInt(256 - 8 * Number(type.slice(5)));
  return undefined;
}

/** ABI tail of a shown `string`/`bytes` value (a JSON string or 0x-hex): length word, zero-padded data. */
function byteArrayTail(shown: string): string {
  const bytes = shown.startsWith('"') ? new TextEncoder().encode(JSON.parse(shown) as string) : Uint8Array.from((shown.slice(2).match(/../g) ?? []).map((h) => parseInt(h, 16)));
  const hexData = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return bytes.length.toString(16).padStart(64, '0') + hexData.padEnd(Math.ceil(bytes.length / 32) * 64, '0');
}

/** Compares one side's EVM run with the model's prediction; pushes a note per disagreement. */
function compareWithModel(label: string, m: Execution, r: EvmRun, pre: ReadonlyMap<bigint, bigint>, notes: string[]): boolean {
  const before = notes.length;
  if (m.status !== r.status) {
    notes.push(`${label}: the model predicts ${m.status}${m.revert ? ` (${m.revert.description})` : ''}, the EVM gives ${describeRun(r)}`);
    return false;
  }
  if (r.status === 'revert') {
    if (m.revert !== undefined && m.revert.data.toLowerCase() !== r.output.toLowerCase())
      notes.push(`${label}: the model predicts revert data ${m.revert.data} (${m.revert.description}), the EVM gives ${describeRun(r)}`);
    return notes.length === before;
  }
  const ret = encodeReturns(m);
  if (ret === undefined) notes.push(`${label}: the model's return values cannot be re-encoded, so return data was not compared`);
  else if (ret !== r.output.toLowerCase()) notes.push(`${label}: the model predicts return data ${ret}, the EVM returns ${r.output}`);
  const writes = new Map<bigint, bigint>();
  for (const w of m.storageWrites) writes.set(toBig(w.slot), toBig(w.value));
  for (const slot of new Set([...writes.keys(), ...r.storage.keys()])) {
    const want = writes.get(slot) ?? pre.get(slot) ?? 0n;
    const got = storageAfter(r, pre, slot);
    if (want !== got) notes.push(`${label}: at slot ${hex(slot)} the model ${writes.has(slot) ? 'writes' : 'leaves'} ${hex(want)}, the EVM leaves ${hex(got)}`);
  }
  const modelLogs = m.events.map((e) => ({ topics: e.topics.map((t) => toBig(t)), data: '0x' + e.data.map((d) => toBig(d).toString(16).padStart(64, '0')).join('') }));
  const show = (ls: readonly { topics: readonly bigint[]; data: string }[]) =>
    ls.length === 0 ? '(none)' : ls.map((l) => `[topics ${l.topics.map(hex).join(' ')}; data ${l.data}]`).join(', ');
  const same =
    modelLogs.length === r.logs.length &&
    modelLogs.every((l, i) => l.data === r.logs[i]!.data.toLowerCase() && l.topics.length === r.logs[i]!.topics.length && l.topics.every((t, j) => t === r.logs[i]!.topics[j]));
  if (!same) notes.push(`${label}: the model predicts events ${show(modelLogs)}, the EVM logs ${show(r.logs)}`);
  return notes.slice(before).every((x) => x.includes('cannot be re-encoded'));
}

/**
 * Replays a counterexample on both compiled versions. A difference the EVM does not show is a model bug:
 * the verdict becomes `unknown (spurious counterexample)`, with both executions kept for the report.
 */
/**
 * What the EVM must show for a counterexample to be confirmed: a `difference` between the versions
 * (equivalence); the new version succeeding where the old one reverts or with a different outcome
 * (`refines`); the new version succeeding (`new-succeeds`: an exploit condition it should block); the
 * new version failing an assert (`new-panics-01`: revert data Panic(0x01)).
 */
export type Expectation = 'difference' | 'refines' | 'new-succeeds' | 'new-panics-01';

const PANIC_01_DATA = '0x4e487b710000000000000000000000000000000000000000000000000000000000000001';

function shows(expect: Expectation, r: Replay): boolean {
  switch (expect) {
    case 'difference':
      return r.confirmed;
    case 'refines':
      return r.new.status === 'success' && r.new.halt === undefined && (r.old.status === 'revert' || r.differs.length > 0);
    case 'new-succeeds':
      return r.new.status === 'success' && r.new.halt === undefined;
    case 'new-panics-01':
      return r.new.status === 'revert' && r.new.output.toLowerCase() === PANIC_01_DATA;
    default:
      return assertNever(expect, 'expectation');
  }
}

export async function confirmOnEvm(v: Extract<Verdict, { kind: 'different' }>, oldCode: string, newCode: string, expect: Expectation = 'difference', libraries?: Libraries, immutables?: { readonly old?: ImmutableSlots; readonly new?: ImmutableSlots }): Promise<Verdict> {
  const cex = v.counterexample!;
  let replay: Replay;
  try {
    // The model's immutable values go where solc left room for them in the runtime code.
    const replayed = await replayCounterexample(codeForCounterexample(oldCode, immutables?.old, cex), codeForCounterexample(newCode, immutables?.new, cex), cex, libraries);
    // Only equivalence needs the runs to differ (a violated exploit condition may leave them alike).
    const raw = expect === 'difference' ? replayed : { ...replayed, notes: replayed.notes.filter((n) => !n.startsWith('the two EVM runs are indistinguishable')) };
    const ok = shows(expect, raw);
    replay = expect === 'difference' || ok === raw.confirmed ? { ...raw, confirmed: ok } : { ...raw, confirmed: ok, notes: [...raw.notes, ok ? `the EVM shows what the ${expect} counterexample claims` : `the EVM does not show what the ${expect} counterexample claims`] };
  } catch (e) {
    return { kind: 'unknown', reason: `spurious counterexample: the EVM replay failed (${e instanceof Error ? e.message : String(e)}); please report`, counterexample: cex };
  }
  const withReplay = { ...cex, replay };
  if (cex.reentrancy !== undefined) {
    // Stub callees do not re-enter, so the replay shows both plain runs but cannot show this difference:
    // the verdict stays `different` (the model proves it) and the replay is never called a confirmation.
    const note = `not confirmable by replay: the difference needs a re-entrant callee (${cex.reentrancy.explanation}); the runs shown use callees that do not re-enter`;
    return { ...v, counterexample: { ...withReplay, replay: { ...replay, confirmed: false, notes: [...replay.notes, note] } } };
  }
  if (!replay.confirmed) {
    return { kind: 'unknown', reason: `spurious counterexample: the EVM does not reproduce ${expect === 'difference' ? 'the difference' : 'it'} (${replay.notes.join('; ')}); this is a patchproof bug, please report`, counterexample: withReplay };
  }
  return { ...v, counterexample: withReplay };
}
