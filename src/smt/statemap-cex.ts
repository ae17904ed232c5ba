import { outsidePlace, placeValue, type MappedPlace, type StateMap } from '../obligations/statemap.ts';
import type { PreRead, SideRun } from './cex.ts';
import type { Evaluator } from './eval.ts';
import { rawPreState, readStore, withPreView, type Key } from './storage.ts';
import { placeKeys, type Views } from './statemap.ts';
import type { TermFactory } from './term.ts';

/**
 * A counterexample through a state mapping: each version starts from its own storage (the old one's
 * mapped places hold the mapped values, the new one's too, all else is the shared raw pre-state), and the
 * post-states are compared through R (obligations/statemap.ts), concretely.
 */
export interface MappedRuns {
  /** Pre-state words of the old version that differ from the raw ones it read (its mapped places). */
  readonly old: readonly PreRead[];
  /** Pre-state words of the new version: its mapped places, and the raw words at the old places. */
  readonly new: readonly PreRead[];
  /** Each mapped variable at each key tuple the runs touch: the places a replay compares through R. */
  readonly instances: readonly { readonly index: number; readonly keys: readonly bigint[] }[];
  /** Whether the post-states differ under R. */
  readonly storageDiffers: boolean;
}

type Storage = SideRun['storage'];

/** The keys plus, for every key at a mapped place, the same key tuple at the variable's other place. */
export function withCounterparts(map: StateMap, keys: readonly Key[]): Key[] {
  const out = [...keys];
  for (const k of keys) {
    for (const m of map) {
      const shape = 'k'.repeat(m.depth);
      if (k.shape !== shape || (k.root !== m.old.root && k.root !== m.new.root)) continue;
      const p = placeKeys(m, k.keys);
      out.push(p.old, p.new);
    }
  }
  return out;
}

const id = (root: bigint, shape: string, keys: readonly bigint[]) => `${root}:${shape}:${keys.join(',')}`;

export function mappedReads(F: TermFactory, views: Views, ev: Evaluator, seen: readonly { index: number; keys: bigint[] }[], o: Storage, n: Storage): MappedRuns {
  const instances = new Map<string, { index: number; keys: bigint[] }>();
  for (const s of seen) instances.set(`${s.index}:${s.keys.join(',')}`, s);
  for (const s of [...o, ...n]) {
    for (const [index, m] of views.map.entries()) {
      if (s.key.shape === 'k'.repeat(m.depth) && (s.key.root === m.old.root || s.key.root === m.new.root)) instances.set(`${index}:${s.keyWords.join(',')}`, { index, keys: [...s.keyWords] });
    }
  }
  const old: PreRead[] = [];
  const neu: PreRead[] = [];
  for (const inst of instances.values()) {
    const m = views.map[inst.index]!;
    const places = placeKeys(m, inst.keys.map((k) => F.bv(256, k)));
    const word = (view: Views['old'], k: Key) => ev.word(withPreView(F, view, () => readStore(F, null, k)));
    const read = (k: Key, value: bigint): PreRead => ({ root: k.root, shape: k.shape, keys: inst.keys, value });
    old.push(read(places.new, ev.word(rawPreState(F, places.new))), read(places.old, word(views.old, places.old)));
    neu.push(read(places.old, ev.word(rawPreState(F, places.old))), read(places.new, word(views.new, places.new)));
  }
  return { old, new: neu, instances: [...instances.values()], storageDiffers: storageDiffersUnderR(views.map, o, n) };
}

/** The concrete post-states differ under R (entries of `o` and `n` are at the same keys, in order). */
function storageDiffersUnderR(map: StateMap, o: Storage, n: Storage): boolean {
  const at = new Map(o.map((s, i) => [id(s.key.root, s.key.shape, s.keyWords), i]));
  for (const [i, s] of o.entries()) {
    const places = map.flatMap((m) => [m.old, m.new].filter((p) => s.key.shape === 'k'.repeat(m.depth) && s.key.root === p.root));
    if (outside(s.after, places) !== outside(n[i]!.after, places)) return true;
    for (const m of map) {
      if (s.key.shape !== 'k'.repeat(m.depth) || (s.key.root !== m.old.root && s.key.root !== m.new.root)) continue;
      const a = at.get(id(m.old.root, s.key.shape, s.keyWords));
      const b = at.get(id(m.new.root, s.key.shape, s.keyWords));
      // Counterparts are always among the keys (withCounterparts).
      if (a === undefined || b === undefined) return true;
      if (placeValue(o[a]!.after, m.old) !== placeValue(n[b]!.after, m.new)) return true;
    }
  }
  return false;
}

function outside(word: bigint, places: readonly MappedPlace[]): bigint {
  return places.reduce((w, p) => outsidePlace(w, p), word);
}
