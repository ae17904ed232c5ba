import { sha256Hex } from '../util/hash.ts';
import type { Block, IrFunction } from './types.ts';
import { termUses, uses } from './validate.ts';

/**
 * True when field `key` of `holder` refers to an SSA value (as opposed to a constant such as a byte
 * offset, a bit width or a word index). Every canonical renaming of values goes through this, and
 * `valueFieldsComplete` checks it against `uses`, so a field missed here fails closed.
 */
export function isValueField(key: string, holder: Record<string, unknown>): boolean {
  return (
    key === 'id' || key === 'a' || key === 'b' || key === 'cond' || key === 'value' || key === 'to' || key === 'amount' || key === 'gas' || key === 'call' ||
    key === 'bubble' || key === 'word' || key === 'len' || key === 'start' || key === 'ref' || (key === 'index' && (holder.kind === 'mload' || holder.kind === 'mstore' || holder.kind === 'bset')) || (key === 'data' && holder.kind === 'bset') || (key === 'old' && holder.kind === 'bstore') ||
    (key === 'offset' && holder.kind === 'cdload') || (key === 'n' && holder.kind === 'blockhash')
  );
}

/** True when `isValueField` finds exactly the values each instruction and terminator defines and uses. */
export function valueFieldsComplete(blocks: readonly Pick<Block, 'instrs' | 'term'>[]): boolean {
  const count = (x: object): number => {
    let n = 0;
    JSON.stringify(x, function (this: Record<string, unknown>, key: string, v: unknown) {
      if (key === 'loc') return undefined;
      if (typeof v === 'bigint') return 0;
      if (typeof v === 'number' && isValueField(key, this)) n++;
      return v;
    });
    return n;
  };
  return blocks.every((b) => b.instrs.every((i) => count(i) === uses(i).length + ('id' in i ? 1 : 0)) && count(b.term) === termUses(b.term).length);
}

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
    if (typeof x === 'number' && isValueField(key, this)) {
      if (!values.has(x)) values.set(x, values.size);
      return values.get(x);
    }
    if (typeof x === 'number' && (key === 'block' || key === 'target' || key === 'then' || key === 'else' || key === 'entry')) return blocks.get(x);
    return x;
  };
  // A value field the renaming does not know would be compared as a raw id: refuse to hash instead.
  if (!valueFieldsComplete(f.body.blocks)) return null;
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
