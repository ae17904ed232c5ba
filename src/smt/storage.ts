import { invariant } from '../util/assert.ts';
import { bv, type Term, type TermFactory } from './term.ts';
import { NAMES, shapeTag } from './names.ts';
import { calldataWord, cleanWordTerm } from './bytes.ts';

/**
 * Storage as the EVM sees it: 32-byte words at slots. A slot is a constant root (from solc's layout,
 * with struct member and constant index offsets already added) followed by hashing steps: a mapping
 * entry `keccak256(key . slot)` ('k'), a mapping entry plus an offset `keccak256(key . slot) + off`
 * ('m': the value is a struct or fixed-size array), or an array element `keccak256(slot) + off` ('d').
 * Whether a step has an offset is fixed by the type stored there (lowering always emits the offset step
 * for struct, fixed-size array and array-data values, also when it is 0), so within one version every
 * slot has exactly one canonical key: `shape` (the step letters) and `keys` (per step: the key word for
 * 'k'/'m', then the offset for 'm'/'d').
 *
 * The assumption, the one solc's storage layout rests on: keccak256 is injective and its outputs, plus
 * any offset a program adds, never land on a statically allocated slot or inside another hashed area.
 * Offsets inside a struct or fixed-size array are bounded by its size; a dynamic array's index is bounded
 * only by its length, which the arbitrary pre-state may make huge (up to 2^256 - 1): the assumption then
 * excludes, as solc's layout does, an element that wraps onto another variable. So two keys denote the
 * same slot exactly when root, shape and every key and offset word are equal, and the pre-state is one
 * uninterpreted function per (root, shape).
 */
export interface Key {
  readonly root: bigint;
  /** One letter per hashing step: 'k' mapping key (one term), 'm' mapping key and offset (two), 'd' array data offset (one). */
  readonly shape: string;
  readonly keys: readonly Term[];
}

/**
 * Guarded writes, newest first. A write applies only where its guard holds (paths merged at joins). An
 * `area` entry (a summarised loop) rewrites every slot of its key's root and shape at once: the word at
 * key words ks is `area.name(ks..., area.args...)`; its own key words are placeholders. An entry with
 * `havoc` stands for a re-entrant caller's writes (every slot); one with `bytes` for the data words a
 * byte-string write leaves below its slot word `key` (the slot word itself is a plain entry).
 */
export type Store = {
  readonly prev: Store;
  readonly key: Key;
  readonly value: Term;
  readonly guard: Term | null;
  readonly depth: number;
  readonly havoc?: Term;
  readonly area?: AreaWrite;
  readonly bytes?: BytesWrite;
  /**
   * `delete` of a dynamic storage array whose length slot is `key` (`sclear`): its data words
   * keccak256(slot) + j for j < `clear` are zero (the entry's value is unused).
   */
  readonly clear?: Term;
  /** A copy into the data words of the dynamic storage array whose length slot is `key` (`scopy`). */
  readonly copy?: CopyWrite;
} | null;

/**
 * Words [0, count) of an array's data copied from a source (one word per element): the calldata words
 * from `start` on, or the data words below the array slot `slot` as the store `before` has them.
 */
export interface CopyWrite {
  readonly count: Term;
  readonly from: { readonly kind: 'calldata'; readonly start: Term } | { readonly kind: 'storage'; readonly slot: Key; readonly before: Store };
}

export interface AreaWrite {
  readonly name: string;
  readonly args: readonly Term[];
}

/**
 * A byte string written to a `string`/`bytes` in storage (the `bstore` instruction): its length, its data
 * as a token (what reads of the whole string see) and as words (`word(i)`: word i as the source has it,
 * before the last word is cut at the length), and the slot word it replaced (whose long-form data words
 * past the new ones are cleared).
 */
export interface BytesWrite {
  readonly len: Term;
  readonly token: Term;
  readonly word: (i: Term) => Term;
  readonly old: Term;
}

export function writeStore(store: Store, key: Key, value: Term, guard?: Term, havoc?: Term, bytes?: BytesWrite): Store {
  return { prev: store, key, value, guard: guard ?? null, depth: (store?.depth ?? 0) + 1, ...(havoc === undefined ? {} : { havoc }), ...(bytes === undefined ? {} : { bytes }) };
}

const ONES = (1n << 256n) - 1n;

/** Word j of a copy's source. */
export function copiedWord(F: TermFactory, c: CopyWrite, j: Term): Term {
  if (c.from.kind === 'calldata') return calldataWord(F, F.op('bvadd', c.from.start, F.op('bvshl', j, F.bv(256, 5n))));
  const s = c.from.slot;
  return readStore(F, c.from.before, { root: s.root, shape: s.shape + 'd', keys: [...s.keys, j] });
}

/** The data words [0, c.count) below the array slot `key` now hold the copy's words (see `Store`). */
export function copyStore(F: TermFactory, store: Store, key: Key, c: CopyWrite): Store {
  return { prev: store, key, value: F.bv(256, 0n), guard: null, depth: (store?.depth ?? 0) + 1, copy: c };
}

/** The data words [0, count) below the array slot `key` are now zero (see `Store`). */
export function clearStore(F: TermFactory, store: Store, key: Key, count: Term): Store {
  return { prev: store, key, value: F.bv(256, 0n), guard: null, depth: (store?.depth ?? 0) + 1, clear: count };
}


const words = (F: TermFactory, len: Term): Term => F.op('bvlshr', F.op('bvadd', len, F.bv(256, 31n)), F.bv(256, 5n));

/** The slot word a byte-string write leaves: short form (bytes, then len*2) or len*2+1. */
export function bytesSlotWord(F: TermFactory, b: BytesWrite): Term {
  const short = F.op('bvor', F.op('bvand', b.word(F.bv(256, 0n)), F.op('bvnot', F.op('bvlshr', F.bv(256, ONES), F.op('bvshl', b.len, F.bv(256, 3n))))), F.op('bvshl', b.len, F.bv(256, 1n)));
  return F.ite(F.op('bvult', b.len, F.bv(256, 32n)), short, F.op('bvadd', F.op('bvshl', b.len, F.bv(256, 1n)), F.bv(256, 1n)));
}

/** What a byte-string write leaves at data word `i`, as cases in priority order (elsewhere: unchanged). */
function bytesCases(F: TermFactory, b: BytesWrite, i: Term): { cond: Term; value: Term }[] {
  const long = F.op('bvule', F.bv(256, 32n), b.len);
  const oldLong = F.eq(F.extract(0, 0, b.old), F.bv(1, 1n));
  return [
    { cond: F.and(long, F.op('bvult', i, words(F, b.len))), value: cleanWordTerm(F, b.word(i), b.len, i) },
    { cond: F.and(oldLong, F.op('bvult', i, words(F, F.op('bvlshr', b.old, F.bv(256, 1n))))), value: F.bv(256, 0n) },
  ];
}

/** Whether `key` is a data word below the byte-string slot `slot` (the condition on their key words), or null. */
function dataWordOf(F: TermFactory, slot: Key, key: Key): Term | null {
  if (key.root !== slot.root || key.shape !== slot.shape + 'd' || key.keys.length !== slot.keys.length + 1) return null;
  return F.and(...slot.keys.map((k, j) => F.eq(k, key.keys[j]!)));
}

/**
 * The data token of the byte string whose slot word is at `slot`, after the writes in `store`: the token
 * of the newest byte-string write there, the re-entrant caller's (`havoc`), or `pre` (the pre-state's).
 */
export function readBytesToken(F: TermFactory, store: Store, slot: Key, pre: Term, havoc: (callKey: Term) => Term): Term {
  const pending: { cond: Term; value: Term }[] = [];
  let base = pre;
  for (let s = store; s !== null; s = s.prev) {
    let cond: Term;
    let value: Term;
    if (s.havoc !== undefined) {
      cond = s.guard === null ? s.value : F.and(s.guard, s.value);
      value = havoc(s.havoc);
    } else if (s.bytes !== undefined) {
      const eq = keyEq(F, s.key, slot);
      cond = s.guard === null ? eq : F.and(s.guard, eq);
      value = s.bytes.token;
    } else continue;
    if (cond === F.TRUE) {
      base = value;
      break;
    }
    if (cond !== F.FALSE) pending.push({ cond, value });
  }
  let acc = base;
  for (let i = pending.length - 1; i >= 0; i--) acc = F.ite(pending[i]!.cond, pending[i]!.value, acc);
  return acc;
}

/**
 * An external call that may re-enter: where `reentered` holds, every slot afterwards holds a fresh word,
 * the same in both versions for the same call (`callKey`), standing for whatever a re-entrant caller wrote.
 */
export function havocStore(store: Store, callKey: Term, reentered: Term): Store {
  return writeStore(store, { root: -1n, shape: '', keys: [] }, reentered, undefined, callKey);
}

/** Every slot of the area (root, shape) now holds `name(key words..., args...)`. */
export function areaStore(F: TermFactory, store: Store, root: bigint, shape: string, area: AreaWrite): Store {
  const n = [...shape].reduce((k, c) => k + (c === 'm' ? 2 : 1), 0);
  const key = { root, shape, keys: Array.from({ length: n }, () => F.bv(256, 0n)) };
  return { prev: store, key, value: F.TRUE, guard: null, depth: (store?.depth ?? 0) + 1, area };
}

function havocWord(F: TermFactory, callKey: Term, key: Key): Term {
  const raw = F.uf(`reent.${key.root.toString(16)}.${shapeTag(key.shape)}`, bv(256), [callKey, ...key.keys]);
  // Through a state mapping the caller leaves the versions' storages related as the pre-states are.
  return views.get(F)?.(key, raw, callKey) ?? raw;
}

export function keyEq(F: TermFactory, a: Key, b: Key): Term {
  if (a.root !== b.root || a.shape !== b.shape || a.keys.length !== b.keys.length) return F.FALSE;
  return F.and(...a.keys.map((k, i) => F.eq(k, b.keys[i]!)));
}

/**
 * How one version sees the pre-state through a state mapping (src/smt/statemap.ts): the word at a key,
 * given the shared raw word, or undefined where it sees the raw word. `callKey`: the word is what a
 * re-entrant caller left after that call (the pre-state when absent).
 */
export type PreView = (key: Key, raw: Term, callKey?: Term) => Term | undefined;

// The view in force per factory while one version's terms are built (withPreView). Keyed by the factory,
// so two queries never share it; absent, every version reads the shared pre-state.
const views = new WeakMap<TermFactory, PreView>();

/** Runs `build` with `view` as the pre-state every storage read falls back to. */
export function withPreView<T>(F: TermFactory, view: PreView | undefined, build: () => T): T {
  const before = views.get(F);
  if (view === undefined) views.delete(F);
  else views.set(F, view);
  try {
    return build();
  } finally {
    if (before === undefined) views.delete(F);
    else views.set(F, before);
  }
}

/** The raw pre-state word at a key, shared by both versions. */
export function rawPreState(F: TermFactory, key: Key): Term {
  const name = NAMES.pre(key.root, key.shape);
  return key.keys.length === 0 ? F.var(name, bv(256)) : F.uf(name, bv(256), key.keys);
}

export function preState(F: TermFactory, key: Key): Term {
  const raw = rawPreState(F, key);
  return views.get(F)?.(key, raw) ?? raw;
}

/** The word at `key` after all writes in `store`; where none wrote it, `base` (default: the pre-state's word). */
export function readStore(F: TermFactory, store: Store, key: Key, base0?: Term): Term {
  const pending: { cond: Term; value: Term }[] = [];
  let s = store;
  let base: Term | null = null;
  scan: while (s !== null) {
    if (s.clear !== undefined || s.copy !== undefined) {
      const at = dataWordOf(F, s.key, key);
      if (at !== null && at !== F.FALSE) {
        const j = key.keys[key.keys.length - 1]!;
        const g = F.and(...(s.guard === null ? [] : [s.guard]), at, F.op('bvult', j, s.copy?.count ?? s.clear!));
        const value = s.copy === undefined ? F.bv(256, 0n) : copiedWord(F, s.copy, j);
        if (g === F.TRUE) {
          base = value;
          break;
        }
        if (g !== F.FALSE) pending.push({ cond: g, value });
      }
      s = s.prev;
      continue;
    }
    if (s.bytes !== undefined) {
      const at = dataWordOf(F, s.key, key);
      if (at !== null && at !== F.FALSE) {
        const g = s.guard === null ? at : F.and(s.guard, at);
        for (const c of bytesCases(F, s.bytes, key.keys[key.keys.length - 1]!)) {
          const cond = F.and(g, c.cond);
          if (cond === F.TRUE) {
            base = c.value;
            break scan;
          }
          if (cond !== F.FALSE) pending.push({ cond, value: c.value });
        }
      }
      s = s.prev;
      continue;
    }
    if (s.havoc !== undefined) {
      const cond = s.guard === null ? s.value : F.and(s.guard, s.value);
      if (cond === F.TRUE) {
        base = havocWord(F, s.havoc, key);
        break;
      }
      if (cond !== F.FALSE) pending.push({ cond, value: havocWord(F, s.havoc, key) });
      s = s.prev;
      continue;
    }
    if (s.area !== undefined) {
      if (s.key.root === key.root && s.key.shape === key.shape) {
        const value = F.uf(s.area.name, bv(256), [...key.keys, ...s.area.args]);
        if (s.guard === null) {
          base = value;
          break;
        }
        pending.push({ cond: s.guard, value });
      }
      s = s.prev;
      continue;
    }
    const eq = keyEq(F, s.key, key);
    if (eq !== F.FALSE) {
      const cond = s.guard === null ? eq : F.and(s.guard, eq);
      if (cond === F.TRUE) {
        base = s.value;
        break;
      }
      if (cond !== F.FALSE) pending.push({ cond, value: s.value });
    }
    s = s.prev;
  }
  let acc = base ?? base0 ?? preState(F, key);
  for (let i = pending.length - 1; i >= 0; i--) acc = F.ite(pending[i]!.cond, pending[i]!.value, acc);
  return acc;
}

/**
 * Merges the stores of mutually exclusive paths: the shared prefix is kept, and each path's own writes
 * are appended guarded by that path's condition.
 */
export function mergeStores(F: TermFactory, paths: readonly { guard: Term; store: Store }[]): Store {
  invariant(paths.length > 0, 'merge of no paths');
  let heads = paths.map((p) => p.store);
  const same = () => heads.every((h) => h === heads[0]);
  while (!same()) {
    const maxDepth = Math.max(...heads.map((h) => h?.depth ?? 0));
    heads = heads.map((h) => (h !== null && h.depth === maxDepth ? h.prev : h));
  }
  let merged = heads[0] ?? null;
  for (const p of paths) {
    const suffix: NonNullable<Store>[] = [];
    for (let s = p.store; s !== merged && s !== heads[0]; s = s!.prev) suffix.push(s!);
    for (let i = suffix.length - 1; i >= 0; i--) {
      const w = suffix[i]!;
      merged = { ...w, prev: merged, guard: w.guard === null ? p.guard : F.and(w.guard, p.guard), depth: (merged?.depth ?? 0) + 1 };
    }
  }
  return merged;
}

/**
 * Every key written in a store (for comparing post-states; an area entry's key words are placeholders). A
 * byte-string write or an array clear stands for its data words: their shape, with the length (the
 * cleared word count) as a placeholder for the data word index.
 */
export function writtenKeys(store: Store): Key[] {
  const out: Key[] = [];
  for (let s = store; s !== null; s = s.prev) {
    if (s.bytes !== undefined) out.push({ root: s.key.root, shape: s.key.shape + 'd', keys: [...s.key.keys, s.bytes.len] });
    else if (s.clear !== undefined) out.push({ root: s.key.root, shape: s.key.shape + 'd', keys: [...s.key.keys, s.clear] });
    else if (s.copy !== undefined) out.push({ root: s.key.root, shape: s.key.shape + 'd', keys: [...s.key.keys, s.copy.count] });
    else if (s.havoc === undefined) out.push(s.key);
  }
  return out;
}

/**
 * Every slot written in a store, concrete under `word`: a byte-string write's or an array clear's data
 * words it writes or clears (at most `limit` of them), other writes at their key.
 */
export function concreteWrittenKeys(F: TermFactory, store: Store, word: (t: Term) => bigint, limit: bigint): Key[] {
  const out: Key[] = [];
  for (let s = store; s !== null; s = s.prev) {
    if (s.havoc !== undefined) continue;
    const keys = s.key.keys.map((k) => F.bv(256, word(k)));
    if (s.clear !== undefined || s.copy !== undefined) {
      const n = word(s.copy?.count ?? s.clear!);
      for (let i = 0n; i < n && i < limit; i++) out.push({ root: s.key.root, shape: s.key.shape + 'd', keys: [...keys, F.bv(256, i)] });
      continue;
    }
    if (s.bytes === undefined) {
      out.push({ root: s.key.root, shape: s.key.shape, keys });
      continue;
    }
    const len = word(s.bytes.len);
    const old = word(s.bytes.old);
    const n = len >= 32n ? (len + 31n) / 32n : 0n;
    const m = old & 1n ? ((old >> 1n) + 31n) / 32n : 0n;
    const top = n > m ? n : m;
    for (let i = 0n; i < top && i < limit; i++) out.push({ root: s.key.root, shape: s.key.shape + 'd', keys: [...keys, F.bv(256, i)] });
  }
  return out;
}
