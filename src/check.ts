import { bugsOf, optimizerSettings } from './ir/lower/solcbugs.ts';
import { shortVersion } from './frontend/compilers.ts';
import { immutableSlotsOf } from './replay/immutables.ts';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type { CheckOptions, CheckResult, SideInfo } from './api.ts';
import { compileFile, selectContract, type Compilation, type ContractOutput } from './frontend/compile.ts';
import { PatchproofError } from './frontend/errors.ts';
import { keccakHex, hexToBytes } from './util/hash.ts';
import { lowerContract } from './ir/lower/contract.ts';
import type { IrContract, IrFunction } from './ir/types.ts';
import { equivalenceObligations } from './obligations/equivalence.ts';
import { proveEquivalence } from './smt/equivalence.ts';
import { Z3Solver } from './smt/z3.ts';
import { overallVerdict, type EntryPointResult, type ObligationRecord } from './verdicts/types.ts';
import { confirmOnEvm, libraryCode } from './replay/confirm.ts';
import { linkRuntime } from './frontend/link.ts';
import { affectedBy } from './upgrade/affected.ts';
import { checkRelations, makesCalls, needsRelations } from './check-relations.ts';
import { lowerConditions } from './obligations/conditions.ts';
import { describeCondition, resolveEntryPoint, specsFor, type CheckMode, type ConditionSpec } from './obligations/relations.ts';
import type { Finding } from './upgrade/finding.ts';
import { analyzeUpgrade, type UpgradeInput, type UpgradeReport } from './upgrade/index.ts';
import { upgradeVerdict } from './upgrade/finding.ts';
import { layoutReport } from './upgrade/layout/index.ts';
import { annotatedMappings, checkStateMappings } from './spec/mapping.ts';
import type { StateMap } from './obligations/statemap.ts';

export type { CheckOptions, CheckResult } from './api.ts';

const pkg = createRequire(import.meta.url)('../package.json') as { version: string };
export const TOOL_VERSION: string = pkg.version;

/** What every verdict rests on; printed in reports and recorded in the certificate. */
export const ASSUMPTIONS: readonly string[] = [
  'Gas is not compared: two versions that differ only in gas use are equivalent.',
  'Gas is not modelled: gasleft() reads the same value in both versions at the same point (after the same external calls, and the same number of gasleft() reads since the last of them), and a callee answers alike whatever gas it is left with beyond an explicit {gas: g}. Real gas use differs between versions, so a verdict on code whose behaviour depends on gasleft() holds only under this assumption.',
  'keccak256 is injective, and hashed slots (mapping entries, array elements, long string data) never collide with each other or with fixed slots (the assumption of solc\'s storage layout).',
  'The pre-state is arbitrary: any storage contents, balance, sender, value, origin, block values and calldata, the same in both versions.',
  'External callees are arbitrary but the same for both versions: their answers depend on the calls made so far, and after a call with more than the stipend a re-entrant caller may have changed any storage and moved ether between any accounts. Where an address is checked for code, one without code that is not a precompile (0x01–0x0a) answers every call with success and no data (the call depth limit is never reached).',
  'Immutables with the same name and type hold the same value in both versions.',
  'Semantics follow solc\'s legacy code generator (evaluation order of operands), as compiled here. Constructs that a known bug of the compiler release can reach (solc\'s published bug list, releases up to 0.8.36) are unsupported; bugs found later are not accounted for.',
  'The upgrade report treats the new version as the next implementation behind a proxy that keeps the old version\'s storage.',
];

type Prebuilt = NonNullable<CheckOptions['prebuilt']>['old'];

interface Side {
  readonly comp: Compilation;
  readonly contract: ContractOutput;
  readonly ir: IrContract;
  readonly info: SideInfo;
}

async function loadSide(file: string, name: string | undefined, root: string | undefined, cacheDir: string | undefined, loopBound: number | undefined, pre?: Prebuilt): Promise<Side> {
  const t0 = performance.now();
  const comp = pre?.comp ?? (await compileFile(file, { root, cacheDir }));
  const contract = pre?.contract ?? selectContract(comp, name);
  const compileMs = performance.now() - t0;
  const ir = lowerContract(comp, contract, loopBound !== undefined ? { loopBound } : {});
  // Runtime code calling external libraries is linked against the libraries of the same compilation.
  const { code, libraries } = linkRuntime(comp, contract);
  const slots = immutableSlotsOf(comp, contract, ir);
  const bugs = bugsOf(shortVersion(comp.solcVersion) ?? '0.0.0', optimizerSettings(comp.settings)).map((b) => b.name);
  return {
    comp,
    contract,
    ir,
    info: {
      file,
      contract: contract.name,
      sources: [...comp.sources.values()].map((s) => ({ path: s.path, sha256: s.sha256 })),
      runtimeKeccak: keccakHex(hexToBytes(code.slice(2))),
      runtimeBytecode: code,
      inputSha256: comp.inputSha256,
      immutableRanges: Object.values(contract.immutableReferences ?? {}).flat().sort((a, b) => a.start - b.start),
      ...(slots?.size ? { immutableSlots: [...slots].map(([name, s]) => ({ name, type: s.type, starts: s.starts })) } : {}),
      ...(libraries.size ? { libraries: [...libraries].map(([at, c]) => ({ address: '0x' + at.toString(16).padStart(40, '0'), runtimeBytecode: c })) } : {}),
      compilerVersion: comp.solcVersion,
      ...(bugs.length ? { compilerBugs: bugs } : {}),
      compileMs,
    },
  };
}

/**
 * Compiles both versions, lowers them, and proves or refutes equivalence at every entry point.
 * Throws PatchproofError for bad input; every other outcome is a verdict.
 */
export async function checkPatch(opts: CheckOptions): Promise<CheckResult> {
  const t0 = performance.now();
  const timeoutMs = opts.timeoutMs ?? 20000;
  if (!(timeoutMs > 0)) throw new PatchproofError('usage', `--timeout must be a positive number of milliseconds, got ${opts.timeoutMs}`);
  if (opts.loopBound !== undefined && !(Number.isInteger(opts.loopBound) && opts.loopBound >= 1 && opts.loopBound <= 64)) {
    throw new PatchproofError('usage', `--loop-bound must be an integer from 1 to 64, got ${opts.loopBound}`);
  }
  if (opts.prebuilt !== undefined && (opts.relations?.length ?? 0) > 0) throw new PatchproofError('usage', '--blocks and --differs-only-when need source files, not build-info');
  const oldSide = await loadSide(opts.oldFile, opts.oldContract ?? opts.contract, opts.oldRoot, opts.cacheDir, opts.loopBound, opts.prebuilt?.old);
  const newSide = await loadSide(opts.newFile, opts.newContract ?? opts.contract, opts.newRoot, opts.cacheDir, opts.loopBound, opts.prebuilt?.new);
  opts.onProgress?.({ kind: 'compiled', oldMs: oldSide.info.compileMs, newMs: newSide.info.compileMs });
  const upgradeInput: UpgradeInput = { old: { compilation: oldSide.comp, contract: oldSide.contract }, new: { compilation: newSide.comp, contract: newSide.contract } };
  // Moved or retyped variables the entry points are proved through (a rename in place needs nothing).
  const declared = [...(opts.stateMappings ?? []), ...annotatedMappings(newSide.comp, newSide.contract, oldSide.contract, opts.stateMappings ?? [])];
  const stateMap: StateMap = checkStateMappings(declared, oldSide.contract, newSide.contract).flatMap((m) => (m.through === undefined ? [] : [m.through]));
  const upgrade = accountedFor(analyzeUpgrade(upgradeInput), stateMap);
  const layoutBreaks = affectedBy(newSide.comp, newSide.contract, mappedAway(layoutReport(upgradeInput).disturbed, stateMap));
  const through = stateMap.length === 0 ? undefined : stateMap.map((m) => `${m.text}${m.assumption === undefined ? '' : ` (assuming ${m.assumption})`}`);
  const mode = opts.mode ?? 'equivalence';
  const signatures = new Set([...oldSide.ir.functions, ...newSide.ir.functions].map((f) => f.signature));
  // Where each version's runtime code holds its immutables, so replays can set the model's values.
  const slotsOf = (s: Side) => (s.info.immutableSlots === undefined ? immutableSlotsOf(s.comp, s.contract, s.ir) : new Map(s.info.immutableSlots.map((x) => [x.name, x])));
  const immutables = { old: slotsOf(oldSide), new: slotsOf(newSide) };
  // Entry points may be named by a bare function name (spec files): each resolves to one signature.
  const relations = (opts.relations ?? []).map((r) => ({ ...r, condition: { ...r.condition, entryPoint: resolveEntryPoint(r.condition.entryPoint, signatures, describeCondition(r.condition)) } }));
  const entryModes = new Map<string, CheckMode>();
  for (const r of opts.entryRelations ?? []) {
    const sig = resolveEntryPoint(r.entryPoint, signatures, `${r.origin.source}:${r.origin.line}:${r.origin.col}: relation for ${r.entryPoint}`);
    if (entryModes.has(sig) && entryModes.get(sig) !== r.mode) throw new PatchproofError('usage', `${r.origin.source}:${r.origin.line}:${r.origin.col}: ${sig} is given two relations (equivalent and refines)`);
    entryModes.set(sig, r.mode);
  }
  const oldSigs = new Set(oldSide.ir.functions.map((f) => f.signature));
  const newSigs = new Set(newSide.ir.functions.map((f) => f.signature));
  const intended = new Map<string, string>();
  for (const c of opts.intended ?? []) {
    const at = `${c.origin.source}:${c.origin.line}:${c.origin.col}`;
    const sig = resolveEntryPoint(c.entryPoint, signatures, `${at}: ${c.kind} ${c.entryPoint}`);
    const [mine, other] = c.kind === 'added' ? [newSigs, oldSigs] : [oldSigs, newSigs];
    if (!mine.has(sig) || other.has(sig)) {
      const where = oldSigs.has(sig) && newSigs.has(sig) ? 'both versions have it' : `only the ${mine.has(sig) ? 'new' : 'old'} version has it`;
      throw new PatchproofError('usage', `${at}: ${c.kind} ${sig}: ${where}, so it was not ${c.kind}; an intended ${c.kind === 'added' ? 'addition is an entry point only the new' : 'removal is an entry point only the old'} version has`);
    }
    intended.set(sig, at);
  }
  const conditions = new Map<ConditionSpec, IrFunction>();
  for (const [side, file, root] of [[oldSide, opts.oldFile, opts.oldRoot], [newSide, opts.newFile, opts.newRoot]] as const) {
    const mine = relations.map((r) => r.condition).filter((c) => c.version === (side === oldSide ? 'old' : 'new'));
    const lowered = await lowerConditions(mine, side.comp, side.contract, { file, root, cacheDir: opts.cacheDir, contract: side.contract.name, ...(opts.loopBound !== undefined ? { loopBound: opts.loopBound } : {}) });
    for (const l of lowered) conditions.set(l.spec, l.fn);
  }
  const dump = async (qs: readonly { id: string; text: string }[]) => {
    if (!opts.dumpSmtDir || qs.length === 0) return;
    await mkdir(opts.dumpSmtDir, { recursive: true });
    for (const q of qs) await writeFile(join(opts.dumpSmtDir, `${q.id.replace(/[^A-Za-z0-9_.#-]/g, '_')}.smt2`), q.text);
  };
  const solver = opts.solver ?? (await Z3Solver.start());
  const entryPoints: EntryPointResult[] = [];
  const obligations: ObligationRecord[] = [];
  const queries = new Map<string, string>();
  let encodeMs = 0;
  let solveMs = 0;
  const todo = equivalenceObligations(oldSide.ir, newSide.ir);
  const progress = opts.onProgress;
  const pushEntry = (e: EntryPointResult) => {
    entryPoints.push(e);
    progress?.({ kind: 'entry-done', index: entryPoints.length, total: todo.length, signature: e.signature, verdict: e.verdict.kind, ms: e.durationMs, solverCalls: e.solverCalls });
  };
  try {
    for (const ob of todo) {
      const s0 = performance.now();
      progress?.({ kind: 'entry-start', index: entryPoints.length + 1, total: todo.length, signature: ob.kind === 'one-sided' ? ob.fn.signature : ob.newFn.signature });
      if (ob.kind === 'one-sided') {
        const removed = oldSide.ir.functions.includes(ob.fn);
        const declared = intended.get(ob.fn.signature);
        const reason = declared === undefined ? ob.reason : `${ob.reason}; intended (${declared})`;
        pushEntry({ ...entry(ob.fn, { kind: 'different', reason }, 0, 0), onlyIn: removed ? 'old' : 'new', ...(removed ? { oldLocation: ob.fn.loc } : {}), ...(declared === undefined ? {} : { intendedBy: declared }) });
        obligations.push({ id: ob.id, kind: 'equivalence', entryPoint: ob.fn.signature, verdict: 'different', durationMs: 0 });
        continue;
      }
      const specs = specsFor(relations, ob.newFn.signature);
      const rctx = { id: ob.id, oldFn: ob.oldFn, newFn: ob.newFn, oldContract: oldSide.ir, newContract: newSide.ir, oldCode: oldSide.info.runtimeBytecode, newCode: newSide.info.runtimeBytecode, libraries: { old: libraryCode(oldSide.info), new: libraryCode(newSide.info) }, immutables, solver, timeoutMs, summaries: opts.summaries !== false, mode: entryModes.get(ob.newFn.signature) ?? mode, specs, conditions, checkAsserts: opts.asserts ?? (entryModes.get(ob.newFn.signature) ?? mode) === 'fix', stateMap };
      if (needsRelations(rctx)) {
        const r = await checkRelations(rctx);
        const ms = performance.now() - s0;
        encodeMs += r.encodeMs;
        solveMs += r.queries.reduce((a, q) => a + q.ms, 0);
        for (const q of r.queries) queries.set(q.id, q.text);
        await dump(r.queries);
        const verdict = layoutVerdict(r.verdict.kind === 'equivalent' && through !== undefined ? { ...r.verdict, through } : r.verdict, layoutBreaks(ob.newFn.loc.astId));
        pushEntry({ ...entry(ob.newFn, verdict, ms, r.queries.length), oldLocation: ob.oldFn.loc, ...(r.properties.length ? { properties: r.properties } : {}) });
        for (const x of r.obligations) {
          obligations.push({ id: x.id, kind: x.kind, entryPoint: ob.newFn.signature, verdict: x.verdict, ...(x.deciding ? { smtSha256: x.deciding.sha256, solver: solver.name } : {}), durationMs: x.durationMs });
        }
        continue;
      }
      const r = await proveEquivalence({ id: ob.id, oldFn: ob.oldFn, newFn: ob.newFn, oldContract: oldSide.ir, newContract: newSide.ir, solver, timeoutMs, summaries: opts.summaries !== false, stateMap }).catch(
        (e: unknown): Awaited<ReturnType<typeof proveEquivalence>> => ({
          // A bug in encoding is reported on this entry point, never as a proof.
          verdict: { kind: 'unknown', reason: `patchproof internal error while encoding (please report): ${e instanceof Error ? e.message : String(e)}` },
          queries: [],
          encodeMs: 0,
        }),
      );
      const proved: typeof r.verdict = r.verdict.kind === 'equivalent' && through !== undefined ? { ...r.verdict, through } : r.verdict;
      const verdict = proved.kind === 'different' && proved.counterexample !== undefined ? await confirmOnEvm(proved, oldSide.info.runtimeBytecode, newSide.info.runtimeBytecode, 'difference', { old: libraryCode(oldSide.info), new: libraryCode(newSide.info) }, immutables) : proved;
      const ms = performance.now() - s0;
      encodeMs += r.encodeMs;
      solveMs += r.queries.reduce((a, q) => a + q.ms, 0);
      const deciding = r.queries.at(-1);
      for (const q of r.queries) queries.set(q.id, q.text);
      await dump(r.queries);
      pushEntry({ ...entry(ob.newFn, layoutVerdict(verdict, layoutBreaks(ob.newFn.loc.astId)), ms, r.queries.length), oldLocation: ob.oldFn.loc });
      obligations.push({
        id: ob.id,
        kind: 'equivalence',
        entryPoint: ob.newFn.signature,
        verdict: layoutVerdict(verdict, layoutBreaks(ob.newFn.loc.astId)).kind,
        ...(deciding ? { smtSha256: deciding.sha256, solver: solver.name } : {}),
        durationMs: ms,
      });
    }
  } finally {
    if (!opts.solver) solver.close();
  }
  const final = reentrantEquivalents(entryPoints, [...oldSide.ir.functions, ...newSide.ir.functions]);
  return {
    tool: { name: 'patchproof', version: TOOL_VERSION },
    compiler: { version: newSide.comp.solcVersion, settings: newSide.comp.settings },
    old: oldSide.info,
    new: newSide.info,
    mode,
    // Intended additions and removals are reported, and left out of the overall verdict, unless nothing
    // else is left: then there is nothing the versions were shown to share, and the overall stays different.
    overall: upgrade.verdict === 'incompatible' ? 'incompatible' : overallVerdict((final.some((e) => e.intendedBy === undefined) ? final.filter((e) => e.intendedBy === undefined) : final).map((e) => e.verdict), final.flatMap((e) => (e.properties ?? []).map((p) => p.verdict))),
    entryPoints: final,
    obligations,
    queries,
    timings: { compileMs: oldSide.info.compileMs + newSide.info.compileMs, encodeMs, solveMs, totalMs: performance.now() - t0 },
    assumptions: stateMap.length === 0 ? ASSUMPTIONS : [...ASSUMPTIONS, mappingAssumption(stateMap)],
    upgrade,
  };
}

/**
 * An entry point that uses storage the new layout no longer fits (a variable inserted over old data,
 * moved, retyped) is `different` on the proxy's real storage whatever the slot-by-slot proof says; a
 * found counterexample is kept as the stronger evidence.
 */
/**
 * Whether a state mapping accounts for a layout finding: one inside a mapped variable's old or new place
 * (the move or retype itself, or what the new version placed over the old place). The proof through the
 * mapping covers any value there (R leaves a mapped variable's old place unrelated, and compares the
 * bytes around both places slot by slot), given that the migration copies the variable as declared.
 */
function accountedByMapping(f: Finding, map: StateMap): boolean {
  if (!f.code.startsWith('PP1') || f.slot === undefined) return false;
  const slot = BigInt(f.slot.slot);
  const offset = f.slot.offset;
  const inside = (p: StateMap[number]['old']) => p.root === slot && p.offset <= offset && offset < p.offset + p.bytes;
  return map.some((m) => inside(m.old) || inside(m.new));
}

function mappedAway(disturbed: ReadonlyMap<number, Finding>, map: StateMap): ReadonlyMap<number, Finding> {
  if (map.length === 0) return disturbed;
  const ids = new Set(map.flatMap((m) => (m.new.astId === undefined ? [] : [m.new.astId])));
  return new Map([...disturbed].filter(([id, f]) => !ids.has(id) && !accountedByMapping(f, map)));
}

/** The upgrade report with the findings the state mapping accounts for downgraded to notes that say so. */
function accountedFor(report: UpgradeReport, map: StateMap): UpgradeReport {
  if (map.length === 0) return report;
  const findings = report.findings.map((f) =>
    f.severity === 'info' || !accountedByMapping(f, map)
      ? f
      : { ...f, severity: 'info' as const, message: `${f.message} [accounted for by the state mapping ${map.map((m) => m.text).join(', ')}: the migration must copy the moved variables to their new places]` },
  );
  return { verdict: upgradeVerdict(findings), findings };
}

/** What a proof through a state mapping rests on (src/obligations/statemap.ts). */
function mappingAssumption(map: StateMap): string {
  const assumed = map.flatMap((m) => (m.assumption === undefined ? [] : [m.assumption]));
  return `State mapping (${map.map((m) => m.text).join(', ')}): the new version starts from the old storage with each moved or retyped variable copied to its new place (the same integer, at every key of a mapping), as the migration must do; every other byte is the same in both versions, and what a moved variable's old place holds in the new version is arbitrary.${assumed.length ? ` Narrowing retypes assume ${assumed.join(' and ')} (otherwise the copy would lose bits).` : ''} Post-states are compared through the same relation.`;
}

function layoutVerdict(v: EntryPointResult['verdict'], broken: Finding | undefined): EntryPointResult['verdict'] {
  if (broken === undefined || v.kind === 'different') return v;
  return { kind: 'different', reason: `storage layout: ${broken.code} ${broken.message}` };
}

/**
 * An `equivalent` proof assumes that whatever a re-entrant callee calls back into behaves alike in both
 * versions (DESIGN: re-entrancy). When some entry point only refines, a callback into it may revert in
 * the new version where it succeeded in the old one, and a callee that sees that can answer otherwise: an
 * entry point that calls out is then only claimed to refine. (Refinement itself survives re-entrancy: a
 * run of the new version whose callbacks revert where the old one's succeed is a run of the old version
 * whose callee made only the other callbacks; see the README.)
 */
function reentrantEquivalents(eps: readonly EntryPointResult[], fns: readonly IrFunction[]): EntryPointResult[] {
  if (!eps.some((e) => e.verdict.kind === 'refines')) return [...eps];
  const calling = new Set(fns.filter(makesCalls).map((f) => f.signature));
  return eps.map((e) =>
    e.verdict.kind === 'equivalent' && calling.has(e.signature)
      ? { ...e, verdict: { kind: 'refines', how: e.verdict.how, ...(e.verdict.bound ? { bound: e.verdict.bound } : {}), note: 'the versions are equivalent here, but a callee may re-enter entry points that only refine' } }
      : e,
  );
}

function entry(f: IrFunction, verdict: EntryPointResult['verdict'], durationMs: number, solverCalls: number): EntryPointResult {
  return {
    selector: f.selector === null ? null : '0x' + f.selector.toString(16).padStart(8, '0'),
    signature: f.signature,
    kind: f.kind,
    verdict,
    location: f.loc,
    durationMs,
    solverCalls,
  };
}
