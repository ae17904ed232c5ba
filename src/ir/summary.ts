import { sha256Hex } from '../util/hash.ts';
import { assertNever } from '../util/assert.ts';
import type { SrcLoc } from '../util/loc.ts';
import type { Block, BlockId, InlinedCall, Instr, IrFunction, RevertData, SlotPath, ValueId } from './types.ts';
import { successors, termUses, uses } from './validate.ts';
import { isValueField, valueFieldsComplete } from './hash.ts';

/**
 * What the encoder needs to abstract one region of code by a summary — an inlined internal call or an
 * unrolled loop: the region's inputs (the values it uses that are defined before it, in a canonical
 * order), its results, which storage roots it reads, and a structural hash of its code. Two regions with
 * equal hashes compute the same outputs from equal inputs and equal storage (the code is the same
 * instruction for instruction, with the same slots, environment reads, constants, revert data and
 * transitively inlined callees), so they may share one uninterpreted summary.
 *
 * For a loop, the hash covers every unrolled copy and the phis that join its exits. Lowering unrolls a
 * loop by lowering the same AST again with the loop-carried variables rebound to fresh header phis (it
 * never specialises code on values; see lower/loops.ts for why the header phis are needed), so equal
 * unrolled copies mean equal loop code, and the summary stands for the loop's real, unbounded behaviour
 * (the `exhausted` ends inside are not part of it).
 *
 * Storage effects: a region without loops runs each sstore site at most once, so it is summarised by its
 * sites (one per sstore, in execution order: whether it runs, its slot, its word). A region with a loop
 * runs a site any number of times, at any number of slots: every storage area it writes (root and shape,
 * e.g. "entries of mapping `balances`") is then replaced as a whole by a function of the slot, the
 * inputs and the storage before, which can express any such effect.
 */
/** Instruction kinds a summary models exactly; any other kind inside a region keeps it inlined/unrolled. */
const SUMMARISABLE_KINDS: ReadonlySet<Instr['kind']> = new Set(['const', 'arg', 'env', 'immutable', 'bin', 'un', 'conv', 'abiok', 'select', 'sload', 'sstore', 'emit', 'guard', 'phi', 'keccak']);

/** A storage area: every slot with this root and these steps (the shape letters of smt/storage.ts). */
export interface StorageArea {
  readonly root: bigint;
  readonly shape: string;
}

export interface Region {
  readonly kind: 'call' | 'loop';
  /** The region is the blocks with ids in [entry, exit); `exit` is entered only from inside it. */
  readonly entry: BlockId;
  readonly exit: BlockId;
  /** The exit block's phis that carry the region's outputs, in order. */
  readonly results: readonly ValueId[];
  readonly loc: SrcLoc;
  readonly hash: string;
  readonly blocks: ReadonlySet<BlockId>;
  /** Values used inside but defined outside the region, in canonical order (a call's arguments, a loop's live-in values). */
  readonly inputs: readonly ValueId[];
  /** Storage roots the region reads or writes (its summary depends on the writes to these before it). */
  readonly reads: readonly bigint[];
  /** Without loops: the sstore sites in a topological order of the region's blocks, root slot and mapping depth. */
  readonly writes: readonly { readonly root: bigint; readonly depth: number }[];
  /** With loops: the storage areas written, each replaced as a whole by the summary. */
  readonly areas: readonly StorageArea[] | null;
  /** Whether the region can emit events. */
  readonly emits: boolean;
  /** Whether any path through the region reverts (a guard that is not trivially true, or a revert). */
  readonly canRevert: boolean;
  /** The revert data when every revert in the region has the same constant data (then it is exact). */
  readonly constRevert: RevertData | null;
  /** False when the region's shape breaks the InlinedCall/UnrolledLoop contract or holds something a summary cannot express. */
  readonly summarisable: boolean;
}

export interface CallRegion extends Region {
  readonly call: InlinedCall;
}

export function callRegions(f: IrFunction): CallRegion[] {
  if (!f.body.ok || !f.calls) return [];
  const byId = new Map(f.body.blocks.map((b) => [b.id, b]));
  const out: CallRegion[] = [];
  for (const call of f.calls) {
    const r = analyse('call', call, call.results, byId);
    if (r) out.push({ ...r, call });
  }
  return out;
}

/** The unrolled loops of a function as regions; their results are all the phis of the exit block. */
export function loopRegions(f: IrFunction): Region[] {
  if (!f.body.ok || !f.loops) return [];
  const byId = new Map(f.body.blocks.map((b) => [b.id, b]));
  const out: Region[] = [];
  for (const loop of f.loops) {
    const exit = byId.get(loop.exit);
    if (exit === undefined) continue;
    const results = exit.instrs.flatMap((i) => (i.kind === 'phi' ? [i.id] : []));
    const r = analyse('loop', loop, results, byId);
    if (r) out.push(r);
  }
  return out;
}

/** The area a slot path lies in (smt/storage.ts `Key` without the key words), or null when a root offset is not a known constant. */
export function areaOf(slot: SlotPath, known: ReadonlyMap<ValueId, bigint>): StorageArea | null {
  let root = slot.root;
  const segments: { kind: 'k' | 'd'; offset: boolean }[] = [];
  for (const k of slot.keys) {
    switch (k.kind) {
      case 'add': {
        const last = segments.at(-1);
        if (last !== undefined) last.offset = true;
        else {
          const c = known.get(k.value);
          if (c === undefined) return null;
          root = (root + c) & ((1n << 256n) - 1n);
        }
        break;
      }
      case 'data':
        segments.push({ kind: 'd', offset: false });
        break;
      case 'bkey':
        // String keys are hashed with their bytes: no area a summary could name.
        return null;
      case undefined:
      case 'key':
        segments.push({ kind: 'k', offset: false });
        break;
      default:
        return assertNever(k, 'slot step');
    }
  }
  return { root, shape: segments.map((s) => (s.kind === 'd' ? 'd' : s.offset ? 'm' : 'k')).join('') };
}

function analyse(kind: Region['kind'], span: { readonly entry: BlockId; readonly exit: BlockId; readonly loc: SrcLoc }, resultIds: readonly ValueId[], byId: ReadonlyMap<BlockId, Block>): Region | null {
  const blocks: Block[] = [];
  for (const [id, b] of byId) if (id >= span.entry && id < span.exit) blocks.push(b);
  blocks.sort((a, b) => a.id - b.id);
  const exit = byId.get(span.exit);
  if (blocks.length === 0 || blocks[0]!.id !== span.entry || exit === undefined) return null;
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
  // A loop inside a call: its sites run any number of times, so the call's writes go by area too.
  const loops = kind === 'loop' || hasLoop(blocks);
  const reverts: RevertData[] = [];
  const reads = new Set<bigint>();
  const areas = new Map<string, StorageArea>();
  // Constant guard conditions (division by a nonzero constant) are folded so they cannot revert.
  const known = new Map<ValueId, bigint>();
  for (const b of blocks) for (const i of b.instrs) if (i.kind === 'const') known.set(i.id, i.value);
  for (const b of blocks) {
    for (const i of b.instrs) {
      // Only instructions whose effects a summary captures (values, storage, the log, reverts) and whose
      // operands the canonical text below renames; an external call, for one, also extends the call chain.
      if (!SUMMARISABLE_KINDS.has(i.kind)) summarisable = false;
      for (const u of uses(i)) see(u);
      if ('id' in i) see(i.id);
      if (i.kind === 'sstore' || i.kind === 'sload') {
        const area = areaOf(i.slot, known);
        if (area === null) summarisable = false;
        else {
          reads.add(area.root);
          if (i.kind === 'sstore') areas.set(`${area.root}:${area.shape}`, area);
        }
        // Summaries without loops key writes by root and mapping depth: struct members and array elements stay inlined.
        if (!loops && i.slot.keys.some((k) => k.kind === 'data' || k.kind === 'add')) summarisable = false;
      }
      if (i.kind === 'emit') emits = true;
      if (i.kind === 'bin' && (i.op === 'eq' || i.op === 'ne') && known.has(i.a) && known.has(i.b)) known.set(i.id, (known.get(i.a) === known.get(i.b)) === (i.op === 'eq') ? 1n : 0n);
      if (i.kind === 'un' && i.op === 'not' && known.has(i.a)) known.set(i.id, known.get(i.a) === 0n ? 1n : 0n);
      if (i.kind === 'guard' && known.get(i.cond) !== 1n) reverts.push(i.revert);
      if (i.kind === 'guard' && i.revert.bubble !== undefined) summarisable = false;
    }
    for (const u of termUses(b.term)) see(u);
    if (b.term.kind === 'revert') reverts.push(b.term.data);
    if (b.term.kind === 'return') summarisable = false;
    // Re-raised call output is no revert data a summary expresses (its call may be outside the region).
    if (b.term.kind === 'revert' && b.term.data.bubble !== undefined) summarisable = false;
    // Control must stay inside the region or go to its exit.
    for (const s of successors(b.term)) if (!ids.has(s) && s !== span.exit) summarisable = false;
  }
  // Values defined inside may be seen outside only through the result phis.
  const resultSet = new Set(resultIds);
  for (const [id, b] of byId) {
    if (ids.has(id)) continue;
    for (const i of b.instrs) {
      if (id === span.exit && i.kind === 'phi' && resultSet.has(i.id)) continue;
      if (uses(i).some((u) => defined.has(u))) summarisable = false;
    }
    if (termUses(b.term).some((u) => defined.has(u))) summarisable = false;
  }
  const phis = resultIds.map((r) => exit.instrs.find((i) => i.kind === 'phi' && i.id === r));
  const results: unknown[] = [];
  for (const phi of phis) {
    if (phi?.kind !== 'phi') return null;
    if (kind === 'call') {
      if (phi.incoming.length !== 1) return null;
      see(phi.incoming[0]!.value);
      results.push(canon.get(phi.incoming[0]!.value)!);
      continue;
    }
    // A loop's exits join at the exit block: its phis (incoming blocks inside the loop) are part of the code.
    if (phi.incoming.some((x) => !ids.has(x.block))) summarisable = false;
    for (const x of phi.incoming) see(x.value);
    results.push({ type: phi.type, incoming: phi.incoming });
  }
  const replacer = function (this: Record<string, unknown>, key: string, x: unknown): unknown {
    if (key === 'loc' || key === 'description') return undefined;
    if (typeof x === 'bigint') return '0x' + x.toString(16);
    if (typeof x === 'number' && isValueField(key, this)) return canon.get(x) ?? `?${x}`;
    if (typeof x === 'number' && (key === 'block' || key === 'target' || key === 'then' || key === 'else')) return x === span.exit ? 'exit' : (blockNo.get(x) ?? `?b${x}`);
    return x;
  };
  const shape = { kind, inputs: inputs.length, results, blocks: blocks.map((b) => ({ instrs: b.instrs, term: b.term })) };
  const text = JSON.stringify(shape, replacer);
  if (!valueFieldsComplete(shape.blocks)) summarisable = false;
  if (kind === 'loop' && !valueFieldsComplete([{ instrs: phis.filter((p) => p !== undefined), term: exit.term }])) summarisable = false;
  if (text.includes('"?')) summarisable = false;
  const constKey = (r: RevertData) => (r.words.every((w) => w.kind === 'const') ? JSON.stringify({ s: r.selector, w: r.words }, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString(16) : x)) : null);
  const first = reverts[0];
  const constRevert = first !== undefined && constKey(first) !== null && reverts.every((r) => constKey(r) === constKey(first)) ? first : null;
  // Sites in execution order along every path: a topological order of the region's blocks.
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
  return {
    kind,
    entry: span.entry,
    exit: span.exit,
    results: resultIds,
    loc: span.loc,
    hash: sha256Hex(text),
    blocks: ids,
    inputs,
    reads: [...reads].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    writes,
    areas: loops ? [...areas.values()] : null,
    emits,
    canRevert: reverts.length > 0,
    constRevert,
    summarisable,
  };
}

function hasLoop(blocks: readonly Block[]): boolean {
  return blocks.some((b) => b.term.kind === 'exhausted');
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
