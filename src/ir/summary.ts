import { sha256Hex } from '../util/hash.ts';
import type { Block, BlockId, InlinedCall, IrFunction, ValueId } from './types.ts';
import { successors, termUses, uses } from './validate.ts';

/**
 * What the encoder needs to abstract one inlined internal call by a summary: the call's inputs (the
 * values it uses that are defined before it, in a canonical order), its results, which storage roots it
 * reads, and a structural hash of its code. Two calls with equal hashes compute the same outputs from
 * equal inputs and equal storage (the code is the same instruction for instruction, with the same slots,
 * environment reads, constants, revert data and transitively inlined callees), so they may share one
 * uninterpreted summary. Only calls without effects (no sstore, no emit) are summarisable for now.
 */
export interface CallRegion {
  readonly call: InlinedCall;
  readonly hash: string;
  readonly blocks: ReadonlySet<BlockId>;
  /** Values used inside but defined outside the call, in canonical order (normally the arguments). */
  readonly inputs: readonly ValueId[];
  /** Storage roots the call reads (its summary depends on the writes to these before the call). */
  readonly reads: readonly bigint[];
  /** Whether any path through the call reverts (a guard or a revert terminator). */
  readonly canRevert: boolean;
  /** Only effect-free calls (pure or view) are summarised. */
  readonly summarisable: boolean;
}

export function callRegions(f: IrFunction): CallRegion[] {
  if (!f.body.ok || !f.calls) return [];
  const byId = new Map(f.body.blocks.map((b) => [b.id, b]));
  const out: CallRegion[] = [];
  for (const call of f.calls) {
    const r = analyse(call, byId);
    if (r) out.push(r);
  }
  return out;
}

function analyse(call: InlinedCall, byId: ReadonlyMap<BlockId, Block>): CallRegion | null {
  const blocks: Block[] = [];
  for (const [id, b] of byId) if (id >= call.entry && id < call.exit) blocks.push(b);
  blocks.sort((a, b) => a.id - b.id);
  const exit = byId.get(call.exit);
  if (blocks.length === 0 || blocks[0]!.id !== call.entry || exit === undefined) return null;
  const ids = new Set(blocks.map((b) => b.id));
  const blockNo = new Map(blocks.map((b, i) => [b.id, i]));
  // Canonical value numbers: inputs and definitions in order of first appearance.
  const defined = new Set<ValueId>();
  for (const b of blocks) for (const i of b.instrs) if ('id' in i) defined.add(i.id);
  const canon = new Map<ValueId, string>();
  const inputs: ValueId[] = [];
  const see = (v: ValueId) => {
    if (canon.has(v)) return;
    if (defined.has(v)) canon.set(v, `v${canon.size - inputs.length}`);
    else {
      canon.set(v, `in${inputs.length}`);
      inputs.push(v);
    }
  };
  let summarisable = true;
  let canRevert = false;
  const reads = new Set<bigint>();
  for (const b of blocks) {
    for (const i of b.instrs) {
      for (const u of uses(i)) see(u);
      if ('id' in i) see(i.id);
      if (i.kind === 'sstore' || i.kind === 'emit') summarisable = false;
      if (i.kind === 'guard') canRevert = true;
      if (i.kind === 'sload') reads.add(i.slot.root);
    }
    for (const u of termUses(b.term)) see(u);
    if (b.term.kind === 'revert') canRevert = true;
    if (b.term.kind === 'return') summarisable = false;
    // Control must stay inside the call or go to its exit.
    for (const s of successors(b.term)) if (!ids.has(s) && s !== call.exit) summarisable = false;
  }
  // Values defined inside may be seen outside only through the result phis.
  for (const [id, b] of byId) {
    if (ids.has(id)) continue;
    for (const i of b.instrs) {
      if (id === call.exit && i.kind === 'phi' && call.results.includes(i.id)) continue;
      if (uses(i).some((u) => defined.has(u))) summarisable = false;
    }
    if (termUses(b.term).some((u) => defined.has(u))) summarisable = false;
  }
  const results: string[] = [];
  for (const r of call.results) {
    const phi = exit.instrs.find((i) => i.kind === 'phi' && i.id === r);
    if (phi?.kind !== 'phi' || phi.incoming.length !== 1) return null;
    see(phi.incoming[0]!.value);
    results.push(canon.get(phi.incoming[0]!.value)!);
  }
  const replacer = function (this: Record<string, unknown>, key: string, x: unknown): unknown {
    if (key === 'loc' || key === 'description') return undefined;
    if (typeof x === 'bigint') return '0x' + x.toString(16);
    if (typeof x === 'number' && (key === 'id' || key === 'a' || key === 'b' || key === 'cond' || key === 'value')) return canon.get(x) ?? `?${x}`;
    if (typeof x === 'number' && (key === 'block' || key === 'target' || key === 'then' || key === 'else')) return x === call.exit ? 'exit' : (blockNo.get(x) ?? `?b${x}`);
    if (key === 'id' && typeof x === 'number') return blockNo.get(x);
    return x;
  };
  const shape = { inputs: inputs.length, results, blocks: blocks.map((b) => ({ instrs: b.instrs, term: b.term })) };
  const text = JSON.stringify(shape, replacer);
  if (text.includes('"?')) summarisable = false;
  return { call, hash: sha256Hex(text), blocks: ids, inputs, reads: [...reads].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), canRevert, summarisable };
}
