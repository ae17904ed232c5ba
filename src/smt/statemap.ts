import type { MappedPlace, MappedVariable, StateMap } from '../obligations/statemap.ts';
import { bv, type Term, type TermFactory } from './term.ts';
import { readStore, withPreView, type Key, type PreView, type Store } from './storage.ts';

/**
 * The relation R of a state mapping (obligations/statemap.ts) in terms. Both versions read one raw
 * pre-state; each sees, at its own mapped places, the shared mapped value `mapped.<i>(keys…)` (of the
 * narrower width, extended to its type) spliced into the raw word. Every pair of storages R relates is
 * such a pair and every such pair is related by R: the bytes a version sees outside its own mapped
 * places are raw (equal in both unless the other version's place covers them, where R leaves them
 * unrelated and they are indeed independent: the other version sees the mapped value there instead).
 */

const w256 = bv(256);

function inArea(m: MappedVariable, p: MappedPlace, key: Key): boolean {
  return key.root === p.root && key.shape === 'k'.repeat(m.depth);
}

/**
 * The mapped value of the i-th variable at the key words (shared by both versions): in the pre-state, or
 * as a re-entrant caller left it after the call `callKey`.
 */
function mappedValue(F: TermFactory, i: number, m: MappedVariable, keys: readonly Term[], callKey?: Term): Term {
  if (callKey !== undefined) {
    const v = F.uf(`mapped.${i}.reent`, w256, [callKey, ...keys]);
    return m.bits === 256 ? v : F.extract(m.bits - 1, 0, v);
  }
  const name = `mapped.${i}`;
  // Uninterpreted functions are 256-bit valued everywhere else (models are read back so): cut to width.
  return keys.length === 0 ? F.var(name, bv(m.bits)) : m.bits === 256 ? F.uf(name, w256, keys) : F.extract(m.bits - 1, 0, F.uf(name, w256, keys));
}

/** `v` (of width ≤ the place's) widened to the place's bits as the type stores them. */
function toPlace(F: TermFactory, p: MappedPlace, v: Term, bits: number): Term {
  const n = 8 * p.bytes - bits;
  return n === 0 ? v : p.signed ? F.sext(n, v) : F.zext(n, v);
}

function splice(F: TermFactory, word: Term, p: MappedPlace, bits: Term): Term {
  const lo = 8 * p.offset;
  const hi = lo + 8 * p.bytes;
  let out = bits;
  if (lo > 0) out = F.concat(out, F.extract(lo - 1, 0, word));
  if (hi < 256) out = F.concat(F.extract(255, hi, word), out);
  return out;
}

/** The place's value in a word, as a 256-bit integer (sign-extended for signed types). */
export function placeTerm(F: TermFactory, word: Term, p: MappedPlace): Term {
  const lo = 8 * p.offset;
  const v = F.extract(lo + 8 * p.bytes - 1, lo, word);
  const n = 256 - 8 * p.bytes;
  return n === 0 ? v : p.signed ? F.sext(n, v) : F.zext(n, v);
}

/** Each version's view of the pre-state through a state mapping. */
export interface Views {
  readonly map: StateMap;
  readonly old: PreView | undefined;
  readonly new: PreView | undefined;
}

/** Both versions' views (undefined without a mapping: both read the pre-state raw). */
export function viewsOf(F: TermFactory, map: StateMap | undefined): Views | undefined {
  if (map === undefined || map.length === 0) return undefined;
  return { map, old: preViewOf(F, map, 'old'), new: preViewOf(F, map, 'new') };
}

/** How one version sees the pre-state through the mapping. */
export function preViewOf(F: TermFactory, map: StateMap, side: 'old' | 'new'): PreView | undefined {
  if (map.length === 0) return undefined;
  return (key, raw, callKey) => {
    let word: Term | undefined;
    for (const [i, m] of map.entries()) {
      const p = m[side];
      if (!inArea(m, p, key)) continue;
      word = splice(F, word ?? raw, p, toPlace(F, p, mappedValue(F, i, m, key.keys, callKey), m.bits));
    }
    return word;
  };
}

/** Every mapped place (either version's) at the key: their bytes are compared only through R. */
function placesAt(map: StateMap, key: Key): MappedPlace[] {
  return map.flatMap((m) => [m.old, m.new].filter((p) => inArea(m, p, key)));
}

/** A word with the bytes of the given places cleared. */
function outside(F: TermFactory, word: Term, places: readonly MappedPlace[]): Term {
  let w = word;
  for (const p of places) w = splice(F, w, p, F.bv(8 * p.bytes, 0n));
  return w;
}

/**
 * The post-states differ under R: at a compared key, in a byte outside every mapped place; or, for a
 * mapped variable either version wrote, in its value at a fresh key tuple. `readOld`/`readNew` read each
 * version's final storage (through its own view).
 */
export function mappedStorageDiffers(F: TermFactory, map: StateMap, keys: readonly Key[], written: readonly Key[], readOld: (k: Key) => Term, readNew: (k: Key) => Term): Term[] {
  const parts: Term[] = [];
  for (const k of keys) {
    const places = placesAt(map, k);
    parts.push(F.not(F.eq(outside(F, readOld(k), places), outside(F, readNew(k), places))));
  }
  for (const [i, m] of map.entries()) {
    if (!written.some((k) => inArea(m, m.old, k) || inArea(m, m.new, k))) continue;
    const ks = Array.from({ length: m.depth }, (_, j) => F.var(`mkey.${i}.${j}`, w256));
    const o = placeTerm(F, readOld({ root: m.old.root, shape: 'k'.repeat(m.depth), keys: ks }), m.old);
    const n = placeTerm(F, readNew({ root: m.new.root, shape: 'k'.repeat(m.depth), keys: ks }), m.new);
    parts.push(F.not(F.eq(o, n)));
  }
  return parts;
}

/** Reads of a version's final store through its view. */
export function reader(F: TermFactory, view: PreView | undefined, store: Store): (k: Key) => Term {
  return (k) => withViewRead(F, view, store, k);
}

function withViewRead(F: TermFactory, view: PreView | undefined, store: Store, k: Key): Term {
  return withPreView(F, view, () => readStore(F, store, k));
}

/** The keys of every mapped variable's two places at one key tuple (for counterexamples and replays). */
export function placeKeys(m: MappedVariable, keys: readonly Term[]): { old: Key; new: Key } {
  const shape = 'k'.repeat(m.depth);
  return { old: { root: m.old.root, shape, keys }, new: { root: m.new.root, shape, keys } };
}
