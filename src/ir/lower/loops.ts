import type { SrcLoc } from '../../util/loc.ts';
import { invariant } from '../../util/assert.ts';
import { BOOL } from '../types.ts';
import type { Exit, VarKey } from './builder.ts';
import { DEFAULT_LOOP_BOUND, unsupported, type AstNode } from './context.ts';
import type { FunctionLowerer } from './function.ts';

/**
 * Loops by bounded unrolling. The IR stays acyclic: a loop with bound N is lowered as N copies of
 * (condition, body, post) followed by one more evaluation of the condition; if that last condition holds,
 * the path would run iteration N + 1 and ends in an `exhausted` terminator naming the loop and the bound.
 * Nothing is cut silently: a path either completes exactly as the EVM runs it, or ends in `exhausted`.
 *
 * - `for (init; cond; post) body`: init once; then per iteration cond, body, post. An absent cond is true.
 * - `while (cond) body`: the same without init and post.
 * - `do body while (cond)`: body first; the condition after each of the N bodies; after the N-th body a
 *   true condition is `exhausted`.
 * - `break` leaves the innermost loop; `continue` jumps to its post expression (for), or its condition
 *   (while, do/while). Both are exits of the current iteration joined with SSA phis like any other join.
 *
 * So a loop whose trip count is at most N is modelled completely (its exhausted path is infeasible), and
 * a loop that runs exactly N times evaluates its condition N + 1 times, as the EVM does.
 *
 * The unrolled code gets blocks of its own (after `init`, which stays outside): a jump to a fresh entry
 * block, and the join of its exits as a fresh exit block, recorded as an `UnrolledLoop` so the encoder can
 * abstract a loop identical in both versions by a shared summary (src/ir/summary.ts). The interpreter
 * and the EVM comparison see ordinary code.
 *
 * Each iteration starts in a fresh block with a single-incoming phi for every variable the loop mentions
 * (its loop-carried state). That makes the unrolled code a faithful picture of the loop: copying one
 * variable into another emits no instruction, so without these phis two different loops (one that shifts
 * values through a chain of variables one step further than the other) could unroll to the same
 * instructions for N iterations and differ only after. With them, every copy reads only its own header
 * phis, and the next copy's header phis show which value each variable holds at the end of the last one.
 */

interface LoopFrame {
  readonly breaks: (Exit | null)[];
  continues: (Exit | null)[];
}

/** The innermost loop last; one stack per function being lowered (inlined calls share it, as they nest). */
const stacks = new WeakMap<FunctionLowerer, LoopFrame[]>();

function stackOf(L: FunctionLowerer): LoopFrame[] {
  let s = stacks.get(L);
  if (!s) stacks.set(L, (s = []));
  return s;
}

export function loopBoundOf(L: FunctionLowerer): number {
  const n = L.ctx.loopBound ?? DEFAULT_LOOP_BOUND;
  invariant(Number.isInteger(n) && n >= 1, `loop bound must be a positive integer, got ${n}`);
  return n;
}

/** Lowers a ForStatement, WhileStatement or DoWhileStatement. */
export function lowerLoop(L: FunctionLowerer, s: AstNode, loc: SrcLoc): void {
  const bound = loopBoundOf(L);
  const b = L.b;
  const breaks: (Exit | null)[] = [];
  const isDo = s.nodeType === 'DoWhileStatement';
  const isFor = s.nodeType === 'ForStatement';
  if (isFor && s.initializationExpression) L.stmt(s.initializationExpression);
  if (b.dead) return;
  const entry = b.newBlock();
  const entryEnv = b.env;
  b.terminate({ kind: 'jmp', target: entry, loc });
  b.resume(entry, entryEnv);
  const carried = carriedBy(s);

  /** Starts an iteration: a fresh block whose phis rebind the loop-carried variables. */
  const header = (): void => {
    const from = b.current;
    if (from === null) return;
    const next = b.newBlock();
    const env = b.env;
    b.terminate({ kind: 'jmp', target: next, loc });
    b.resume(next, env);
    for (const [key, x] of env) if (carried(key)) b.env.set(key, { v: b.def({ kind: 'phi', type: x.t, incoming: [{ block: from, value: x.v }], loc }), t: x.t });
  };

  /** Evaluates the condition: false leaves the loop, true continues (or is exhausted when `last`). */
  const check = (last: boolean): void => {
    if (b.dead) return;
    if (!s.condition) {
      if (last) b.terminate({ kind: 'exhausted', bound, loc });
      return;
    }
    const c = L.expr(s.condition, BOOL);
    if (b.dead) return;
    const env = new Map(b.env);
    const br = b.branch(c.v, loc);
    b.resume(br.else, env);
    breaks.push(b.leave());
    b.resume(br.then, env);
    if (last) b.terminate({ kind: 'exhausted', bound, loc });
  };

  /** One copy of the body; `continue`s rejoin at its end, then the post expression runs. */
  const body = (): void => {
    if (b.dead) return;
    const frame: LoopFrame = { breaks, continues: [] };
    const stack = stackOf(L);
    stack.push(frame);
    L.stmt(s.body);
    stack.pop();
    const fall = b.leave();
    b.join([...frame.continues, fall], loc);
    if (isFor && s.loopExpression && !b.dead) L.stmt(s.loopExpression);
  };

  for (let iter = 0; iter <= bound && !b.dead; iter++) {
    if (isDo) {
      if (iter === bound) break;
      header();
      body();
      check(iter === bound - 1);
    } else {
      header();
      check(iter === bound);
      if (iter < bound) body();
    }
  }
  breaks.push(b.leave());
  b.join(breaks, loc);
  // The join made a fresh block when any exit is live; without one the loop never ends normally.
  if (b.current !== null) L.loops.push({ entry, exit: b.current, loc });
}

/**
 * Which environment keys a loop carries: the variables its condition, body and post expression mention
 * (memory struct members and memory array references through their variable), or every key when a
 * modifier's `_` inside it lowers a function body that reads variables the loop does not mention.
 */
function carriedBy(s: AstNode): (key: VarKey) => boolean {
  const refs = new Set<number>();
  let placeholder = false;
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (x === null || typeof x !== 'object') return;
    const node = x as Record<string, unknown>;
    if (node.nodeType === 'PlaceholderStatement') placeholder = true;
    if (typeof node.referencedDeclaration === 'number') refs.add(node.referencedDeclaration);
    // Inline assembly names Solidity variables in its `externalReferences` (Yul identifiers carry no ids).
    if (typeof node.declaration === 'number') refs.add(node.declaration);
    for (const v of Object.values(node)) walk(v);
  };
  walk([s.condition, s.body, s.loopExpression]);
  // Keys of memory aggregates are `<tag>:<declaration id>:<rest>` (`mem:` struct members, `mref:` the
  // reference a memory array variable holds): carried with their variable.
  return (key) => {
    if (placeholder) return true;
    if (typeof key === 'number') return refs.has(key);
    const m = /^[a-z]+:(\d+):/.exec(key);
    return m !== null && refs.has(Number(m[1]));
  };
}

/** `break` or `continue`: leaves the current iteration as an exit of the innermost loop. */
export function loopJump(L: FunctionLowerer, kind: 'Break' | 'Continue', loc: SrcLoc): void {
  const frame = stackOf(L).at(-1);
  if (!frame) unsupported(`${kind.toLowerCase()} outside a loop`, loc);
  const exit = L.b.leave();
  if (kind === 'Break') frame.breaks.push(exit);
  else frame.continues.push(exit);
}
