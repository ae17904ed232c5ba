import { shapeTag } from './names.ts';
import type { Region } from '../ir/summary.ts';
import { typeBits, type ValueType } from '../ir/types.ts';
import { bv, type Sort, type Term, type TermFactory } from './term.ts';
import { areaStore, writeStore, type Store } from './storage.ts';

/**
 * Shared uninterpreted summaries of internal calls and loops identical in both versions. A summarised region's
 * outputs (whether it reverts, its revert data, its results, its storage writes and the log after it)
 * are uninterpreted functions, named by the call's structural hash, of its inputs and of a term standing for the storage it can read. Sound because calls with the
 * same hash compute the same outputs from the same inputs and storage; the environment (sender, value,
 * block values, immutables) is the same everywhere in one query, so it need not be an argument. Every
 * summary function returns a 256-bit word; outputs of other sorts are read off its low bits.
 */
export interface CallSummary {
  readonly reverted: Term;
  readonly revertData: Term;
  readonly results: readonly Term[];
  /** The store after the call: `store` plus one guarded write per sstore site, in execution order. */
  readonly store: Store;
  /** The log after the call. */
  readonly log: Term;
}

export function summariseRegion(F: TermFactory, region: Region, inputs: readonly Term[], store: Store, log: Term, resultTypes: readonly ValueType[]): CallSummary {
  const args = region.reads.length > 0 ? [...inputs, storeCode(F, store, new Set(region.reads))] : [...inputs];
  const name = (part: string) => `sum.${region.hash.slice(0, 16)}.${args.map((a) => sortKey(a.sort)).join('_')}.${part}`;
  const word = (part: string) => F.uf(name(part), bv(256), args);
  const reverted = region.canRevert ? F.eq(F.extract(0, 0, word('rev')), F.bv(1, 1n)) : F.FALSE;
  const results = resultTypes.map((t, i) => {
    const w = word(`r${i}`);
    if (t.kind === 'bool') return F.eq(F.extract(0, 0, w), F.bv(1, 1n));
    const bits = typeBits(t);
    return bits === 256 ? w : F.extract(bits - 1, 0, w);
  });
  let after = store;
  if (region.areas !== null) {
    // With a loop inside, each storage area written holds, at every slot, a function of that slot, the
    // inputs and the storage before (which includes the area's old words: a slot left alone keeps its own).
    for (const a of region.areas) after = areaStore(F, after, a.root, a.shape, { name: name(`a.${a.root.toString(16)}.${shapeTag(a.shape)}`), args });
  } else {
    // Without: each sstore site runs at most once (the code is acyclic); whether it runs, its slot and the
    // whole word it leaves are functions of the inputs and the storage before the call.
    region.writes.forEach((w, i) => {
      const key = { root: w.root, shape: 'k'.repeat(w.depth), keys: Array.from({ length: w.depth }, (_, j) => word(`w${i}.k${j}`)) };
      after = writeStore(after, key, word(`w${i}.v`), F.eq(F.extract(0, 0, word(`w${i}.g`)), F.bv(1, 1n)));
    });
  }
  const logAfter = region.emits ? F.uf(name('log'), bv(256), [log, ...args]) : log;
  return { reverted, revertData: word('rd'), results, store: after, log: logAfter };
}

/**
 * A term that identifies the storage a call can read: the writes to the roots it reads, oldest first,
 * folded through uninterpreted functions (the pre-state itself is the constant 0). Equal terms mean equal
 * write sequences and hence equal storage at those roots; two stores that are equal only semantically may
 * get different terms, which loses precision but never soundness (an interpretation that gives every
 * distinct write sequence its own code always exists).
 */
export function storeCode(F: TermFactory, store: Store, roots: ReadonlySet<bigint>): Term {
  const writes: NonNullable<Store>[] = [];
  // A re-entrant caller may have changed every slot at a havoc entry: it is part of every code.
  for (let s = store; s !== null; s = s.prev) if (s.havoc !== undefined || roots.has(s.key.root)) writes.push(s);
  let code = F.bv(256, 0n);
  for (let i = writes.length - 1; i >= 0; i--) {
    const w = writes[i]!;
    const guard = w.guard === null ? F.TRUE : w.guard;
    if (w.havoc !== undefined) {
      code = F.uf('sum.store.havoc', bv(256), [code, w.havoc, w.value, guard]);
      continue;
    }
    if (w.area !== undefined) {
      code = F.uf(`${w.area.name}.code`, bv(256), [code, ...w.area.args, guard]);
      continue;
    }
    if (w.copy !== undefined) {
      // A copy: identified by its target, word count and source (calldata position, or the source array's slot and its writes before).
      const c = w.copy;
      const src = c.from.kind === 'calldata' ? [c.from.start] : [F.bv(256, c.from.slot.root), ...c.from.slot.keys, storeCode(F, c.from.before, new Set([c.from.slot.root]))];
      code = F.uf(`sum.store.copy.${c.from.kind === 'calldata' ? 'cd' : `s${shapeTag(c.from.slot.shape)}`}.${w.key.root.toString(16)}.${shapeTag(w.key.shape + 'd')}`, bv(256), [code, ...w.key.keys, c.count, ...src, guard]);
      continue;
    }
    if (w.clear !== undefined) {
      // An array clear: identified by the array's slot and how many data words it zeroes.
      code = F.uf(`sum.store.clear.${w.key.root.toString(16)}.${shapeTag(w.key.shape + 'd')}`, bv(256), [code, ...w.key.keys, w.clear, guard]);
      continue;
    }
    if (w.bytes !== undefined) {
      // A byte-string write's data words: identified by its length, data token and the slot word it replaced.
      code = F.uf(`sum.store.bytes.${w.key.root.toString(16)}.${shapeTag(w.key.shape + 'd')}`, bv(256), [code, ...w.key.keys, w.bytes.len, w.bytes.token, w.bytes.old, guard]);
      continue;
    }
    code = F.uf(`sum.store.${w.key.root.toString(16)}.${shapeTag(w.key.shape)}`, bv(256), [code, ...w.key.keys, w.value, guard]);
  }
  return code;
}

function sortKey(s: Sort): string {
  return s.k === 'bool' ? 'b' : String(s.w);
}
