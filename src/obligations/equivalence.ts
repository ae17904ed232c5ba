import type { IrContract, IrFunction } from '../ir/types.ts';

/** One question about one entry point. Pure data: no solver here. */
export type EquivalenceObligation =
  | { readonly kind: 'equivalence'; readonly id: string; readonly oldFn: IrFunction; readonly newFn: IrFunction }
  /** The entry point exists in one version only: its behaviour changed by construction. */
  | { readonly kind: 'one-sided'; readonly id: string; readonly fn: IrFunction; readonly reason: string };

/**
 * Pairs entry points by selector (fallback/receive by kind): the union of both ABIs. fallback/receive
 * are compared only when either version declares one; otherwise both revert and there is nothing to say.
 */
export function equivalenceObligations(oldC: IrContract, newC: IrContract): EquivalenceObligation[] {
  const key = (f: IrFunction) => f.signature;
  const oldBy = new Map(oldC.functions.map((f) => [key(f), f]));
  const newBy = new Map(newC.functions.map((f) => [key(f), f]));
  const all = [...new Set([...oldBy.keys(), ...newBy.keys()])].sort();
  const out: EquivalenceObligation[] = [];
  for (const k of all) {
    const o = oldBy.get(k);
    const n = newBy.get(k);
    const id = `equivalence:${k}`;
    if (o && n) {
      if (o.implicit && n.implicit) continue;
      out.push({ kind: 'equivalence', id, oldFn: o, newFn: n });
    } else if (n) {
      out.push({ kind: 'one-sided', id, fn: n, reason: 'added: the selector exists only in the new version (old version reverts or falls back)' });
    } else if (o) {
      out.push({ kind: 'one-sided', id, fn: o, reason: 'removed: the selector exists only in the old version' });
    }
  }
  return out;
}
