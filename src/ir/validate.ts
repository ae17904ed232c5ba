import { assertNever } from '../util/assert.ts';
import type { Block, BlockId, Instr, IrFunction, SlotPath, Terminator, ValueId, Word } from './types.ts';

/**
 * The SSA invariants, stated as code: every value is defined once; every use is dominated by its
 * definition (phi operands by the end of the matching predecessor); phis come first in a block and list
 * exactly the block's predecessors; every branch target exists; the CFG is acyclic and reachable from the
 * entry. Returns the list of violations (empty when valid).
 */
export function validateSsa(f: IrFunction): string[] {
  if (!f.body.ok) return [];
  const { blocks, entry } = f.body;
  const errors: string[] = [];
  const byId = new Map<BlockId, Block>(blocks.map((b) => [b.id, b]));
  const preds = new Map<BlockId, BlockId[]>(blocks.map((b) => [b.id, []]));
  for (const b of blocks) {
    for (const s of successors(b.term)) {
      if (!byId.has(s)) errors.push(`b${b.id} jumps to missing b${s}`);
      else preds.get(s)!.push(b.id);
    }
  }
  const defBlock = new Map<ValueId, BlockId>();
  for (const b of blocks) {
    for (const i of b.instrs) {
      const d = defined(i);
      if (d === null) continue;
      if (defBlock.has(d)) errors.push(`%${d} defined twice`);
      defBlock.set(d, b.id);
    }
  }
  // Topological order (also detects cycles and unreachable blocks).
  const order: BlockId[] = [];
  const state = new Map<BlockId, 'visiting' | 'done'>();
  const visit = (id: BlockId): void => {
    const s = state.get(id);
    if (s === 'done') return;
    if (s === 'visiting') {
      errors.push(`cycle through b${id}`);
      return;
    }
    state.set(id, 'visiting');
    const b = byId.get(id);
    if (b) for (const n of successors(b.term)) visit(n);
    state.set(id, 'done');
    order.push(id);
  };
  visit(entry);
  order.reverse();
  for (const b of blocks) if (!state.has(b.id)) errors.push(`b${b.id} unreachable`);
  // Dominators by the iterative algorithm over the topological order.
  const dom = new Map<BlockId, Set<BlockId>>();
  for (const id of order) {
    const ps = (preds.get(id) ?? []).filter((p) => dom.has(p));
    let d: Set<BlockId>;
    if (id === entry || ps.length === 0) d = new Set();
    else {
      d = new Set(dom.get(ps[0]!)!);
      for (const p of ps.slice(1)) for (const x of [...d]) if (!dom.get(p)!.has(x)) d.delete(x);
    }
    d.add(id);
    dom.set(id, d);
  }
  const available = (use: ValueId, at: BlockId, defsBefore: Set<ValueId>): boolean => {
    const db = defBlock.get(use);
    if (db === undefined) return false;
    if (db === at) return defsBefore.has(use);
    return dom.get(at)?.has(db) ?? false;
  };
  for (const b of blocks) {
    const seen = new Set<ValueId>();
    let phisDone = false;
    for (const i of b.instrs) {
      if (i.kind === 'phi') {
        if (phisDone) errors.push(`b${b.id}: phi %${i.id} after a non-phi instruction`);
        const ps = [...(preds.get(b.id) ?? [])].sort();
        const inc = i.incoming.map((x) => x.block).sort();
        if (JSON.stringify(ps) !== JSON.stringify(inc)) errors.push(`b${b.id}: phi %${i.id} incoming [${inc}] != predecessors [${ps}]`);
        for (const x of i.incoming) {
          const db = defBlock.get(x.value);
          if (db === undefined || !(dom.get(x.block)?.has(db) ?? false)) errors.push(`b${b.id}: phi %${i.id} operand %${x.value} not available at end of b${x.block}`);
        }
      } else {
        phisDone = true;
        for (const u of uses(i)) if (!available(u, b.id, seen)) errors.push(`b${b.id}: %${u} used before definition`);
      }
      const d = defined(i);
      if (d !== null) seen.add(d);
    }
    for (const u of termUses(b.term)) if (!available(u, b.id, seen)) errors.push(`b${b.id}: terminator uses %${u} before definition`);
  }
  errors.push(...outputOnlyErrors(blocks));
  return errors;
}

/**
 * `mwords` values, and hashes of them, may only be output (return data, event topics and data, revert
 * data): the SMT encoding compares them at a free index shared by both versions (smt/memory.ts), which is
 * exact for outputs compared for equality and for nothing else (a condition on one could be satisfied at
 * one index and not at another).
 */
export function outputOnlyErrors(blocks: readonly Block[]): string[] {
  const tainted = new Set<ValueId>();
  for (const b of blocks) for (const i of b.instrs) if (i.kind === 'mwords') tainted.add(i.id);
  if (tainted.size === 0) return [];
  const hashes = new Set<ValueId>();
  for (const b of blocks) for (const i of b.instrs) if (i.kind === 'bkeccak' && i.data.kind === 'bytes' && tainted.has(i.data.value)) hashes.add(i.id);
  for (const h of hashes) tainted.add(h);
  const errors: string[] = [];
  const outputs = (ws: readonly Word[]) => new Set(wordUses(ws));
  for (const b of blocks) {
    for (const i of b.instrs) {
      if (i.kind === 'bkeccak' && hashes.has(i.id)) {
        if (tainted.has(i.len)) errors.push(`b${b.id}: output-only %${i.len} used as a length`);
        continue;
      }
      const allowed = i.kind === 'emit' ? outputs([...i.topics, ...i.data]) : i.kind === 'guard' ? outputs(i.revert.words) : new Set<ValueId>();
      for (const u of uses(i)) if (tainted.has(u) && !(allowed.has(u) && !(i.kind === 'guard' && i.cond === u))) errors.push(`b${b.id}: output-only %${u} used by ${i.kind}`);
    }
    const t = b.term;
    if (t.kind === 'br' && (tainted.has(t.cond) || hashes.has(t.cond))) errors.push(`b${b.id}: output-only %${t.cond} used as a branch condition`);
  }
  return errors;
}

export function successors(t: Terminator): BlockId[] {
  switch (t.kind) {
    case 'jmp':
      return [t.target];
    case 'br':
      return [t.then, t.else];
    case 'return':
    case 'revert':
      return [];
    case 'exhausted':
      return [];
    default:
      return assertNever(t, 'terminator');
  }
}

function defined(i: Instr): ValueId | null {
  return 'id' in i ? i.id : null;
}

const wordUses = (ws: readonly Word[]): ValueId[] => ws.flatMap((w) => (w.kind === 'value' || w.kind === 'bytes' ? [w.value] : []));

export function uses(i: Instr): ValueId[] {
  switch (i.kind) {
    case 'const':
    case 'arg':
    case 'env':
    case 'immutable':
      return [];
    case 'abiok':
    case 'un':
    case 'conv':
      return [i.a];
    case 'bin':
      return [i.a, i.b];
    case 'select':
      return [i.cond, i.a, i.b];
    case 'sload':
      return slotUses(i.slot);
    case 'sstore':
      return [...slotUses(i.slot), i.value];
    case 'emit':
      return [...wordUses(i.topics), ...wordUses(i.data)];
    case 'guard':
      return [i.cond, ...wordUses(i.revert.words), ...(i.revert.bubble === undefined ? [] : [i.revert.bubble])];
    case 'phi':
      return i.incoming.map((x) => x.value);
    case 'keccak':
    case 'precompile':
      return wordUses(i.parts.map((p) => p.word));
    case 'call':
      return [i.to, ...(i.amount === null ? [] : [i.amount]), ...(i.gas === undefined ? [] : [i.gas]), ...wordUses(i.args), ...wordUses((i.data ?? []).map((p) => p.word)), ...(i.forward === undefined ? [] : [...wordUses((i.forward.head ?? []).map((p) => p.word)), i.forward.len, ...wordUses([i.forward.data])])];
    case 'callret':
    case 'callrds':
      return [i.call];
    case 'hascode':
    case 'balance':
      return [i.to];
    case 'blockhash':
      return [i.n];
    case 'selfbalance':
    case 'gasleft':
      return [];
    case 'sbytes':
      return [...slotUses(i.slot), i.word, i.len];
    case 'cdload':
      return [i.offset];
    case 'cdbytes':
    case 'cdclean':
    case 'cdbytesok':
      return [i.start, i.len];
    case 'cdabihash':
      return i.items.flatMap((it) => (it.kind === 'value' ? [it.value] : [it.start, it.len]));
    case 'scopy':
      return [...slotUses(i.slot), ...(i.from === null ? [] : slotUses(i.from)), ...(i.start === null ? [] : [i.start]), i.len];
    case 'sclear':
      return [...slotUses(i.slot), i.len];
    case 'bstore':
      return [...slotUses(i.slot), i.old, i.len, ...wordUses(i.data)];
    case 'bkeccak':
      return [i.len, ...wordUses([i.data])];
    case 'alloc':
      return [i.len, ...(i.src ? slotUses(i.src) : [])];
    case 'mlen':
    case 'mwords':
      return [i.ref];
    case 'mload':
      return [i.ref, i.index];
    case 'mstore':
      return [i.ref, i.index, i.value];
    case 'bzero':
      return [i.len];
    case 'bset':
      return [i.data, i.index, i.value];
    case 'bcat':
      return [i.len, ...i.parts.flatMap((p) => (p.kind === 'bytes' ? [p.value, p.len] : wordUses([p.part.word])))];
    default:
      return assertNever(i, 'instruction');
  }
}

export function termUses(t: Terminator): ValueId[] {
  switch (t.kind) {
    case 'jmp':
      return [];
    case 'br':
      return [t.cond];
    case 'return':
      return wordUses(t.values);
    case 'revert':
      return [...wordUses(t.data.words), ...(t.data.bubble === undefined ? [] : [t.data.bubble])];
    case 'exhausted':
      return [];
    default:
      return assertNever(t, 'terminator');
  }
}

function slotUses(s: SlotPath): ValueId[] {
  return s.keys.flatMap((k) => (k.kind === 'data' ? [] : k.kind === 'bkey' ? [k.value, k.len] : [k.value]));
}
