import { linkRuntime } from '../frontend/link.ts';
import { immutableSlotsOf, type ImmutableSlots } from '../replay/immutables.ts';
import { mkdir, readFile, realpath, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compileFile, selectContract, type Compilation, type ContractOutput, type SourceUnit } from '../frontend/compile.ts';
import { diagnostic, isPatchproofError, PatchproofError } from '../frontend/errors.ts';
import { lowerContract } from '../ir/lower/contract.ts';
import type { IrContract, IrFunction } from '../ir/types.ts';
import { confirmOnEvm } from '../replay/confirm.ts';
import { proveEquivalence } from '../smt/equivalence.ts';
import { Z3Solver } from '../smt/z3.ts';
import type { SrcLoc } from '../util/loc.ts';
import type { Verdict } from '../verdicts/types.ts';
import { CharLines } from './annotations.ts';
import { collectProperties } from './collect.ts';
import { spanAt, type Span } from './expr.ts';
import { buildCopies, probeText, type PropertyPlan, planProperties, captureTypesFrom } from './plan.ts';
import { type Copy } from './instrument.ts';
import { parseSpecFile } from './specfile.ts';
import { SpecError, type Property, type PropertyEntry, type PropertyResult, type PropertyVerdict, type SpecFile } from './types.ts';

/** Options of `patchproof prove` (and of the property part of `check --spec`). */
export interface ProveOptions {
  readonly file: string;
  readonly contract?: string;
  readonly root?: string;
  readonly cacheDir?: string;
  /** A spec file (specs/*.spec); annotations in the code are always read. */
  readonly specFile?: string;
  /** Already parsed (check parses once for both versions). */
  readonly spec?: SpecFile;
  readonly timeoutMs?: number;
  readonly loopBound?: number;
  readonly solver?: Z3Solver;
  /** A spec-file function missing from this version is an unsupported property, not an error (check's old side). */
  readonly lenient?: boolean;
  /** Write every SMT-LIB2 query solved here as <property>_<entry point>.smt2. */
  readonly dumpSmtDir?: string;
  /** Replaces the collected properties before planning (the migration check builds its own from them). */
  readonly properties?: (collected: readonly Property[]) => Property[];
}

export type PropertiesOverall = 'proved' | 'bounded' | 'violated' | 'vacuous' | 'unknown' | 'unsupported' | 'none';

export interface ProveResult {
  readonly file: string;
  readonly contract: string;
  readonly properties: readonly PropertyResult[];
  readonly overall: PropertiesOverall;
  readonly spec?: SpecFile;
  readonly totalMs: number;
}

/** Reads and parses a spec file; a mistake is a PatchproofError naming file, line and column. */
export async function loadSpec(path: string): Promise<SpecFile> {
  const content = await readFile(path, 'utf8').catch((e: Error) => { throw new PatchproofError('input', `cannot read spec file ${path}: ${e.message}`); });
  return asInputError(() => parseSpecFile(path, content));
}

function asInputError<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof SpecError) throw specInputError(e);
    throw e;
  }
}

function specInputError(e: SpecError): PatchproofError {
  const d = diagnostic({ severity: 'error', code: 'spec', message: e.detail, file: e.loc.file, line: e.loc.line, col: e.loc.col });
  return new PatchproofError('input', `spec error: ${e.message}`, [d]);
}

/** Checks every property of one version. Throws PatchproofError for bad input (spec or code). */
export async function proveProperties(opts: ProveOptions): Promise<ProveResult> {
  const t0 = performance.now();
  const spec = opts.spec ?? (opts.specFile !== undefined ? await loadSpec(opts.specFile) : undefined);
  const comp = await compileFile(opts.file, { root: opts.root, cacheDir: opts.cacheDir });
  const contract = selectContract(comp, opts.contract ?? spec?.contract);
  const unit = comp.sources.get(contract.unit)!;
  const collected = asInputError(() => collectProperties(comp, contract, spec, opts.lenient === true));
  const properties = opts.properties === undefined ? collected.properties : opts.properties(collected.properties);
  const plans = asInputError(() => planProperties(comp, contract, properties));
  const results: PropertyResult[] = collected.unsupported.map((u, i) => ({
    id: `unsupported#${i}`, kind: 'unsupported', expression: u.what, loc: u.loc, entries: [],
    verdict: { kind: 'unsupported', construct: u.what, loc: u.loc },
  }));
  const checkable = plans.filter((p) => p.refused === undefined);
  if (checkable.length > 0) {
    try {
      results.push(...(await proveInstrumented(opts, unit, contract, checkable)));
    } catch (e) {
      if (!(e instanceof InstrumentationFailed)) throw e;
      // Code the instrumentation cannot copy (the contract naming itself, a function used as a value…):
      // every property is unsupported, with solc's complaint mapped back to the original source.
      results.push(...checkable.map((p) => resultOf(p, [], { kind: 'unsupported', construct: `instrumentation: ${e.message}`, loc: e.loc })));
    }
  }
  results.push(...plans.filter((p) => !checkable.includes(p)).map((p) => resultOf(p, [], { kind: 'unsupported', construct: p.refused ?? 'no entry point to check', loc: p.property.loc })));
  results.sort((a, b) => a.loc.file.localeCompare(b.loc.file) || a.loc.line - b.loc.line || a.loc.col - b.loc.col);
  return { file: opts.file, contract: contract.name, properties: results, overall: overallOf(results), ...(spec === undefined ? {} : { spec }), totalMs: performance.now() - t0 };
}

async function proveInstrumented(opts: ProveOptions, unit: SourceUnit, contract: ContractOutput, checkable: readonly PropertyPlan[]): Promise<PropertyResult[]> {
  const abs = await realpath(opts.file);
  const results: PropertyResult[] = [];
  // Pass 1: the types of old(...) values, and solc's verdict on names and types in every expression.
  const probe = asInputError(() => probeText(unit, contract, checkable));
  const probed = await compileInstrumented(opts, abs, probe.text, [{ start: probe.at, spans: probe.spans }], unit, (l) => l);
  asInputError(() => captureTypesFrom(probed, contract, checkable));
  // Pass 2: every copy (base, check, vac per property) in one compilation.
  const copies = asInputError(() => buildCopies(unit, contract, checkable));
  let text = unit.content + '\n';
  const placed: { start: number; copy: Copy }[] = [];
  for (const c of copies) { placed.push({ start: text.length, copy: c }); text += c.text + '\n'; }
  const mapBack = locMapper(unit, text, placed);
  const comp2 = await compileInstrumented(opts, abs, text, placed.map((p) => ({ start: p.start, spans: p.copy.spans })), unit, mapBack);
  const solver = opts.solver ?? (await Z3Solver.start());
  try {
    const lowered = new Map<string, Compiled>();
    const side = (name: string) => {
      let l = lowered.get(name);
      if (l === undefined) {
        const c = comp2.contracts.find((x) => x.name === name && x.unit === unit.path);
        if (c === undefined) throw new Error(`internal error: instrumented contract ${name} missing from the compilation`);
        const ir = lowerContract(comp2, c, opts.loopBound !== undefined ? { loopBound: opts.loopBound } : {});
        // Replays run the linked code with its libraries deployed and the model's immutables written in.
        const { code, libraries } = linkRuntime(comp2, c);
        l = { ir, code, libraries, immutables: immutableSlotsOf(comp2, c, ir) };
        lowered.set(name, l);
      }
      return l;
    };
    const solve = { solver, timeoutMs: opts.timeoutMs ?? 20000, ...(opts.dumpSmtDir === undefined ? {} : { dumpSmtDir: opts.dumpSmtDir }) };
    for (const plan of checkable) results.push(await proveOne(plan, side, solve, mapBack));
  } finally {
    if (!opts.solver) solver.close();
  }
  return results;
}

/** The instrumented unit does not compile for a reason other than a spec expression. */
class InstrumentationFailed extends Error {
  constructor(message: string, readonly loc: SrcLoc) {
    super(message);
  }
}

/** Compiles `text` in place of the contract's unit; a compile error inside printed spec text is a spec error. */
async function compileInstrumented(opts: ProveOptions, abs: string, text: string, regions: readonly { start: number; spans: readonly Span[] }[], unit: SourceUnit, mapBack: (l: SrcLoc) => SrcLoc): Promise<Compilation> {
  try {
    return await compileFile(abs, { root: opts.root, cacheDir: opts.cacheDir, contents: new Map([[unit.absPath, text]]) });
  } catch (e) {
    if (!isPatchproofError(e) || e.kind !== 'compile') throw e;
    const lines = offsetsOf(text);
    for (const d of e.diagnostics) {
      if (d.severity !== 'error' || d.file !== unit.path || d.line === undefined) continue;
      const at = (lines[d.line - 1] ?? 0) + (d.col ?? 1) - 1;
      for (const r of regions) {
        const s = spanAt(r.spans, at - r.start);
        if (s !== undefined) throw specInputError(new SpecError(s.loc, explain(d.message, /^[A-Za-z0-9_$]*/.exec(text.slice(at))?.[0] ?? '')));
      }
    }
    const first = e.diagnostics.find((d) => d.severity === 'error');
    const at = first?.file === unit.path && first.line !== undefined ? mapBack({ file: unit.path, line: first.line, col: first.col ?? 1, astId: -1 }) : { file: first?.file ?? unit.path, line: first?.line ?? 0, col: first?.col ?? 0, astId: -1 };
    throw new InstrumentationFailed(`the instrumented copy does not compile (solc: ${first?.message ?? e.message})`, at);
  }
}

function explain(solcMessage: string, word: string): string {
  const m = /^Undeclared identifier\.?/.exec(solcMessage);
  if (m) return `unknown identifier '${word}' (solc: ${solcMessage}); expected a state variable, a parameter or named return value of the function, a let-bound name, or a Solidity builtin`;
  return `solc rejects the expression: ${solcMessage}`;
}

function offsetsOf(text: string): number[] {
  const out = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') out.push(i + 1);
  return out;
}

/** Locations in the instrumented unit back to the original source (or to the spec expression). */
function locMapper(unit: SourceUnit, text: string, placed: readonly { start: number; copy: Copy }[]): (l: SrcLoc) => SrcLoc {
  const gen = offsetsOf(text);
  const orig = new CharLines(unit.path, unit.content);
  return (l) => {
    if (l.file !== unit.path) return l;
    const at = (gen[l.line - 1] ?? 0) + l.col - 1;
    if (at < unit.content.length) return l;
    for (const p of placed) {
      const rel = at - p.start;
      if (rel < 0 || rel >= p.copy.text.length) continue;
      const run = p.copy.runs.find((r) => r.gen <= rel && rel < r.gen + r.len);
      if (run !== undefined) return { ...orig.loc(run.orig + rel - run.gen), astId: l.astId };
      const s = spanAt(p.copy.spans, rel);
      if (s !== undefined) return s.loc;
      // Generated code (a wrapper or a regenerated header): the original text just before it.
      const before = p.copy.runs.filter((r) => r.gen <= rel).at(-1);
      if (before !== undefined) return { ...orig.loc(before.orig + before.len), astId: l.astId };
    }
    return l;
  };
}

/** One compiled copy of the contract: its IR, and what a replay runs. */
interface Compiled {
  readonly ir: IrContract;
  readonly code: string;
  readonly libraries: ReadonlyMap<bigint, string>;
  readonly immutables: ImmutableSlots | undefined;
}

type Side = (name: string) => Compiled;

function fnOf(ir: IrContract, signature: string): IrFunction {
  const f = ir.functions.find((x) => x.signature === signature);
  if (f === undefined) throw new Error(`internal error: entry point ${signature} missing from ${ir.name}`);
  return f;
}

interface Solve { readonly solver: Z3Solver; readonly timeoutMs: number; readonly dumpSmtDir?: string }

async function compare(id: string, a: Compiled, b: Compiled, signature: string, s: Solve): Promise<{ verdict: Verdict; calls: number }> {
  const { solver, timeoutMs } = s;
  // Summaries would replace the original body (identical in both copies) by uninterpreted functions,
  // which only delays the inlined query the predicate needs.
  const r = await proveEquivalence({ id, oldFn: fnOf(a.ir, signature), newFn: fnOf(b.ir, signature), oldContract: a.ir, newContract: b.ir, solver, timeoutMs, summaries: false }).catch(
    (e: unknown) => ({ verdict: { kind: 'unknown', reason: `patchproof internal error while encoding (please report): ${e instanceof Error ? e.message : String(e)}` } as Verdict, queries: [] }),
  );
  if (s.dumpSmtDir !== undefined && r.queries.length > 0) {
    await mkdir(s.dumpSmtDir, { recursive: true });
    for (const q of r.queries) await writeFile(join(s.dumpSmtDir, `${q.id.replace(/[^A-Za-z0-9_.#-]/g, '_')}.smt2`), q.text);
  }
  const verdict = r.verdict.kind === 'different' && r.verdict.counterexample !== undefined ? await confirmOnEvm(r.verdict, a.code, b.code, 'difference', { old: a.libraries, new: b.libraries }, { old: a.immutables, new: b.immutables }) : r.verdict;
  return { verdict, calls: r.queries.length };
}

async function proveOne(plan: PropertyPlan, side: Side, solve: Solve, mapBack: (l: SrcLoc) => SrcLoc): Promise<PropertyResult> {
  const p = plan.property;
  const [base, check, vac] = [side(plan.copies.base), side(plan.copies.check), side(plan.copies.vac)];
  if (p.kind === 'migration' && plan.satSignature !== undefined) {
    const sat = await compare(`${p.id}:satisfiable`, base, vac, plan.satSignature, solve);
    if (sat.verdict.kind === 'equivalent' && sat.verdict.bound === undefined) {
      return resultOf(plan, [], { kind: 'vacuous', reason: "no state satisfies the old version's invariants (from any storage, they are false or revert)" });
    }
  }
  if (p.kind === 'invariant') {
    const sat = await compare(`${p.id}:satisfiable`, base, vac, plan.satSignature!, solve);
    if (sat.verdict.kind === 'equivalent' && sat.verdict.bound === undefined) {
      return resultOf(plan, [], { kind: 'vacuous', reason: 'no state satisfies the invariant (from any storage, the expression is false or reverts)' });
    }
    if (plan.entries.length === 0) {
      // Nothing can change state: the invariant is preserved, provided some state satisfies it.
      return resultOf(plan, [], sat.verdict.kind === 'different' ? { kind: 'proved' } : { kind: 'unknown', reason: `no entry point can change state, but whether any state satisfies the invariant is undecided (${describeVerdict(sat.verdict)})` });
    }
  }
  const entries: PropertyEntry[] = [];
  for (const e of plan.entries) {
    const t0 = performance.now();
    if (e.refused !== undefined) {
      entries.push({ entryPoint: e.signature, verdict: { kind: 'unsupported', construct: e.refused, loc: e.loc }, solverCalls: 0, durationMs: 0 });
      continue;
    }
    const main = await compare(`${p.id}:${e.signature}`, base, check, e.signature, solve);
    let verdict = entryVerdict(main.verdict, e.signature, mapBack);
    let calls = main.calls;
    if (verdict.kind === 'proved') {
      const v = await compare(`${p.id}:${e.signature}:vacuity`, base, vac, e.signature, solve);
      calls += v.calls;
      const assumed = p.kind === 'invariant' ? ' from a state satisfying the invariant' : p.kind === 'migration' && p.assume !== undefined ? " from a state satisfying the old version's invariants" : '';
      if (v.verdict.kind === 'equivalent' && v.verdict.bound === undefined) verdict = { kind: 'vacuous', reason: `no call of ${e.signature} succeeds${assumed}` };
      else if (v.verdict.kind !== 'different') verdict = { kind: 'unknown', reason: `the property holds, but whether any call of ${e.signature} succeeds${assumed} is undecided (${describeVerdict(v.verdict)})` };
    }
    entries.push({ entryPoint: e.signature, verdict, solverCalls: calls, durationMs: performance.now() - t0 });
  }
  return resultOf(plan, entries, combine(entries));
}

function describeVerdict(v: Verdict): string {
  switch (v.kind) {
    case 'equivalent': return 'no call succeeds within the loop bound; longer runs were not explored';
    case 'different': return v.reason;
    case 'unknown': return v.reason;
    case 'unsupported': return `unsupported: ${v.construct}`;
    // Not produced by a plain equivalence comparison (no relation is passed), described all the same.
    case 'refines': return 'the versions refine each other';
    case 'vacuous': return v.reason;
  }
}

/** The base/check comparison of one entry point as a property verdict. */
function entryVerdict(v: Verdict, signature: string, mapBack: (l: SrcLoc) => SrcLoc): PropertyVerdict {
  switch (v.kind) {
    case 'equivalent':
      return v.bound === undefined ? { kind: 'proved' } : { kind: 'proved', bound: { ...v.bound, exhaustedAt: mapBack(v.bound.exhaustedAt) } };
    case 'different': {
      const cex = v.counterexample;
      const rev = cex?.new.revert?.description ?? '';
      const reason = v.reason.startsWith('differs under reentrancy')
        ? `violated when a callee re-enters: ${v.reason}`
        : /__pp_violation/.test(rev)
          ? `${signature} succeeds and the property is false afterwards`
          : `${signature} succeeds but evaluating the property reverts (${rev || v.reason})`;
      return { kind: 'violated', entryPoint: signature, reason, ...(cex === undefined ? {} : { counterexample: cex }) };
    }
    case 'unknown':
      return { kind: 'unknown', reason: v.reason, ...(v.counterexample === undefined ? {} : { counterexample: v.counterexample }) };
    case 'unsupported':
      return { kind: 'unsupported', construct: v.construct, loc: mapBack(v.loc) };
    // A plain equivalence comparison (no relation) never yields these; never read them as a proof.
    case 'refines':
      return { kind: 'unknown', reason: `unexpected relation verdict 'refines' for ${signature}` };
    case 'vacuous':
      return { kind: 'vacuous', reason: v.reason };
  }
}

/** violated > unsupported > unknown > proved (bounded); all entries vacuous: vacuous. */
function combine(entries: readonly PropertyEntry[]): PropertyVerdict {
  const vs = entries.map((e) => e.verdict);
  const first = <K extends PropertyVerdict['kind']>(k: K) => vs.find((v): v is Extract<PropertyVerdict, { kind: K }> => v.kind === k);
  const found = first('violated') ?? first('unsupported') ?? first('unknown');
  if (found !== undefined) return found;
  if (vs.length > 0 && vs.every((v) => v.kind === 'vacuous')) {
    return vs.length === 1 ? vs[0]! : { kind: 'vacuous', reason: 'no entry point that can change state succeeds from a state satisfying the invariant' };
  }
  const bounded = vs.find((v) => v.kind === 'proved' && v.bound !== undefined);
  return bounded ?? { kind: 'proved' };
}

function resultOf(plan: PropertyPlan, entries: readonly PropertyEntry[], verdict: PropertyVerdict): PropertyResult {
  const p = plan.property;
  return {
    id: p.id, kind: p.kind, expression: p.source, ...(p.msg === undefined ? {} : { msg: p.msg }), loc: p.loc,
    ...(p.fn === undefined ? {} : { fn: plan.entries[0]?.signature ?? p.fn.name }), verdict, entries,
  };
}

export function overallOf(results: readonly PropertyResult[]): PropertiesOverall {
  const kinds = results.map((r) => r.verdict.kind);
  if (kinds.length === 0) return 'none';
  for (const k of ['violated', 'unsupported', 'unknown', 'vacuous'] as const) if (kinds.includes(k)) return k;
  return results.some((r) => r.verdict.kind === 'proved' && r.verdict.bound !== undefined) ? 'bounded' : 'proved';
}

export type { ContractOutput };
