import type { Abi } from 'viem';
import { runOnEvm, type EvmRun } from '../replay/evm.ts';
import { decodeLog, decodeReturn, decodeRevert } from './abi.ts';
import type { SlotNamer } from './layout.ts';
import type { Hex, Part, ShadowTx, SideOutcome, SlotChange, StorageDifference, TxOutcome } from './types.ts';

/*
 * Replays transactions in order against both versions. Each version keeps its own storage and balance
 * from one transaction to the next, so a divergence carries over exactly as it would on chain; each
 * transaction is still judged only on what it does (its outcome, output, the slots it writes, its logs).
 */

export interface Version {
  /** Runtime bytecode, 0x-hex, linked against `libraries`. */
  readonly code: string;
  readonly abi: Abi;
  /** Runtime code of the external libraries the code calls, by the address it was linked to. */
  readonly libraries?: ReadonlyMap<bigint, string>;
}

interface SideState {
  storage: Map<bigint, bigint>;
  /** The contract's balance: the starting balance plus the value of every successful call (ether sent out is not tracked). */
  balance: bigint;
}

const cmp = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);

export async function replayTransactions(
  txs: readonly ShadowTx[],
  versions: { readonly old: Version; readonly new: Version },
  initial: { readonly storage: ReadonlyMap<bigint, bigint>; readonly balance: bigint },
  namer: SlotNamer,
): Promise<TxOutcome[]> {
  const oldState: SideState = { storage: new Map(initial.storage), balance: initial.balance };
  const newState: SideState = { storage: new Map(initial.storage), balance: initial.balance };
  const outcomes: TxOutcome[] = [];
  for (const tx of txs) {
    const stateDifferedBefore = !sameStorage(oldState.storage, newState.storage);
    const o = await step(versions.old, oldState, tx);
    const n = await step(versions.new, newState, tx);
    const { differs, storageDiff } = compare(o, n, oldState.storage, newState.storage, namer);
    outcomes.push({
      tx,
      old: shown(o, versions.old.abi, tx, namer),
      new: shown(n, versions.new.abi, tx, namer),
      differs,
      storageDiff,
      stateDifferedBefore,
    });
  }
  return outcomes;
}

/** Runs `tx` on one side and moves that side's state on. Returns the run and the pre-state it ran from. */
async function step(version: Version, state: SideState, tx: ShadowTx): Promise<{ run: EvmRun; pre: ReadonlyMap<bigint, bigint> }> {
  const pre = state.storage;
  const run = await runOnEvm(version.code, pre, {
    // External libraries are deployed where the code was linked to find them (they run by DELEGATECALL).
    ...(version.libraries?.size ? { stubs: version.libraries } : {}),
    calldata: tx.calldata,
    sender: tx.from,
    value: tx.value,
    timestamp: tx.timestamp,
    number: tx.number,
    contractBalance: state.balance,
  });
  if (run.status === 'success') {
    const post = new Map(pre);
    for (const [slot, v] of run.storage) {
      if (v === 0n) post.delete(slot);
      else post.set(slot, v);
    }
    state.storage = post;
    state.balance += tx.value;
  }
  return { run, pre };
}

const valueAt = (m: ReadonlyMap<bigint, bigint>, slot: bigint): bigint => m.get(slot) ?? 0n;

function sameStorage(a: ReadonlyMap<bigint, bigint>, b: ReadonlyMap<bigint, bigint>): boolean {
  for (const [slot, v] of a) if (valueAt(b, slot) !== v) return false;
  for (const [slot, v] of b) if (valueAt(a, slot) !== v) return false;
  return true;
}

type Step = { run: EvmRun; pre: ReadonlyMap<bigint, bigint> };

/** What differs between the two sides' handling of one transaction, given each side's post-state. */
function compare(o: Step, n: Step, oldPost: ReadonlyMap<bigint, bigint>, newPost: ReadonlyMap<bigint, bigint>, namer: SlotNamer): { differs: Part[]; storageDiff: StorageDifference[] } {
  if (o.run.status !== n.run.status) return { differs: ['success'], storageDiff: [] };
  if (o.run.status === 'revert') return { differs: o.run.output === n.run.output ? [] : ['revertData'], storageDiff: [] };
  const differs: Part[] = [];
  if (o.run.output !== n.run.output) differs.push('returnData');
  // The slots this transaction wrote on either side: their post-values must agree.
  const written = [...new Set([...o.run.written, ...n.run.written])].sort(cmp);
  const storageDiff = written
    .filter((slot) => valueAt(oldPost, slot) !== valueAt(newPost, slot))
    .map((slot) => {
      const name = namer.name(slot);
      return { slot, ...(name === undefined ? {} : { name }), old: valueAt(oldPost, slot), new: valueAt(newPost, slot) };
    });
  if (storageDiff.length > 0) differs.push('storage');
  const ol = o.run.logs;
  const nl = n.run.logs;
  const sameLogs = ol.length === nl.length && ol.every((l, i) => l.data === nl[i]!.data && l.topics.length === nl[i]!.topics.length && l.topics.every((t, j) => t === nl[i]!.topics[j]));
  if (!sameLogs) differs.push('logs');
  return { differs, storageDiff };
}

function shown({ run, pre }: Step, abi: Abi, tx: ShadowTx, namer: SlotNamer): SideOutcome {
  const output = run.output as Hex;
  const changes: SlotChange[] = [];
  if (run.status === 'success') {
    for (const slot of [...run.storage.keys()].sort(cmp)) {
      const before = valueAt(pre, slot);
      const after = run.storage.get(slot) ?? 0n;
      if (before === after) continue;
      const name = namer.name(slot);
      changes.push({ slot, ...(name === undefined ? {} : { name }), before, after });
    }
  }
  const returned = run.status === 'success' ? decodeReturn(abi, tx.signature, output) : undefined;
  const revert = run.status === 'revert' && run.halt === undefined ? decodeRevert(abi, output) : undefined;
  return {
    status: run.status,
    ...(run.halt === undefined ? {} : { halt: run.halt }),
    output,
    ...(returned === undefined ? {} : { returned }),
    ...(revert === undefined ? {} : { revert }),
    logs: run.logs.map((l) => decodeLog(abi, l.topics, l.data as Hex)),
    changes,
  };
}
