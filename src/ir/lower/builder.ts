import type { SrcLoc } from '../../util/loc.ts';
import { invariant } from '../../util/assert.ts';
import type { Block, BlockId, Instr, Terminator, ValueId, ValueType } from '../types.ts';

/** Key of a variable in the SSA environment: a declaration id, or a synthetic name for unnamed returns. */
export type VarKey = number | string;

export interface VarBinding {
  readonly v: ValueId;
  readonly t: ValueType;
}

export type Env = Map<VarKey, VarBinding>;

/** A point where control leaves a region and must rejoin later (a `return`, the end of a branch). */
export interface Exit {
  readonly block: BlockId;
  readonly env: Env;
}

interface OpenBlock {
  readonly id: BlockId;
  readonly instrs: Instr[];
  term: Terminator | null;
}

type Distribute<T> = T extends unknown ? Omit<T, 'id'> : never;
export type InstrWithoutId = Distribute<Extract<Instr, { id: ValueId }>>;

/**
 * Builds one function's CFG in SSA form. Lowering is structured (no loops yet), so SSA is built directly:
 * locals live in an environment, and every join creates phis for the variables whose values differ.
 */
export class CfgBuilder {
  private readonly blocks = new Map<BlockId, OpenBlock>();
  private nextBlock = 0;
  private nextValue = 0;
  /** The block being filled, or null after a terminator (dead code is not lowered). */
  current: BlockId | null;
  env: Env = new Map();

  constructor() {
    this.current = this.newBlock();
  }

  newBlock(): BlockId {
    const id = this.nextBlock++;
    this.blocks.set(id, { id, instrs: [], term: null });
    return id;
  }

  get dead(): boolean {
    return this.current === null;
  }

  /** Appends a value-producing instruction and returns its id. */
  def(instr: InstrWithoutId): ValueId {
    const id = this.nextValue++;
    this.push({ ...instr, id } as Instr);
    return id;
  }

  /** The instruction that defines value `id` so far, if any. */
  definition(id: ValueId): Instr | undefined {
    for (const b of this.blocks.values()) for (const i of b.instrs) if ('id' in i && i.id === id) return i;
    return undefined;
  }

  /** Appends an effect instruction (sstore, emit, guard). */
  effect(instr: Extract<Instr, { kind: 'sstore' | 'emit' | 'guard' | 'bstore' | 'mstore' | 'sclear' | 'scopy' }>): void {
    this.push(instr);
  }

  private push(instr: Instr): void {
    invariant(this.current !== null, 'instruction appended to dead code');
    this.block(this.current).instrs.push(instr);
  }

  terminate(term: Terminator): void {
    invariant(this.current !== null, 'terminator in dead code');
    const b = this.block(this.current);
    invariant(b.term === null, `block ${b.id} terminated twice`);
    b.term = term;
    this.current = null;
  }

  /** Leaves the current block (if live) as an exit to be joined later; the builder becomes dead. */
  leave(): Exit | null {
    if (this.current === null) return null;
    const exit = { block: this.current, env: new Map(this.env) };
    this.current = null;
    return exit;
  }

  /**
   * Joins exits into a fresh block: each exit jumps there, and variables bound in every exit get a phi
   * when their values differ. Variables bound in only some exits went out of scope and are dropped.
   */
  join(exits: readonly (Exit | null)[], loc: SrcLoc): void {
    const live = exits.filter((e): e is Exit => e !== null);
    invariant(this.current === null, 'join while a block is open');
    if (live.length === 0) return;
    const target = this.newBlock();
    for (const e of live) {
      const b = this.block(e.block);
      invariant(b.term === null, 'exit block already terminated');
      b.term = { kind: 'jmp', target, loc };
    }
    this.current = target;
    const first = live[0]!;
    const env: Env = new Map();
    for (const [key, binding] of first.env) {
      const incoming: { block: BlockId; value: ValueId }[] = [];
      let allSame = true;
      let inAll = true;
      for (const e of live) {
        const b = e.env.get(key);
        if (b === undefined) {
          inAll = false;
          break;
        }
        if (b.v !== binding.v) allSame = false;
        incoming.push({ block: e.block, value: b.v });
      }
      if (!inAll) continue;
      if (allSame) env.set(key, binding);
      else env.set(key, { v: this.def({ kind: 'phi', type: binding.t, incoming, loc }), t: binding.t });
    }
    this.env = env;
  }

  /** Ends this block with a branch on `cond` and returns the two fresh successor blocks. */
  branch(cond: ValueId, loc: SrcLoc): { then: BlockId; else: BlockId } {
    const t = this.newBlock();
    const e = this.newBlock();
    this.terminate({ kind: 'br', cond, then: t, else: e, loc });
    return { then: t, else: e };
  }

  /** Continues lowering in `block` with the given environment. */
  resume(block: BlockId, env: Env): void {
    invariant(this.current === null, 'resume while a block is open');
    this.current = block;
    this.env = new Map(env);
  }

  finish(): { blocks: Block[]; entry: BlockId } {
    const out: Block[] = [];
    for (const b of this.blocks.values()) {
      if (b.term === null) {
        // Blocks created for a branch that was never lowered into (cannot happen) or empty joins.
        invariant(b.instrs.length === 0 && !this.isTarget(b.id), `block ${b.id} has no terminator`);
        continue;
      }
      out.push({ id: b.id, instrs: b.instrs, term: b.term });
    }
    return { blocks: out, entry: 0 };
  }

  private isTarget(id: BlockId): boolean {
    for (const b of this.blocks.values()) {
      const t = b.term;
      if (!t) continue;
      if (t.kind === 'jmp' && t.target === id) return true;
      if (t.kind === 'br' && (t.then === id || t.else === id)) return true;
    }
    return false;
  }

  private block(id: BlockId): OpenBlock {
    const b = this.blocks.get(id);
    invariant(b !== undefined, `unknown block ${id}`);
    return b;
  }
}
