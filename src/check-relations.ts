import type { ImmutableSlots } from './replay/immutables.ts';
import type { StateMap } from './obligations/statemap.ts';
import type { IrContract, IrFunction } from './ir/types.ts';
import type { CheckMode, ConditionSpec, EntrySpecs } from './obligations/relations.ts';
import { confirmOnEvm, type Expectation, type Libraries } from './replay/confirm.ts';
import { proveEquivalence, type QueryRecord, type RelationGoal } from './smt/equivalence.ts';
import { findWitness, type WitnessResult } from './smt/witness.ts';
import type { Z3Solver } from './smt/z3.ts';
import type { SrcLoc } from './util/loc.ts';
import { assertNever } from './util/assert.ts';
import type { LoopBound, ObligationKind, ObligationVerdictKind, PropertyResult, PropertyVerdict, Verdict } from './verdicts/types.ts';

/**
 * The obligations of one entry point beyond plain equivalence, and how their answers make its verdict:
 *
 * - relation (`--mode fix`): equivalence is tried first (`equivalent` is the stronger claim); otherwise
 *   `refines` is refuted or proved, and a proof is `vacuous` when no input lets the new version succeed.
 * - intended changes (`differs-only-when C`): outside every C the versions are equivalent (refine, in fix
 *   mode), inside each C the new version reverts; proved, that is `refines` (with the conditions).
 * - exploit conditions (`blocks C`, a property): the new version reverts whenever C; `vacuous` unless the
 *   old version succeeds on some input satisfying C (shown as the witness).
 * - asserts (a property, fix mode or `--asserts`): no input reaches a failing `assert` of the new version,
 *   except where a blocks/differs-only-when condition holds (there the new version must revert anyway, and
 *   a failing assert is one way to). A failing assert the old version shares is still a violation.
 */

export interface EntryContext {
  readonly id: string;
  readonly oldFn: IrFunction;
  readonly newFn: IrFunction;
  readonly oldContract: IrContract;
  readonly newContract: IrContract;
  readonly oldCode: string;
  readonly newCode: string;
  /** Runtime code of the external libraries each version links (deployed for replays). */
  readonly libraries?: Libraries;
  /** Where each version's runtime code holds its immutables (replays write the model's values there). */
  readonly immutables?: { readonly old?: ImmutableSlots; readonly new?: ImmutableSlots };
  readonly solver: Z3Solver;
  readonly timeoutMs: number;
  readonly summaries: boolean;
  readonly mode: CheckMode;
  readonly specs: EntrySpecs;
  /** The lowered condition of each spec (obligations/conditions.ts). */
  readonly conditions: ReadonlyMap<ConditionSpec, IrFunction>;
  readonly checkAsserts: boolean;
  /** Moved or retyped variables storage is related through (src/obligations/statemap.ts). */
  readonly stateMap?: StateMap;
}

export interface EntryOutcome {
  readonly verdict: Verdict;
  readonly properties: readonly PropertyResult[];
  readonly obligations: readonly { readonly id: string; readonly kind: ObligationKind; readonly verdict: ObligationVerdictKind; readonly deciding?: QueryRecord; readonly durationMs: number }[];
  readonly queries: readonly QueryRecord[];
  readonly encodeMs: number;
}

/** Whether this entry point needs anything beyond the plain equivalence check. */
export function needsRelations(ctx: Pick<EntryContext, 'mode' | 'specs' | 'checkAsserts' | 'newFn'>): boolean {
  return ctx.mode === 'fix' || ctx.specs.blocks.length > 0 || ctx.specs.differsOnlyWhen.length > 0 || (ctx.checkAsserts && hasAsserts(ctx.newFn));
}

export async function checkRelations(ctx: EntryContext): Promise<EntryOutcome> {
  const queries: QueryRecord[] = [];
  const obligations: EntryOutcome['obligations'][number][] = [];
  let encodeMs = 0;
  const sig = ctx.newFn.signature;

  const prove = async (kind: ObligationKind, id: string, goal: RelationGoal): Promise<{ verdict: Verdict; at?: SrcLoc }> => {
    const t0 = performance.now();
    const r = await proveEquivalence({ id, oldFn: ctx.oldFn, newFn: ctx.newFn, oldContract: ctx.oldContract, newContract: ctx.newContract, solver: ctx.solver, timeoutMs: ctx.timeoutMs, summaries: ctx.summaries, relation: goal, ...(ctx.stateMap ? { stateMap: ctx.stateMap } : {}) }).catch(
      (e: unknown): Awaited<ReturnType<typeof proveEquivalence>> => ({ verdict: { kind: 'unknown', reason: `patchproof internal error while encoding (please report): ${e instanceof Error ? e.message : String(e)}` }, queries: [], encodeMs: 0 }),
    );
    const verdict = r.verdict.kind === 'different' && r.verdict.counterexample !== undefined ? await confirmOnEvm(r.verdict, ctx.oldCode, ctx.newCode, expectation(goal), ctx.libraries, ctx.immutables) : r.verdict;
    queries.push(...r.queries);
    encodeMs += r.encodeMs;
    obligations.push({ id, kind, verdict: verdict.kind, ...(r.queries.length ? { deciding: r.queries.at(-1)! } : {}), durationMs: performance.now() - t0 });
    return { verdict, ...(r.at ? { at: r.at } : {}) };
  };
  const witness = async (id: string, want: 'new-succeeds' | 'old-succeeds' | 'reachable', where: RelationGoal['where']): Promise<WitnessResult> => {
    const r = await findWitness({ id, oldFn: ctx.oldFn, newFn: ctx.newFn, oldContract: ctx.oldContract, newContract: ctx.newContract, solver: ctx.solver, timeoutMs: ctx.timeoutMs, want, ...(where ? { where } : {}), ...(ctx.stateMap ? { stateMap: ctx.stateMap } : {}) });
    queries.push(...r.queries);
    return r.result;
  };
  const fn = (c: ConditionSpec): IrFunction => ctx.conditions.get(c)!;
  const loopy = [...ctx.specs.blocks, ...ctx.specs.differsOnlyWhen].find((c) => (fn(c).loops?.length ?? 0) > 0);
  if (loopy) {
    const verdict: Verdict = { kind: 'unsupported', construct: `a condition with a loop (${loopy.text})`, loc: fn(loopy).loc };
    return { verdict, properties: [], obligations, queries, encodeMs };
  }

  const verdict = await relationVerdict();
  const properties: PropertyResult[] = [];
  for (const [k, c] of ctx.specs.blocks.entries()) properties.push({ kind: 'blocks', text: c.text, origin: c.origin, verdict: await blocks(k, c) });
  if (ctx.checkAsserts && hasAsserts(ctx.newFn)) {
    const where = [...ctx.specs.blocks, ...ctx.specs.differsOnlyWhen].map((c) => ({ fn: fn(c), holds: false, version: c.version }));
    const r = await prove('asserts', `asserts:${sig}`, { compare: 'assert-fails', where });
    const text = where.length ? 'no assert of the new version fails (outside the blocks/differs-only-when conditions)' : 'no assert of the new version fails';
    properties.push({ kind: 'asserts', text, verdict: property(r.verdict, r.at) });
  }
  return { verdict, properties, obligations, queries, encodeMs };

  async function relationVerdict(): Promise<Verdict> {
    const plain = await prove('equivalence', `equivalence:${sig}`, { compare: 'equivalence' });
    const { differsOnlyWhen } = ctx.specs;
    if (plain.verdict.kind === 'equivalent' || plain.verdict.kind === 'unsupported') return plain.verdict;
    if (ctx.mode === 'equivalence' && differsOnlyWhen.length === 0) return plain.verdict;
    const compare = ctx.mode === 'fix' ? 'refines' : 'equivalence';
    if (differsOnlyWhen.length > 0) {
      for (const [k, c] of differsOnlyWhen.entries()) {
        const w = await witness(`differs-only-when:${sig}#satisfiable.${k}`, 'reachable', [{ fn: fn(c), holds: true, version: c.version }]);
        if (w.kind === 'none') return { kind: 'vacuous', reason: `the intended-change condition \`${c.text}\` holds for no input` };
      }
      const outside = await prove('differs-only-when', `differs-only-when:${sig}#outside`, { compare, where: differsOnlyWhen.map((c) => ({ fn: fn(c), holds: false, version: c.version })) });
      if (outside.verdict.kind === 'different') return { ...outside.verdict, reason: `outside the intended change (${differsOnlyWhen.map((c) => `\`${c.text}\``).join(' or ')} false): ${outside.verdict.reason}` };
      if (outside.verdict.kind !== 'equivalent') return outside.verdict;
      let bound = outside.verdict.bound;
      for (const [k, c] of differsOnlyWhen.entries()) {
        const inside = await prove('differs-only-when', `differs-only-when:${sig}#inside.${k}`, { compare: 'new-succeeds', where: [{ fn: fn(c), holds: true, version: c.version }] });
        if (inside.verdict.kind === 'different') return { ...inside.verdict, reason: `inside the intended change \`${c.text}\` the new version must revert, but ${inside.verdict.reason}` };
        if (inside.verdict.kind !== 'equivalent') return inside.verdict;
        bound = bound ?? inside.verdict.bound;
      }
      return { kind: 'refines', how: outside.verdict.how, ...(bound ? { bound } : {}), intended: differsOnlyWhen.map((c) => c.text) };
    }
    // Fix mode, no intended change: an equivalence counterexample on which the new version succeeds
    // refutes refinement too (it was confirmed on the EVM already).
    const p = plain.verdict;
    if (p.kind === 'different' && p.counterexample !== undefined && p.counterexample.reentrancy === undefined && p.counterexample.new.status === 'success') {
      const reason = p.counterexample.old.status === 'revert' ? 'the new version succeeds where the old one reverts' : `both versions succeed and differ in ${p.counterexample.differs.join(', ')}`;
      return { ...p, reason };
    }
    const ref = await prove('refines', `refines:${sig}`, { compare: 'refines' });
    if (ref.verdict.kind !== 'equivalent') return ref.verdict;
    const w = await witness(`refines:${sig}#vacuity`, 'new-succeeds', undefined);
    if (w.kind === 'none') return { kind: 'vacuous', reason: 'the new version reverts on every input (within the loop bound): refines holds only because nothing succeeds' };
    if (w.kind === 'unknown') return { kind: 'unknown', reason: `refines holds, but whether the new version can succeed at all is undecided (${w.reason})` };
    return { kind: 'refines', how: ref.verdict.how, ...(ref.verdict.bound ? { bound: ref.verdict.bound } : {}) };
  }

  async function blocks(k: number, c: ConditionSpec): Promise<PropertyVerdict> {
    const holds = [{ fn: fn(c), holds: true, version: c.version }];
    const r = await prove('blocks', `blocks:${sig}#${k}`, { compare: 'new-succeeds', where: holds });
    if (r.verdict.kind === 'different') return { kind: 'violated', reason: `where the condition holds ${r.verdict.reason}; it must revert`, ...(r.verdict.counterexample ? { counterexample: r.verdict.counterexample } : {}) };
    if (r.verdict.kind !== 'equivalent') return property(r.verdict);
    const w = await witness(`blocks:${sig}#${k}.old-succeeds`, 'old-succeeds', holds);
    if (w.kind === 'found') return { kind: 'proved', how: r.verdict.how, ...(r.verdict.bound ? { bound: r.verdict.bound } : {}), witness: w.witness };
    if (w.kind === 'unknown') return { kind: 'unknown', reason: `the new version reverts whenever the condition holds, but whether the old version ever succeeds there is undecided (${w.reason})` };
    const any = await witness(`blocks:${sig}#${k}.satisfiable`, 'reachable', holds);
    return { kind: 'vacuous', reason: any.kind === 'none' ? 'no input satisfies the condition' : 'the old version already reverts whenever the condition holds: there is nothing to block' };
  }
}

/** A relation query's verdict read as a property's: `equivalent` means no input violates it. */
function property(v: Verdict, at?: SrcLoc): PropertyVerdict {
  switch (v.kind) {
    case 'equivalent':
      return { kind: 'proved', how: v.how, ...(v.bound ? { bound: v.bound as LoopBound } : {}) };
    case 'different':
      return { kind: 'violated', reason: v.reason, ...(at ? { at } : {}), ...(v.counterexample ? { counterexample: v.counterexample } : {}) };
    case 'unknown':
      return v;
    case 'unsupported':
      return v;
    case 'refines':
    case 'vacuous':
      return { kind: 'unknown', reason: `unexpected ${v.kind} answer to a property query (a patchproof bug)` };
    default:
      return assertNever(v, 'verdict');
  }
}

function expectation(goal: RelationGoal): Expectation {
  return goal.compare === 'equivalence' ? 'difference' : goal.compare === 'assert-fails' ? 'new-panics-01' : goal.compare;
}

/** Whether the function has an `assert` (its failure is the only source of Panic(0x01) revert data in the IR). */
export function hasAsserts(f: IrFunction): boolean {
  if (!f.body.ok) return false;
  return f.body.blocks.some((b) => (b.term.kind === 'revert' && b.term.data.description === 'Panic(0x01)') || b.instrs.some((i) => i.kind === 'guard' && i.revert.description === 'Panic(0x01)'));
}

/** Whether the function makes external calls (a re-entrant callee may call back into the contract). */
export function makesCalls(f: IrFunction): boolean {
  return f.body.ok && f.body.blocks.some((b) => b.instrs.some((i) => i.kind === 'call'));
}
