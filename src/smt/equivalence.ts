import { sha256Hex } from '../util/hash.ts';
import { structuralHash } from '../ir/hash.ts';
import { callRegions, loopRegions, type Region } from '../ir/summary.ts';
import type { IrContract, IrFunction } from '../ir/types.ts';
import type { EquivalenceProof, Verdict } from '../verdicts/types.ts';
import { Evaluator, sameValue, type Assignment, type CValue } from './eval.ts';
import { toSmtLib } from './smtlib.ts';
import { concreteWrittenKeys, readStore, withPreView, writtenKeys, type Key } from './storage.ts';
import type { StateMap } from '../obligations/statemap.ts';
import { mappedStorageDiffers, reader, viewsOf, type Views } from './statemap.ts';
import { mappedReads, withCounterparts, type MappedRuns } from './statemap-cex.ts';
import { chainEq, checksCode, symexec, type Outcome } from './symexec.ts';
import { concreteSearch, mentionsUf, Refinement, shownCalls } from './models.ts';
import { entryBalances } from './balances.ts';
import { TermFactory, type Term } from './term.ts';
import { keccakAxioms } from './keccak.ts';
import type { SmtModel, Z3Solver } from './z3.ts';
import { describeCounterexample, readsCalldata, usesWorld, withLaidOutCalldata, type PreRead, type SideRun } from './cex.ts';
import { formatLoc, type SrcLoc } from '../util/loc.ts';
import { assertNever } from '../util/assert.ts';
import { shapeOfTag, shapeTag } from './names.ts';
import { CD_ABI_HASH, MAX_EVAL_WORDS, canonicalCalldata, isByteArrayParam, isValueArrayParam, tightCalldata } from './bytes.ts';

export interface QueryRecord {
  readonly id: string;
  readonly text: string;
  readonly sha256: string;
  readonly status: 'sat' | 'unsat' | 'unknown';
  readonly ms: number;
}

export interface EquivalenceResult {
  /**
   * For a relation other than equivalence (`EquivalenceInput.relation`), `equivalent` means the relation
   * holds (no input violates it) and `different` that a counterexample violates it.
   */
  readonly verdict: Verdict;
  /** The failing assert of an `assert-fails` counterexample. */
  readonly at?: SrcLoc;
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
  /** Abstract internal calls and loops identical in both versions by shared summaries first (default true). */
  readonly summaries?: boolean;
  /** What to refute (default: equivalence). */
  readonly relation?: RelationGoal;
  /**
   * Variables moved or retyped on purpose: storage is related through this mapping instead of slot by
   * slot (obligations/statemap.ts). Empty or absent: the same storage in both versions.
   */
  readonly stateMap?: StateMap;
}


/**
 * A relation to refute at one entry point: inputs (restricted by `where`) on which
 * - `equivalence`: some observable output differs;
 * - `refines`: the new version succeeds and the old one reverts or an output differs;
 * - `new-succeeds`: the new version succeeds (an exploit condition it must block);
 * - `assert-fails`: an `assert` of the new version fails.
 */
export interface RelationGoal {
  readonly compare: 'equivalence' | 'refines' | 'new-succeeds' | 'assert-fails';
  /**
   * Only inputs on which each condition function holds (`holds`) or does not (see obligations/conditions.ts),
   * evaluated on the storage of its `version` (which matters only through a state mapping; default new).
   */
  readonly where?: readonly { readonly fn: IrFunction; readonly holds: boolean; readonly version?: 'old' | 'new' }[];
}

/** The difference predicate: satisfiable exactly when some observable output differs. */
export function differenceGoal(F: TermFactory, o: Outcome, n: Outcome, views?: Views): { goal: Term; storageKeys: Key[] } {
  const both = F.and(F.not(o.reverted), F.not(n.reverted));
  const parts: Term[] = [
    F.not(F.eq(o.reverted, n.reverted)),
    F.and(o.reverted, n.reverted, F.not(F.eq(o.revertData, n.revertData))),
    F.and(both, F.not(F.eq(o.returnData, n.returnData))),
    F.and(both, F.not(F.eq(o.log, n.log))),
    F.and(both, F.not(F.eq(o.calls, n.calls))),
  ];
  // Post-states are compared at every slot either version writes: constant slots one by one, and each
  // hashed shape (root, steps) at one fresh symbolic key, which stands for all keys of that shape.
  const shapes = new Map<string, Key>();
  for (const k of [...writtenKeys(o.store), ...writtenKeys(n.store)]) {
    const id = `${k.root}:${k.shape}`;
    if (shapes.has(id)) continue;
    const keys = k.keys.map((_, i) => F.var(`key.${k.root.toString(16)}.${shapeTag(k.shape)}.${i}`, { k: 'bv', w: 256 }));
    shapes.set(id, { root: k.root, shape: k.shape, keys });
  }
  const storageKeys = [...shapes.values()];
  if (views !== undefined && views.map.length > 0) {
    // Through a state mapping: bytes outside the mapped places slot by slot, mapped values per key.
    const written = [...writtenKeys(o.store), ...writtenKeys(n.store)];
    for (const d of mappedStorageDiffers(F, views.map, storageKeys, written, reader(F, views.old, o.store), reader(F, views.new, n.store))) parts.push(F.and(both, d));
    return { goal: F.or(...parts), storageKeys };
  }
  for (const k of storageKeys) parts.push(F.and(both, F.not(F.eq(readStore(F, o.store, k), readStore(F, n.store, k)))));
  return { goal: F.or(...parts), storageKeys };
}

export async function proveEquivalence(inp: EquivalenceInput): Promise<EquivalenceResult> {
  const { oldFn, newFn } = inp;
  const rel = inp.relation ?? { compare: 'equivalence' };
  for (const f of [newFn, oldFn, ...(rel.where ?? []).map((w) => w.fn)]) {
    if (!f.body.ok) return { verdict: { kind: 'unsupported', construct: f.body.unsupported.construct, loc: f.body.unsupported.loc }, queries: [], encodeMs: 0 };
  }
  const mapped = (inp.stateMap?.length ?? 0) > 0;
  const h = structuralHash(oldFn);
  // Equal code has no difference anywhere, so also none where a condition holds; nothing about asserts.
  // Through a state mapping the same code reads different storage: never a shortcut.
  const identical = !mapped && (rel.compare === 'equivalence' || rel.compare === 'refines') && h !== null && h === structuralHash(newFn);
  // Identical IR is the same program, also past the loop bound: lowering unrolls a loop by lowering the
  // same AST again with every variable the loop mentions rebound to a fresh header phi (never specialised
  // on values, see ir/lower/loops.ts), so equal unrolled copies mean equal loop code, as for loop summaries.
  if (identical) return { verdict: { kind: 'equivalent', how: 'identical-ir' }, queries: [], encodeMs: 0 };

  const queries: QueryRecord[] = [];
  let summaryMs = 0;
  // An assert inside a summarised region is not seen: asserts are always checked with full inlining.
  // Summaries are shared by both versions' equal inputs, which through a mapping see different storage.
  const plan = inp.summaries === false || rel.compare === 'assert-fails' || mapped ? null : summaryPlan(oldFn, newFn);
  if (plan) {
    // Summaries over-approximate the calls they replace: UNSAT is a proof, SAT or unknown proves
    // nothing and the entry point is decided by full inlining below.
    const t1 = performance.now();
    const F = new TermFactory();
    const codeless = checksCode(oldFn, newFn);
    const so = symexec(oldFn, F, { summarise: plan.old, codeless });
    const sn = symexec(newFn, F, { summarise: plan.new, codeless });
    const { goal, scope } = entryGoal(F, inp, so, sn);
    summaryMs = performance.now() - t1;
    // A summary stands for the callee's or the loop's real, unbounded behaviour, so only the loops left
    // unrolled can leave the proof bounded.
    const proved = () => completeness(inp, F, F.and(reachesOf(F, newFn), scope), so, sn, plan.loops ? 'loop-summaries' : 'summaries', queries);
    if (goal === F.FALSE) return { verdict: await proved(), queries, encodeMs: summaryMs };
    const { text } = toSmtLib(goal, { abstractNonlinear: true });
    // A quarter of the budget: a timeout here only means falling back, which needs the time more.
    const r = await inp.solver.solve(text, Math.max(1000, Math.floor(inp.timeoutMs / 4)));
    queries.push({ id: `${inp.id}#summaries`, text, sha256: sha256Hex(text), status: r.status, ms: r.ms });
    if (r.status === 'unsat') return { verdict: await proved(), queries, encodeMs: summaryMs };
  }

  const t0 = performance.now();
  const F = new TermFactory();
  const views = viewsOf(F, inp.stateMap);
  const codeless = checksCode(oldFn, newFn);
  const o = withPreView(F, views?.old, () => symexec(oldFn, F, { codeless }));
  const n = withPreView(F, views?.new, () => symexec(newFn, F, { codeless }));
  // (Terms are ordered by creation inside conjunctions, and Z3's models depend on that order: the
  // difference goal is built first.)
  const { goal, plainDiff, reent, scope, violated } = entryGoal(F, inp, o, n, views);
  const reaches = F.and(reachesOf(F, newFn), scope);
  const w256 = { k: 'bv', w: 256 } as const;
  const encodeMs = summaryMs + performance.now() - t0;
  if (goal === F.FALSE) return { verdict: await completeness(inp, F, reaches, o, n, 'identical-terms', queries), queries, encodeMs };

  let lastUnknown = '';
  let spurious: { old: SideRun; new: SideRun } | null = null;
  // First the abstraction (nonlinear ops uninterpreted): sound for "equivalent", cheap for Z3. If its
  // counterexample does not survive exact evaluation, ask the exact query.
  // Then, when exact evaluation refutes a model because the solver chose what keccak256 or a
  // precompile answers, the exact query again with the real answers at those inputs (models.ts
  // Refinement), first with the inputs pinned to the model's (a search hint: its unsat proves nothing).
  let abstractText = '';
  const refinement = new Refinement(F, goal);
  for (let si = 0; si < refinement.stages.length; si++) {
    const { abstractNonlinear, pins, suffix } = refinement.stages[si]!;
    const solveGoal = refinement.query(refinement.stages[si]!);
    const { text } = toSmtLib(solveGoal, { abstractNonlinear });
    if (abstractNonlinear) abstractText = text;
    else if (abstractText === text) continue; // nothing was abstracted
    const r = await inp.solver.solve(text, inp.timeoutMs);
    const qid = `${inp.id}${suffix}`;
    queries.push({ id: qid, text, sha256: sha256Hex(text), status: r.status, ms: r.ms });
    if (pins !== undefined && r.status !== 'sat') continue;
    if (r.status === 'unsat') return { verdict: await completeness(inp, F, reaches, o, n, 'solver', queries), queries, encodeMs };
    if (r.status === 'unknown') {
      lastUnknown = r.reason;
      continue;
    }
    let fromModel = assignmentOf(r.model);
    // A call to the contract itself (or a precompile) runs code no stub can stand in for: such a model
    // is sound to have found but cannot be replayed, so ask once more for one whose calls go elsewhere.
    // Byte strings of a replayable size: no EVM run copies or clears 2^200 words, and exact evaluation
    // refuses them, so ask for a model whose lengths are small (when one exists).
    const smallBytes = smallByteStrings(F, o, n);
    const notSelf = F.and(callsElsewhere(F, o, n), plausibleGas(F, goal), smallBytes);
    if (smallBytes !== F.TRUE && !evaluates(smallBytes, fromModel)) {
      const other = toSmtLib(F.and(solveGoal, smallBytes), { abstractNonlinear }).text;
      const r2 = await inp.solver.solve(other, inp.timeoutMs);
      queries.push({ id: `${qid}#small-bytes`, text: other, sha256: sha256Hex(other), status: r2.status, ms: r2.ms });
      if (r2.status === 'sat') fromModel = assignmentOf(r2.model);
    }
    if (notSelf !== F.TRUE && !evaluates(notSelf, fromModel)) {
      const other = toSmtLib(F.and(solveGoal, notSelf), { abstractNonlinear }).text;
      const r2 = await inp.solver.solve(other, inp.timeoutMs);
      queries.push({ id: `${qid}#calls-elsewhere`, text: other, sha256: sha256Hex(other), status: r2.status, ms: r2.ms });
      if (r2.status === 'sat') fromModel = assignmentOf(r2.model);
    }
    // Arrays whose calldata is too long to lay out (and replay) are legal inputs, but prefer a model with
    // short calldata when one exists: only a search hint, an unsat or unknown answer here proves nothing.
    // Byte-string and array arguments laid out as real calldata when that keeps the difference.
    let canonical = canonicalCalldata(newFn.params, fromModel);
    const small = smallCalldata(F, newFn);
    if (small !== F.TRUE && !(canonical && evaluates(goal, canonical))) {
      // The model's own placement, cut to the calldata it reads, often keeps the difference (an array
      // too long to lay out whose length alone matters); else ask the solver for short calldata.
      const tight = tightCalldata(newFn.params, fromModel);
      if (tight && evaluates(goal, tight)) canonical = tight;
      else if (!evaluates(small, fromModel)) {
        const other = toSmtLib(F.and(solveGoal, small), { abstractNonlinear }).text;
        const r3 = await inp.solver.solve(other, inp.timeoutMs);
        queries.push({ id: `${qid}#short-calldata`, text: other, sha256: sha256Hex(other), status: r3.status, ms: r3.ms });
        if (r3.status === 'sat') {
          fromModel = assignmentOf(r3.model);
          canonical = canonicalCalldata(newFn.params, fromModel);
        }
      }
    }
    // The model may rest on an abstracted operation; then look near it for inputs that differ under
    // exact evaluation before paying for the exact query.
    const direct = evaluates(goal, fromModel);
    const found = canonical && evaluates(goal, canonical) ? canonical : direct ? fromModel : concreteSearch(goal, fromModel);
    // The replay sends exactly the encoded arguments: use that calldata size when the difference keeps.
    const size = found && !canonical ? encodedSize(newFn) : null;
    const sized = found && size !== null ? withVar(found, 'calldatasize', size) : null;
    const modelled = sized && evaluates(goal, sized) ? sized : found;
    // Calldata read at offsets the model chose freely (msg.data, slices) is replaced by the calldata the
    // replay sends, when the difference keeps; otherwise the replay shows the disagreement.
    const laidOut = modelled && (readsCalldata(oldFn) || readsCalldata(newFn)) ? withLaidOutCalldata(newFn, modelled) : null;
    const assignment = laidOut && evaluates(goal, laidOut) ? laidOut : modelled;
    if (assignment) {
      // Replays cannot re-enter: the counterexample is first evaluated in a world without re-entrancy.
      // Stub callees also cannot make code appear or vanish between two checks of one address: prefer a
      // world where each address keeps its code, when the difference survives there.
      const unentered = withoutReentrancy(assignment);
      const steady = steadyCode(unentered);
      const plain = evaluates(plainDiff, steady) ? steady : unentered;
      const runs = { ...runBoth(F, o, n, plain, views), balances: entryBalances(F, [o, n], plain) };
      const cex = describeCounterexample(inp, runs);
      const ev = new Evaluator(assignment);
      const at = reent.find((r) => ev.word(r.goal) === 1n) ?? o.reentry.concat(n.reentry).find((r) => r.mayWrite && ev.word(r.pc) === 1n && ev.word(F.uf('call.reenter', w256, [r.key])) !== 0n);
      if (at && rel.compare !== 'equivalence' && rel.compare !== 'refines' && !evaluates(plainDiff, plain)) {
        // The havoc a re-entrant caller leaves over-approximates what it can really do: not a refutation.
        return { verdict: { kind: 'unknown', reason: `only with a re-entrant callee changing storage at ${formatLoc(at.loc)}, which the model over-approximates` }, queries, encodeMs };
      }
      if (rel.compare !== 'equivalence') {
        const v = violated(runs, cex.differs, new Evaluator(plain));
        if (v !== null && !(at && 'goal' in at)) return { verdict: { kind: 'different', reason: v.reason, counterexample: cex }, ...(v.at ? { at: v.at } : {}), queries, encodeMs };
      }
      if (at && (new Evaluator(plain).word(plainDiff) !== 1n || cex.differs.length === 0)) {
        const where = formatLoc(at.loc);
        const how = !('goal' in at)
          ? 'the versions differ once the callee re-enters and changes storage or moves ether'
          : at.mayWrite
            ? 'the storage or balance a re-entrant caller sees at this call differs between the versions'
            : 'the storage or balance the callee can read back (read-only re-entrancy) at this call differs between the versions';
        return {
          verdict: { kind: 'different', reason: `differs under reentrancy at ${where}: ${how}`, counterexample: { ...cex, reentrancy: { at: where, explanation: how } } },
          queries,
          encodeMs,
        };
      }
      if (rel.compare === 'equivalence' && cex.differs.length > 0) {
        return { verdict: { kind: 'different', reason: `differs in ${cex.differs.join(', ')}`, counterexample: cex }, queries, encodeMs };
      }
      spurious = runs;
    }
    refinement.learn(fromModel);
  }
  if (lastUnknown) return { verdict: { kind: 'unknown', reason: `solver: ${lastUnknown}` }, queries, encodeMs };
  void spurious;
  // The solver kept choosing keccak256 or precompile answers the real functions do not give, and the
  // rounds that teach it the real ones ran out: undecided, not a bug.
  if (refinement.stoppedBy === 'limit') {
    return { verdict: { kind: 'unknown', reason: `undecided after ${Refinement.ROUNDS} rounds of refinement: each model the solver found rests on keccak256 or precompile answers the real functions do not give` }, queries, encodeMs };
  }
  // A difference resting on a hash of a calldata encoding, which no refinement pins (its value depends
  // on the calldata words, not only on its arguments): undecided.
  if (mentionsUf(goal, CD_ABI_HASH + '.')) return { verdict: { kind: 'unknown', reason: 'the solver\'s difference rests on keccak256 of an abi.encode over calldata arrays taking values the real hash does not give (no refinement for those hashes)' }, queries, encodeMs };
  // The exact query was satisfiable but exact evaluation shows no difference: a bug in patchproof.
  return { verdict: { kind: 'unknown', reason: 'spurious counterexample: the solver model does not reproduce under exact evaluation (a patchproof bug; please report it)' }, queries, encodeMs };
}

/**
 * After no difference was found on the paths where neither version reaches a loop bound: is that all
 * paths? If no input (with the entry point's calldata assumption) reaches an `exhausted` terminator in
 * either version, the unrolling was complete and `equivalent` is unbounded. If one may, the verdict
 * records the bound. Deciding "unbounded" needs an unsat answer (the nonlinear abstraction
 * over-approximates, so its unsat is exact); anything else — sat, unknown — keeps the bound, which is
 * always the weaker, safe claim.
 */
async function completeness(inp: EquivalenceInput, F: TermFactory, reaches: Term, o: Outcome, n: Outcome, how: EquivalenceProof, queries: QueryRecord[]): Promise<Verdict> {
  const all = [...o.exhaustions, ...n.exhaustions];
  const first = all[0];
  if (first === undefined) return { kind: 'equivalent', how };
  const goal = F.and(reaches, F.or(o.exhausted, n.exhausted));
  if (goal === F.FALSE) return { kind: 'equivalent', how };
  let at = first;
  for (const abstractNonlinear of [true, false]) {
    const { text } = toSmtLib(goal, { abstractNonlinear });
    if (!abstractNonlinear && queries.at(-1)?.text === text) break;
    const r = await inp.solver.solve(text, inp.timeoutMs);
    queries.push({ id: `${inp.id}#loops${abstractNonlinear ? '' : '-exact'}`, text, sha256: sha256Hex(text), status: r.status, ms: r.ms });
    if (r.status === 'unsat') return { kind: 'equivalent', how };
    if (r.status !== 'sat') continue;
    // Name the loop whose bound this model reaches, when exact evaluation confirms it.
    const ev = new Evaluator(assignmentOf(r.model));
    const hit = all.find((x) => {
      try {
        return ev.word(x.pc) === 1n;
      } catch {
        return false;
      }
    });
    if (hit) {
      at = hit;
      break;
    }
  }
  return { kind: 'equivalent', how, bound: { loops: at.bound, exhaustedAt: at.loc } };
}

/** Calldata of at most 4 KiB, for entry points with array parameters (TRUE for others). */
function smallCalldata(F: TermFactory, newFn: IrFunction): Term {
  if (newFn.selector === null || !newFn.params.some(isValueArrayParam)) return F.TRUE;
  return F.op('bvule', F.var('calldatasize', { k: 'bv', w: 256 }), F.bv(256, 4096n));
}

/**
 * A call reaches a selector's code only with at least the 4 selector bytes of calldata (shorter calldata
 * goes to fallback/receive, which are their own entry points). With array parameters, calldata is also
 * shorter than 2^32 bytes: a transaction pays at least 4 gas per calldata byte, so no block holds more
 * (an assumption, see the README); without it the model could pass the decoder's length checks with
 * arrays no transaction can carry.
 */
export function reachesOf(F: TermFactory, newFn: IrFunction): Term {
  if (newFn.selector === null) return F.TRUE;
  const size = F.var('calldatasize', { k: 'bv', w: 256 });
  const atLeast = F.op('bvule', F.bv(256, 4n), size);
  return newFn.params.some(isValueArrayParam) ? F.and(atLeast, F.op('bvult', size, F.bv(256, 1n << 32n))) : atLeast;
}

/**
 * The difference query of one entry point. Bounded unrolling: a difference is looked for only on paths
 * where neither version reaches a loop's bound, so every counterexample is a complete execution of both
 * (and replays on the EVM). keccak256's injectivity comes in as axioms over the hash terms used.
 */
function entryGoal(F: TermFactory, inp: EquivalenceInput, o: Outcome, n: Outcome, views?: Views): { goal: Term; plainDiff: Term; reent: ReturnType<typeof reentrancyGoal>; scope: Term; violated: Violation } {
  const { oldFn, newFn } = inp;
  const rel = inp.relation ?? { compare: 'equivalence' };
  const relation = relationGoal(F, rel, o, n, views);
  const unaxiomed = F.and(relation.core, relation.scope, worldOf(F, oldFn, newFn), reachesOf(F, newFn), F.not(o.exhausted), F.not(n.exhausted));
  const literals = new Map([...(inp.oldContract.literalHashes ?? []), ...(inp.newContract.literalHashes ?? [])]);
  return { goal: unaxiomed === F.FALSE ? unaxiomed : F.and(unaxiomed, ...keccakAxioms(F, unaxiomed, literals)), plainDiff: F.and(relation.plain, relation.scope), reent: relation.reent, scope: relation.scope, violated: relation.violated };
}

/**
 * The inputs on which each condition function holds (evaluates without reverting to true) or does not,
 * executed on the same symbolic calldata, environment and pre-state as the entry point.
 */
export function conditionScope(F: TermFactory, where: NonNullable<RelationGoal['where']>, views?: Views): Term {
  return F.and(...where.map((w) => {
    // A condition reads the storage of its own version (through a state mapping, that version's view).
    const x = withPreView(F, w.version === 'old' ? views?.old : views?.new, () => symexec(w.fn, F, { results: true, codeless: checksCode(w.fn) }));
    const holds = F.and(F.not(x.reverted), F.not(F.eq(x.results?.[0] ?? F.bv(256, 0n), F.bv(256, 0n))));
    return w.holds ? holds : F.not(holds);
  }));
}

/** Whether exact runs of a counterexample violate the relation, and how (null: they do not). */
type Violation = (runs: { old: SideRun; new: SideRun }, differs: readonly string[], ev: Evaluator) => { reason: string; at?: SrcLoc } | null;

const PANIC_01 = [36n, 0x4e487b71n, 1n];

/**
 * The relation's refutation predicate (`core`, with the re-entrancy goals in it), the same without them
 * (`plain`), the input restriction (`scope`, from the conditions) and the check of exact runs.
 */
function relationGoal(F: TermFactory, rel: RelationGoal, o: Outcome, n: Outcome, views?: Views): { core: Term; plain: Term; reent: ReturnType<typeof reentrancyGoal>; scope: Term; violated: Violation } {
  const scope = conditionScope(F, rel.where ?? [], views);
  const newSucceeds = (runs: { new: SideRun }) => !runs.new.reverted;
  switch (rel.compare) {
    case 'equivalence':
    case 'refines': {
      // (Built in this order for equivalence: Z3's models depend on the order terms were made in.)
      const plainDiff = differenceGoal(F, o, n, views).goal;
      const reent = reentrancyGoal(F, o, n, views);
      const diff = F.or(plainDiff, ...reent.map((r) => r.goal));
      if (rel.compare === 'equivalence') return { core: diff, plain: plainDiff, reent, scope, violated: () => null };
      // A difference only counts where the new version succeeds: its reverts are allowed. So are the
      // storage differences a re-entrant caller could see, when the new version reverts in the end.
      return {
        core: F.and(F.not(n.reverted), diff),
        plain: F.and(F.not(n.reverted), plainDiff),
        reent: reent.map((r) => ({ ...r, goal: F.and(F.not(n.reverted), r.goal) })),
        scope,
        violated: (runs, differs) =>
          !newSucceeds(runs) ? null
          : runs.old.reverted ? { reason: 'the new version succeeds where the old one reverts' }
          : differs.length > 0 ? { reason: `both versions succeed and differ in ${differs.join(', ')}` }
          : null,
      };
    }
    case 'new-succeeds': {
      const core = F.not(n.reverted);
      return { core, plain: core, reent: [], scope, violated: (runs) => (newSucceeds(runs) ? { reason: `the new version succeeds${runs.old.reverted ? ' (the old version reverts)' : ''}` } : null) };
    }
    case 'assert-fails': {
      const core = F.or(...n.failedAsserts.map((a) => a.pc));
      return {
        core,
        plain: core,
        reent: [],
        scope,
        violated: (runs, _differs, ev) => {
          if (!runs.new.reverted || runs.new.revertData.length !== 3 || !runs.new.revertData.every((w, i) => w === PANIC_01[i])) return null;
          const at = n.failedAsserts.find((a) => ev.word(a.pc) === 1n)?.loc;
          const also = runs.old.reverted && runs.old.revertData.every((w, i) => w === PANIC_01[i]) ? ' (the old version fails an assert on this input too)' : '';
          return { reason: `an assert of the new version fails${at ? ` at ${formatLoc(at)}` : ''}${also}`, ...(at ? { at } : {}) };
        },
      };
    }
    default:
      return assertNever(rel.compare, 'relation');
  }
}

/**
 * What every world with external calls satisfies: the balance at entry includes msg.value, and a
 * contract's own address is never zero or a precompile (0x01–0x0a on Cancun).
 */
export function worldOf(F: TermFactory, oldFn: IrFunction, newFn: IrFunction): Term {
  if (!usesWorld(oldFn) && !usesWorld(newFn)) return F.TRUE;
  const w256 = { k: 'bv', w: 256 } as const;
  return F.and(F.op('bvule', F.var('msg.value', w256), F.var('balance(this)', w256)), F.op('bvult', F.bv(160, 0x0an), F.var('address(this)', { k: 'bv', w: 160 })));
}

/**
 * The internal calls and loops to summarise in each version: regions whose structural hash occurs in
 * both (a summary used on one side only would just lose precision). Null when there are none. `loops`:
 * some loop is summarised (a region nested in a summarised one is never reached, so listing it is harmless).
 */
export function summaryPlan(oldFn: IrFunction, newFn: IrFunction): { old: Map<number, Region>; new: Map<number, Region>; loops: boolean } | null {
  const regions = (f: IrFunction): Region[] => [...callRegions(f), ...loopRegions(f)].filter((r) => r.summarisable);
  const o = regions(oldFn);
  const n = regions(newFn);
  const inNew = new Set(n.map((r) => r.hash));
  const shared = new Set(o.map((r) => r.hash).filter((h) => inNew.has(h)));
  if (shared.size === 0) return null;
  const pick = (rs: Region[]) => new Map(rs.filter((r) => shared.has(r.hash)).map((r) => [r.entry, r]));
  const old = pick(o);
  return { old, new: pick(n), loops: [...old.values()].some((r) => r.kind === 'loop') };
}

/**
 * At every call that may re-enter (CALL with more than the stipend), the storage and balance the
 * callee's re-entrant calls would see must be the same in both versions whenever they make the same
 * call: otherwise re-entered behaviour can differ. One goal per pair of such calls (old, new).
 */
export function reentrancyGoal(F: TermFactory, o: Outcome, n: Outcome, views?: Views): { goal: Term; loc: SrcLoc; mayWrite: boolean }[] {
  const out: { goal: Term; loc: SrcLoc; mayWrite: boolean }[] = [];
  for (const a of o.reentry) {
    for (const b of n.reentry) {
      const shapes = new Map<string, Key>();
      for (const k of [...writtenKeys(a.store), ...writtenKeys(b.store)]) {
        const id = `${k.root}:${k.shape}`;
        if (!shapes.has(id)) shapes.set(id, { root: k.root, shape: k.shape, keys: k.keys.map((_, i) => F.var(`rkey.${k.root.toString(16)}.${shapeTag(k.shape)}.${i}`, { k: 'bv', w: 256 })) });
      }
      // Through a state mapping the storages at the call must be related as the post-states are.
      const written = [...writtenKeys(a.store), ...writtenKeys(b.store)];
      const storage = views === undefined || views.map.length === 0
        ? [...shapes.values()].map((k) => F.not(F.eq(readStore(F, a.store, k), readStore(F, b.store, k))))
        : mappedStorageDiffers(F, views.map, [...shapes.values()], written, reader(F, views.old, a.store), reader(F, views.new, b.store));
      const differs = [F.not(F.eq(a.balance, b.balance)), ...storage];
      const goal = F.and(a.pc, b.pc, chainEq(F, a.calls, b.calls), F.or(...differs));
      if (goal !== F.FALSE) out.push({ goal, loc: b.loc, mayWrite: b.mayWrite });
    }
  }
  return out;
}

/** Bytes of calldata a standard encoder sends to a function with only value-type parameters (else null). */
function encodedSize(f: IrFunction): bigint | null {
  if (f.selector === null || f.params.some((p) => isByteArrayParam(p) || isValueArrayParam(p))) return null;
  return 4n + 32n * BigInt(f.params.length);
}

function withVar(a: Assignment, name: string, value: bigint): Assignment {
  return { var: (n, w) => (n === name ? value : a.var(n, w)), uf: a.uf };
}

/** Every byte string either version reads, writes or overwrites is shorter than 256 bytes. */
function smallByteStrings(F: TermFactory, o: Outcome, n: Outcome): Term {
  return F.and(...[...o.byteLengths, ...n.byteLengths].map((len) => F.op('bvult', len, F.bv(256, 1n << 8n))));
}

/**
 * Every external call made (on its path) goes to an address other than the contract's own and other
 * than a precompile (0x01–0x0a on Cancun): no stub can stand in for either.
 */
function callsElsewhere(F: TermFactory, o: Outcome, n: Outcome): Term {
  const self = F.zext(96, F.var('address(this)', { k: 'bv', w: 160 }));
  const records = [...o.callRecords, ...n.callRecords].filter((r) => r.kind === 'call');
  const precompile = (to: Term) => F.and(F.op('bvule', F.bv(256, 1n), to), F.op('bvule', to, F.bv(256, 0x0an)));
  return F.and(...records.map((r) => F.or(F.not(r.pc), F.and(F.not(F.eq(r.words[1]!, self)), F.not(precompile(r.words[1]!))))));
}

/**
 * Every `gasleft()` reading in `term` lies where an EVM replay's readings lie (at least 10^6, below the
 * replay's 30,000,000 gas limit). The model's readings are free, and the replay's are whatever the
 * compiled code leaves; preferring plausible ones lets a difference that does not rest on their exact
 * values replay as the model predicts.
 */
function plausibleGas(F: TermFactory, term: Term): Term {
  const seen = new Set<number>();
  const found: Term[] = [];
  const todo: Term[] = [term];
  while (todo.length > 0) {
    const t = todo.pop()!;
    if (seen.has(t.id)) continue;
    seen.add(t.id);
    if (t.tag === 'uf' && t.name === 'gasleft') found.push(t);
    if (t.tag === 'uf' || t.tag === 'app') todo.push(...t.args);
  }
  return F.and(...found.map((g) => F.and(F.op('bvule', F.bv(256, 1_000_000n), g), F.op('bvult', g, F.bv(256, 30_000_000n)))));
}

/** The assignment with every code-existence check of an address answered as its first (history-free) one. */
function steadyCode(a: Assignment): Assignment {
  return { var: a.var, uf: (name, args, widths) => (name === 'call.code' ? a.uf(name, [0n, ...args.slice(1)], widths) : a.uf(name, args, widths)) };
}

function withoutReentrancy(a: Assignment): Assignment {
  return { var: a.var, uf: (name, args, widths) => (name === 'call.reenter' ? 0n : a.uf(name, args, widths)) };
}

export function assignmentOf(model: SmtModel): Assignment {
  return {
    var: (name, width) => (width === 'bool' ? (model.bool(name) ? 1n : 0n) : model.bv(name, width)),
    uf: (name, args, widths) => model.app(name, args.map((value, i) => ({ value, width: widths[i]! })), { k: 'bv', w: 256 }) as bigint,
  };
}

/**
 * Whether the goal holds under exact evaluation; false when it cannot be evaluated (a byte string too long
 * for any EVM run to copy), so the search below or the exact query is tried instead.
 */
export function evaluates(goal: Term, a: Assignment): boolean {
  try {
    return new Evaluator(a).word(goal) === 1n;
  } catch {
    return false;
  }
}

/** Both versions' concrete outputs under one model. */
export function runBoth(F: TermFactory, o: Outcome, n: Outcome, base: Assignment, views?: Views): { old: SideRun; new: SideRun; assignment: Assignment; reads: PreRead[]; blockhashes: Map<bigint, bigint>; mapped?: MappedRuns } {
  // Mapped values the executions read (`mapped.<i>`, key words): each stands for two places, one per version.
  const mappedSeen = new Map<string, { index: number; keys: bigint[] }>();
  // Record every pre-state word the executions depend on: a replay must set exactly these.
  const reads = new Map<string, PreRead>();
  // Block hashes the executions read (only consulted within the last 256 blocks): the replay sets them.
  const blockhashes = new Map<bigint, bigint>();
  const assignment: Assignment = {
    var: (name, width) => {
      const v = base.var(name, width);
      if (/^mapped\.\d+$/.test(name)) mappedSeen.set(`${name}:`, { index: Number(name.slice(7)), keys: [] });
      const m = name.match(/^pre\.([0-9a-f]+)$/);
      if (m) reads.set(`${m[1]}:`, { root: BigInt('0x' + m[1]), shape: '', keys: [], value: v });
      return v;
    },
    uf: (name, args, widths) => {
      const v = base.uf(name, args, widths);
      if (name === 'blockhash') blockhashes.set(args[0]!, v);
      if (/^mapped\.\d+$/.test(name)) mappedSeen.set(`${name}:${args.join(',')}`, { index: Number(name.slice(7)), keys: [...args] });
      const m = name.match(/^pre\.([0-9a-f]+)\.(\d+|[kmd]+)$/);
      if (m) reads.set(`${m[1]}:${m[2]}:${args.join(',')}`, { root: BigInt('0x' + m[1]), shape: shapeOfTag(m[2]!), keys: args, value: v });
      return v;
    },
  };
  const ev = new Evaluator(assignment);
  // Every slot written on either side, made concrete.
  const keys = new Map<string, Key>();
  for (const k of [...concreteWrittenKeys(F, o.store, (t) => ev.word(t), MAX_EVAL_WORDS), ...concreteWrittenKeys(F, n.store, (t) => ev.word(t), MAX_EVAL_WORDS)]) {
    keys.set(`${k.root}:${k.shape}:${k.keys.map((x) => ev.word(x)).join(',')}`, k);
  }
  // Through a mapping, a write to one version's place is compared with the other version's place.
  if (views !== undefined) for (const k of withCounterparts(views.map, [...keys.values()])) keys.set(`${k.root}:${k.shape}:${k.keys.map((x) => ev.word(x)).join(',')}`, k);
  const view = (x: Outcome) => (views === undefined ? undefined : x === o ? views.old : views.new);
  const run = (x: Outcome): SideRun => ({
    reverted: ev.word(x.reverted) !== 0n,
    revertData: ev.words(x.revertData),
    returnData: ev.words(x.returnData),
    log: ev.words(x.log),
    calls: ev.words(x.calls),
    shownCalls: shownCalls(F, ev, x),
    storage: [...keys.values()].map((k) => ({ key: k, keyWords: k.keys.map((w) => ev.word(w)), before: ev.word(withPreView(F, view(x), () => readStore(F, null, k))), after: ev.word(withPreView(F, view(x), () => readStore(F, x.store, k))) })),
  });
  const runs = { old: run(o), new: run(n) };
  const mapped = views === undefined ? undefined : mappedReads(F, views, ev, [...mappedSeen.values()], runs.old.storage, runs.new.storage);
  return { ...runs, assignment, reads: [...reads.values()], blockhashes, ...(mapped === undefined ? {} : { mapped }) };
}

export { sameValue };

