import { sha256Hex } from '../util/hash.ts';
import type { IrFunction } from './types.ts';

/**
 * Structural hash of a function body: instructions and CFG with source locations and names dropped,
 * values and blocks renumbered in order of appearance. Equal hashes mean the two bodies compute the same
 * thing from the same inputs, so the entry point is `equivalent` without asking a solver.
 */
export function structuralHash(f: IrFunction): string | null {
  if (!f.body.ok) return null;
  const values = new Map<number, number>();
  const blocks = new Map<number, number>();
  for (const b of f.body.blocks) blocks.set(b.id, blocks.size);
  const canon = function (this: Record<string, unknown>, key: string, x: unknown): unknown {
    // Locations and display text never change behaviour; argument names neither. Env and immutable
    // names do (they say which input is read), so they stay.
    if (key === 'loc' || key === 'description' || (key === 'name' && this.kind === 'arg')) return undefined;
    if (typeof x === 'bigint') return '0x' + x.toString(16);
    if (typeof x === 'number' && (key === 'id' || key === 'a' || key === 'b' || key === 'cond' || key === 'value' || key === 'to' || key === 'amount' || key === 'call' || key === 'bubble' || key === 'word' || key === 'len' || key === 'start' || (key === 'offset' && this.kind === 'cdload'))) {
      if (!values.has(x)) values.set(x, values.size);
      return values.get(x);
    }
    if (typeof x === 'number' && (key === 'block' || key === 'target' || key === 'then' || key === 'else' || key === 'entry')) return blocks.get(x);
    return x;
  };
  const shape = {
    kind: f.kind,
    payable: f.payable,
    params: f.params.map((p) => p.typeName),
    returns: f.returns.map((p) => p.typeName),
    entry: f.body.entry,
    blocks: f.body.blocks,
  };
  return sha256Hex(JSON.stringify(shape, canon));
}
