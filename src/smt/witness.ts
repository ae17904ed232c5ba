import { sha256Hex } from '../util/hash.ts';
import type { Counterexample } from '../verdicts/types.ts';
import { describeCounterexample } from './cex.ts';
import { assignmentOf, conditionScope, evaluates, reachesOf, runBoth, worldOf, type EquivalenceInput, type QueryRecord, type RelationGoal } from './equivalence.ts';
import { viewsOf } from './statemap.ts';
import { withPreView } from './storage.ts';
import { keccakAxioms } from './keccak.ts';
import { concreteSearch, Refinement } from './models.ts';
import { toSmtLib } from './smtlib.ts';
import { checksCode, symexec } from './symexec.ts';
import { TermFactory } from './term.ts';
import { entryBalances } from './balances.ts';

/**
 * Vacuity checks: is there an input (restricted by conditions) on which the new version succeeds, the
 * old version succeeds, or that merely reaches the entry point? A witness counts only when exact
 * evaluation (real keccak, exact arithmetic) confirms the model, so `found` is never an artefact of
 * the abstractions; `none` is an unsatisfiable over-approximation, so nothing can satisfy it.
 */
export type WitnessResult =
  | { readonly kind: 'found'; readonly witness: Counterexample }
  | { readonly kind: 'none' }
  | { readonly kind: 'unknown'; readonly reason: string };

export interface WitnessInput extends Omit<EquivalenceInput, 'relation' | 'summaries'> {
  readonly want: 'new-succeeds' | 'old-succeeds' | 'reachable';
  readonly where?: RelationGoal['where'];
}

export async function findWitness(inp: WitnessInput): Promise<{ result: WitnessResult; queries: QueryRecord[] }> {
  const queries: QueryRecord[] = [];
  for (const f of [inp.oldFn, inp.newFn, ...(inp.where ?? []).map((w) => w.fn)]) {
    if (!f.body.ok) return { result: { kind: 'unknown', reason: `${f.body.unsupported.construct} is not modelled` }, queries };
  }
  const F = new TermFactory();
  // Through a state mapping each version (and each condition) reads its own view of the storage.
  const views = viewsOf(F, inp.stateMap);
  const codeless = checksCode(inp.oldFn, inp.newFn);
  const o = withPreView(F, views?.old, () => symexec(inp.oldFn, F, { codeless }));
  const n = withPreView(F, views?.new, () => symexec(inp.newFn, F, { codeless }));
  const scope = conditionScope(F, inp.where ?? [], views);
  const core = inp.want === 'new-succeeds' ? F.and(F.not(n.reverted), F.not(n.exhausted)) : inp.want === 'old-succeeds' ? F.and(F.not(o.reverted), F.not(o.exhausted)) : F.TRUE;
  const unaxiomed = F.and(core, scope, worldOf(F, inp.oldFn, inp.newFn), reachesOf(F, inp.newFn));
  if (unaxiomed === F.FALSE) return { result: { kind: 'none' }, queries };
  const literals = new Map([...(inp.oldContract.literalHashes ?? []), ...(inp.newContract.literalHashes ?? [])]);
  const goal = F.and(unaxiomed, ...keccakAxioms(F, unaxiomed, literals));
  let reason = 'the solver found no input that exact evaluation confirms';
  // The abstraction, the exact query, then the exact query with what exact evaluation taught about
  // keccak256 and the precompiles at the inputs a model chose (models.ts Refinement).
  // A pinned stage (inputs fixed to a refuted model's) is a search hint: its unsat proves nothing.
  const refinement = new Refinement(F, goal);
  for (let si = 0; si < refinement.stages.length; si++) {
    const stage = refinement.stages[si]!;
    const { text } = toSmtLib(refinement.query(stage), { abstractNonlinear: stage.abstractNonlinear });
    const r = await inp.solver.solve(text, inp.timeoutMs);
    queries.push({ id: `${inp.id}${stage.suffix}`, text, sha256: sha256Hex(text), status: r.status, ms: r.ms });
    if (stage.pins !== undefined && r.status !== 'sat') continue;
    if (r.status === 'unsat') return { result: { kind: 'none' }, queries };
    if (r.status === 'unknown') {
      reason = `solver: ${r.reason}`;
      continue;
    }
    const model = assignmentOf(r.model);
    const found = evaluates(goal, model) ? model : concreteSearch(goal, model);
    if (found) {
      const runs = { ...runBoth(F, o, n, found, views), balances: entryBalances(F, [o, n], found) };
      return { result: { kind: 'found', witness: describeCounterexample(inp, runs) }, queries };
    }
    refinement.learn(model);
    if (refinement.stoppedBy === 'limit') reason = `undecided after ${Refinement.ROUNDS} rounds of refinement: each model the solver found rests on keccak256 or precompile answers the real functions do not give`;
  }
  return { result: { kind: 'unknown', reason }, queries };
}
