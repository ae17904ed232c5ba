import { sha256Hex } from '../util/hash.ts';
import type { Block, BlockId, InlinedCall, Instr, IrFunction, RevertData, ValueId } from './types.ts';
import { successors, termUses, uses } from './validate.ts';
import { isValueField, valueFieldsComplete } from './hash.ts';

/**
 * What the encoder needs to abstract one inlined internal call by a summary: the call's inputs (the
 * values it uses that are defined before it, in a canonical order), its results, which storage roots it
 * reads, and a structural hash of its code. Two calls with equal hashes compute the same outputs from
 * equal inputs and equal storage (the code is the same instruction for instruction, with the same slots,
 * environment reads, constants, revert data and transitively inlined callees), so they may share one
 * uninterpreted summary. Calls with effects are summarised by their storage writes (one per sstore
 * site, in execution order: whether it runs, its slot, its word) and by the log they leave.
 */
/** Instruction kinds a summary models exactly; any other kind inside a call keeps it inlined. */
const SUMMARISABLE_KINDS: ReadonlySet<Instr['kind']> = new Set(['const', 'arg', 'env', 'immutable', 'bin', 'un', 'conv', 'abiok', 'select', 'sload', 'sstore', 'emit', 'guard', 'phi', 'keccak']);

export interface CallRegion {
  readonly call: InlinedCall;
  readonly hash: string;
  readonly blocks: ReadonlySet<BlockId>;
  /** Values used inside but defined outside the call, in canonical order (normally the arguments). */
  readonly inputs: readonly ValueId[];
  /** Storage roots the call reads or writes (its summary depends on the writes to these before the call). */
  readonly reads: readonly bigint[];
  /** The sstore sites in a topological order of the call's blocks: root slot and mapping depth. */
  readonly writes: readonly { readonly root: bigint; readonly depth: number }[];
  /** Whether the call can emit events. */
  readonly emits: boolean;
  /** Whether any path through the call reverts (a guard that is not trivially true, or a revert). */
  readonly canRevert: boolean;
  /** The revert data when every revert in the call has the same constant data (then it is exact). */
  readonly constRevert: RevertData | null;
  /** False when the call's shape breaks the InlinedCall contract (then it is only ever inlined). */
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
  let emits = false;
  const reverts: RevertData[] = [];
  const reads = new Set<bigint>();
  // Constant guard conditions (division by a nonzero constant) are folded so they cannot revert.
  const known = new Map<ValueId, bigint>();
  for (const b of blocks) {
    for (const i of b.instrs) {
      // Only instructions whose effects a summary captures (values, storage, the log, reverts) and whose
      // operands the canonical text below renames; an external call, for one, also extends the call chain.
      if (!SUMMARISABLE_KINDS.has(i.kind)) summarisable = false;
      for (const u of uses(i)) see(u);
      if ('id' in i) see(i.id);
      // Summaries key writes by root and mapping depth: struct members and array elements stay inlined.
      if ((i.kind === 'sstore' || i.kind === 'sload') && i.slot.keys.some((k) => k.kind === 'data' || k.kind === 'add')) summarisable = false;
      if (i.kind === 'sstore') reads.add(i.slot.root);
      if (i.kind === 'emit') emits = true;
      if (i.kind === 'const') known.set(i.id, i.value);
      if (i.kind === 'bin' && (i.op === 'eq' || i.op === 'ne') && known.has(i.a) && known.has(i.b)) known.set(i.id, (known.get(i.a) === known.get(i.b)) === (i.op === 'eq') ? 1n : 0n);
      if (i.kind === 'un' && i.op === 'not' && known.has(i.a)) known.set(i.id, known.get(i.a) === 0n ? 1n : 0n);
      if (i.kind === 'guard' && known.get(i.cond) !== 1n) reverts.push(i.revert);
      if (i.kind === 'sload') reads.add(i.slot.root);
    }
    for (const u of termUses(b.term)) see(u);
    if (b.term.kind === 'revert') reverts.push(b.term.data);
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
    if (typeof x === 'number' && isValueField(key, this)) return canon.get(x) ?? `?${x}`;
    if (typeof x === 'number' && (key === 'block' || key === 'target' || key === 'then' || key === 'else')) return x === call.exit ? 'exit' : (blockNo.get(x) ?? `?b${x}`);
    return x;
  };
  const shape = { inputs: inputs.length, results, blocks: blocks.map((b) => ({ instrs: b.instrs, term: b.term })) };
  const text = JSON.stringify(shape, replacer);
  if (!valueFieldsComplete(shape.blocks)) summarisable = false;
  if (text.includes('"?')) summarisable = false;
  const constKey = (r: RevertData) => (r.words.every((w) => w.kind === 'const') ? JSON.stringify({ s: r.selector, w: r.words }, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString(16) : x)) : null);
  const first = reverts[0];
  const constRevert = first !== undefined && constKey(first) !== null && reverts.every((r) => constKey(r) === constKey(first)) ? first : null;
  // Sites in execution order along every path: a topological order of the call's blocks.
  const order: Block[] = [];
  const seen = new Set<BlockId>();
  const visit = (b: Block): void => {
    if (seen.has(b.id)) return;
    seen.add(b.id);
    for (const s of successors(b.term)) if (ids.has(s)) visit(byId.get(s)!);
    order.push(b);
  };
  visit(blocks[0]!);
  if (order.length !== blocks.length) summarisable = false;
  const writes = order.reverse().flatMap((b) => b.instrs.flatMap((i) => (i.kind === 'sstore' ? [{ root: i.slot.root, depth: i.slot.keys.length }] : [])));
  return { call, hash: sha256Hex(text), blocks: ids, inputs, reads: [...reads].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), writes, emits, canRevert: reverts.length > 0, constRevert, summarisable };
}

/**
 * The invariants InlinedCall promises, stated as code: the call's blocks are entered only at `entry`
 * (from exactly one block outside), left only to `exit` (from exactly one block inside), and every call
 * is analysable. Returns the violations (empty when valid).
 */
export function validateCalls(f: IrFunction): string[] {
  if (!f.body.ok || !f.calls) return [];
  const errors: string[] = [];
  const preds = new Map<BlockId, BlockId[]>();
  for (const b of f.body.blocks) for (const s of successors(b.term)) preds.set(s, [...(preds.get(s) ?? []), b.id]);
  const analysed = callRegions(f);
  for (const call of f.calls) {
    const inside = (id: BlockId) => id >= call.entry && id < call.exit;
    const name = `call of ${call.callee} [b${call.entry}, b${call.exit})`;
    const ep = preds.get(call.entry) ?? [];
    if (ep.length !== 1 || inside(ep[0]!)) errors.push(`${name}: entry has predecessors [${ep}]`);
    const xp = preds.get(call.exit) ?? [];
    if (xp.length !== 1 || !inside(xp[0]!)) errors.push(`${name}: exit has predecessors [${xp}]`);
    for (const b of f.body.blocks) {
      if (!inside(b.id) || b.id === call.entry) continue;
      for (const p of preds.get(b.id) ?? []) if (!inside(p)) errors.push(`${name}: b${b.id} entered from b${p} outside the call`);
    }
    if (!analysed.some((r) => r.call === call)) errors.push(`${name}: not analysable`);
  }
  return errors;
}
