import { sha256Hex } from '../util/hash.ts';
import { structuralHash } from '../ir/hash.ts';
import type { IrContract, IrFunction } from '../ir/types.ts';
import type { Verdict } from '../verdicts/types.ts';
import { Evaluator, sameValue, type Assignment } from './eval.ts';
import { toSmtLib } from './smtlib.ts';
import { readStore, writtenKeys, type Key } from './storage.ts';
import { symexec, type Outcome } from './symexec.ts';
import { TermFactory, type Term } from './term.ts';
import type { SmtModel, Z3Solver } from './z3.ts';
import { describeCounterexample, type PreRead, type SideRun } from './cex.ts';
import { bytesWordRoot, canonicalCalldata } from './bytes.ts';

export interface QueryRecord {
  readonly id: string;
  readonly text: string;
  readonly sha256: string;
  readonly status: 'sat' | 'unsat' | 'unknown';
  readonly ms: number;
}

export interface EquivalenceResult {
  readonly verdict: Verdict;
  /** The queries actually solved, in order; the last one decided the verdict. */
  readonly queries: readonly QueryRecord[];
  readonly encodeMs: number;
}

export interface EquivalenceInput {
  readonly id: string;
  readonly oldFn: IrFunction;
  readonly newFn: IrFunction;
  readonly oldContract: IrContract;
  readonly newContract: IrContract;
  readonly solver: Z3Solver;
  readonly timeoutMs: number;
}

/** The difference predicate: satisfiable exactly when some observable output differs. */
export function differenceGoal(F: TermFactory, o: Outcome, n: Outcome): { goal: Term; storageKeys: Key[] } {
  const both = F.and(F.not(o.reverted), F.not(n.reverted));
  const parts: Term[] = [
    F.not(F.eq(o.reverted, n.reverted)),
    F.and(o.reverted, n.reverted, F.not(F.eq(o.revertData, n.revertData))),
    F.and(both, F.not(F.eq(o.returnData, n.returnData))),
    F.and(both, F.not(F.eq(o.log, n.log))),
  ];
  // Post-states are compared at every slot either version writes: constant slots one by one, and each
  // mapping shape (root, depth) at one fresh symbolic key, which stands for all keys of that shape.
  const shapes = new Map<string, Key>();
  for (const k of [...writtenKeys(o.store), ...writtenKeys(n.store)]) {
    const id = `${k.root}:${k.keys.length}`;
    if (shapes.has(id)) continue;
    const keys = k.keys.map((_, i) => F.var(`key.${k.root.toString(16)}.${k.keys.length}.${i}`, { k: 'bv', w: 256 }));
    shapes.set(id, { root: k.root, keys });
  }
  const storageKeys = [...shapes.values()];
  for (const k of storageKeys) parts.push(F.and(both, F.not(F.eq(readStore(F, o.store, k), readStore(F, n.store, k)))));
  return { goal: F.or(...parts), storageKeys };
}

export async function proveEquivalence(inp: EquivalenceInput): Promise<EquivalenceResult> {
  const { oldFn, newFn } = inp;
  for (const f of [newFn, oldFn]) {
    if (!f.body.ok) return { verdict: { kind: 'unsupported', construct: f.body.unsupported.construct, loc: f.body.unsupported.loc }, queries: [], encodeMs: 0 };
  }
  const h = structuralHash(oldFn);
  if (h !== null && h === structuralHash(newFn)) return { verdict: { kind: 'equivalent', how: 'identical-ir' }, queries: [], encodeMs: 0 };

  const t0 = performance.now();
  const F = new TermFactory();
  const o = symexec(oldFn, F);
  const n = symexec(newFn, F);
  const diff = differenceGoal(F, o, n).goal;
  // A call reaches a selector's code only with at least the 4 selector bytes of calldata (shorter
  // calldata goes to fallback/receive, which are their own entry points).
  const goal = newFn.selector === null ? diff : F.and(F.op('bvule', F.bv(256, 4n), F.var('calldatasize', { k: 'bv', w: 256 })), diff);
  const encodeMs = performance.now() - t0;
  if (goal === F.FALSE) return { verdict: { kind: 'equivalent', how: 'identical-terms' }, queries: [], encodeMs };

  const queries: QueryRecord[] = [];
  let lastUnknown = '';
  let spurious: { old: SideRun; new: SideRun } | null = null;
  // First the abstraction (nonlinear ops uninterpreted): sound for "equivalent", cheap for Z3. If its
  // counterexample does not survive exact evaluation, ask the exact query.
  for (const abstractNonlinear of [true, false]) {
    const { text } = toSmtLib(goal, { abstractNonlinear });
    if (!abstractNonlinear && queries[0]?.text === text) break; // nothing was abstracted
    const r = await inp.solver.solve(text, inp.timeoutMs);
    queries.push({ id: `${inp.id}${abstractNonlinear ? '' : '#exact'}`, text, sha256: sha256Hex(text), status: r.status, ms: r.ms });
    if (r.status === 'unsat') return { verdict: { kind: 'equivalent', how: 'solver' }, queries, encodeMs };
    if (r.status === 'unknown') {
      lastUnknown = r.reason;
      continue;
    }
    const fromModel = assignmentOf(r.model);
    // The model may rest on an abstracted operation; then look near it for inputs that differ under
    // exact evaluation before paying for the exact query.
    // Byte-string arguments laid out as real calldata when that keeps the difference.
    const canonical = canonicalCalldata(newFn.params, fromModel);
    const direct = evaluates(goal, fromModel);
    const assignment = canonical && evaluates(goal, canonical) ? canonical : direct ? fromModel : concreteSearch(goal, fromModel);
    if (assignment) {
      const runs = runBoth(F, o, n, assignment);
      const cex = describeCounterexample(inp, runs);
      if (cex.differs.length > 0) {
        return { verdict: { kind: 'different', reason: `differs in ${cex.differs.join(', ')}`, counterexample: cex }, queries, encodeMs };
      }
      spurious = runs;
    }
  }
  if (lastUnknown) return { verdict: { kind: 'unknown', reason: `solver: ${lastUnknown}` }, queries, encodeMs };
  // The exact query was satisfiable but exact evaluation shows no difference: a bug in patchproof.
  void spurious;
  return { verdict: { kind: 'unknown', reason: 'spurious counterexample: the solver model does not reproduce under exact evaluation (a patchproof bug; please report it)' }, queries, encodeMs };
}

function assignmentOf(model: SmtModel): Assignment {
  return {
    var: (name, width) => (width === 'bool' ? (model.bool(name) ? 1n : 0n) : model.bv(name, width)),
    uf: (name, args, widths) => model.app(name, args.map((value, i) => ({ value, width: widths[i]! })), { k: 'bv', w: 256 }) as bigint,
  };
}

/**
 * Whether the goal holds under exact evaluation; false when it cannot be evaluated (a byte string too long
 * for any EVM run to copy), so the search below or the exact query is tried instead.
 */
function evaluates(goal: Term, a: Assignment): boolean {
  try {
    return new Evaluator(a).word(goal) === 1n;
  } catch {
    return false;
  }
}

/** Both versions' concrete outputs under one model. */
function runBoth(F: TermFactory, o: Outcome, n: Outcome, base: Assignment): { old: SideRun; new: SideRun; assignment: Assignment; reads: PreRead[] } {
  // Record every pre-state word the executions depend on: a replay must set exactly these.
  const reads = new Map<string, PreRead>();
  const assignment: Assignment = {
    var: (name, width) => {
      const v = base.var(name, width);
      const m = name.match(/^pre\.([0-9a-f]+)$/);
      if (m) reads.set(`${m[1]}:`, { root: BigInt('0x' + m[1]), keys: [], value: v });
      return v;
    },
    uf: (name, args, widths) => {
      const v = base.uf(name, args, widths);
      const m = name.match(/^pre\.([0-9a-f]+)\.\d+$/);
      if (m) reads.set(`${m[1]}:${args.join(',')}`, { root: BigInt('0x' + m[1]), keys: args, value: v });
      const bytesRoot = bytesWordRoot(name);
      if (bytesRoot !== null) reads.set(`data:${bytesRoot}:${args[0]}`, { root: bytesRoot, keys: [], value: v, dataWord: args[0]! });
      return v;
    },
  };
  const ev = new Evaluator(assignment);
  // Every slot written on either side, made concrete.
  const keys = new Map<string, Key>();
  for (const k of [...writtenKeys(o.store), ...writtenKeys(n.store)]) {
    const concrete: Key = { root: k.root, keys: k.keys.map((x) => F.bv(256, ev.word(x))) };
    keys.set(`${k.root}:${concrete.keys.map((x) => ev.word(x)).join(',')}`, concrete);
  }
  const run = (x: Outcome): SideRun => ({
    reverted: ev.word(x.reverted) !== 0n,
    revertData: ev.words(x.revertData),
    returnData: ev.words(x.returnData),
    log: ev.words(x.log),
    storage: [...keys.values()].map((k) => ({ key: k, keyWords: k.keys.map((w) => ev.word(w)), before: ev.word(readStore(F, null, k)), after: ev.word(readStore(F, x.store, k)) })),
  });
  const runs = { old: run(o), new: run(n) };
  return { ...runs, assignment, reads: [...reads.values()] };
}

export { sameValue };

/**
 * Deterministic search for inputs on which the exact difference predicate holds: the solver's values
 * first, then boundary values and pseudo-random words. Finding one is a proof of difference (it is
 * re-run through exact evaluation); finding none proves nothing.
 */
function concreteSearch(goal: Term, base: Assignment, tries = 400): Assignment | null {
  let seed = 0x9e3779b9n;
  const M64 = (1n << 64n) - 1n;
  // splitmix64: an LCG's low bits cycle with a short period, which would correlate the choices below.
  const rand = (): bigint => {
    seed = (seed + 0x9e3779b97f4a7c15n) & M64;
    let z = seed;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64;
    return z ^ (z >> 31n);
  };
  const max = (1n << 256n) - 1n;
  const pool = [0n, 1n, 2n, 3n, 7n, 10n, 100n, 1000n, 9999n, 10000n, 10n ** 18n, 1n << 128n, 1n << 255n, max, max - 1n];
  for (let i = 0; i < tries; i++) {
    const memo = new Map<string, bigint>();
    const pick = (key: string, width: number | 'bool', fallback: () => bigint): bigint => {
      let v = memo.get(key);
      if (v === undefined) {
        const r = rand();
        const choice = Number(r % 4n);
        v = choice === 0 ? fallback() : choice === 1 ? pool[Number((r >> 8n) % BigInt(pool.length))]! : choice === 2 ? rand() * rand() * rand() * rand() : (r >> 8n) % 1000n;
        v = width === 'bool' ? v & 1n : v & ((1n << BigInt(width)) - 1n);
        memo.set(key, v);
      }
      return v;
    };
    const a: Assignment = {
      var: (name, width) => pick(name, width, () => base.var(name, width)),
      uf: (name, args, widths) => pick(`${name}(${args.join(',')})`, 256, () => base.uf(name, args, widths)),
    };
    try {
      if (new Evaluator(a).word(goal) === 1n) return a;
    } catch {
      // Evaluation failures are bugs elsewhere; the search just proves nothing with this assignment.
    }
  }
  return null;
}
