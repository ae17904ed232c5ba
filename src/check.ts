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
import type { Finding } from './upgrade/finding.ts';
import { analyzeUpgrade, type UpgradeInput } from './upgrade/index.ts';
import { layoutReport } from './upgrade/layout/index.ts';

export type { CheckOptions, CheckResult } from './api.ts';

const pkg = createRequire(import.meta.url)('../package.json') as { version: string };
export const TOOL_VERSION: string = pkg.version;

/** What every verdict rests on; printed in reports and recorded in the certificate. */
export const ASSUMPTIONS: readonly string[] = [
  'Gas is not compared: two versions that differ only in gas use are equivalent.',
  'Gas is not modelled: gasleft() reads the same value in both versions at the same point (after the same external calls, and the same number of gasleft() reads since the last of them), and a callee answers alike whatever gas it is left with beyond an explicit {gas: g}. Real gas use differs between versions, so a verdict on code whose behaviour depends on gasleft() holds only under this assumption.',
  'keccak256 is injective, and hashed slots (mapping entries, array elements, long string data) never collide with each other or with fixed slots (the assumption of solc\'s storage layout).',
  'The pre-state is arbitrary: any storage contents, balance, sender, value, origin, block values and calldata, the same in both versions.',
  'External callees are arbitrary but the same for both versions: their answers depend on the calls made so far, and after a call with more than the stipend a re-entrant caller may have changed any storage and moved ether between any accounts.',
  'Immutables with the same name and type hold the same value in both versions.',
  'Semantics follow solc\'s legacy code generator (evaluation order of operands), as compiled here.',
  'The upgrade report treats the new version as the next implementation behind a proxy that keeps the old version\'s storage.',
];

interface Side {
  readonly comp: Compilation;
  readonly contract: ContractOutput;
  readonly ir: IrContract;
  readonly info: SideInfo;
}

async function loadSide(file: string, name: string | undefined, root: string | undefined, cacheDir: string | undefined, loopBound: number | undefined): Promise<Side> {
  const t0 = performance.now();
  const comp = await compileFile(file, { root, cacheDir });
  const contract = selectContract(comp, name);
  const compileMs = performance.now() - t0;
  const ir = lowerContract(comp, contract, loopBound !== undefined ? { loopBound } : {});
  // Runtime code calling external libraries is linked against the libraries of the same compilation.
  const { code, libraries } = linkRuntime(comp, contract);
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
      ...(libraries.size ? { libraries: [...libraries].map(([at, c]) => ({ address: '0x' + at.toString(16).padStart(40, '0'), runtimeBytecode: c })) } : {}),
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
  const oldSide = await loadSide(opts.oldFile, opts.oldContract ?? opts.contract, opts.oldRoot, opts.cacheDir, opts.loopBound);
  const newSide = await loadSide(opts.newFile, opts.newContract ?? opts.contract, opts.newRoot, opts.cacheDir, opts.loopBound);
  const upgradeInput: UpgradeInput = { old: { compilation: oldSide.comp, contract: oldSide.contract }, new: { compilation: newSide.comp, contract: newSide.contract } };
  const upgrade = analyzeUpgrade(upgradeInput);
  const layoutBreaks = affectedBy(newSide.comp, newSide.contract, layoutReport(upgradeInput).disturbed);
  const solver = opts.solver ?? (await Z3Solver.start());
  const entryPoints: EntryPointResult[] = [];
  const obligations: ObligationRecord[] = [];
  const queries = new Map<string, string>();
  let encodeMs = 0;
  let solveMs = 0;
  try {
    for (const ob of equivalenceObligations(oldSide.ir, newSide.ir)) {
      const s0 = performance.now();
      if (ob.kind === 'one-sided') {
        entryPoints.push(entry(ob.fn, { kind: 'different', reason: ob.reason }, 0, 0));
        obligations.push({ id: ob.id, kind: 'equivalence', entryPoint: ob.fn.signature, verdict: 'different', durationMs: 0 });
        continue;
      }
      const r = await proveEquivalence({ id: ob.id, oldFn: ob.oldFn, newFn: ob.newFn, oldContract: oldSide.ir, newContract: newSide.ir, solver, timeoutMs, summaries: opts.summaries !== false }).catch(
        (e: unknown): Awaited<ReturnType<typeof proveEquivalence>> => ({
          // A bug in encoding is reported on this entry point, never as a proof.
          verdict: { kind: 'unknown', reason: `patchproof internal error while encoding (please report): ${e instanceof Error ? e.message : String(e)}` },
          queries: [],
          encodeMs: 0,
        }),
      );
      const verdict = r.verdict.kind === 'different' && r.verdict.counterexample !== undefined ? await confirmOnEvm(r.verdict, oldSide.info.runtimeBytecode, newSide.info.runtimeBytecode, { old: libraryCode(oldSide.info), new: libraryCode(newSide.info) }) : r.verdict;
      const ms = performance.now() - s0;
      encodeMs += r.encodeMs;
      solveMs += r.queries.reduce((a, q) => a + q.ms, 0);
      const deciding = r.queries.at(-1);
      for (const q of r.queries) queries.set(q.id, q.text);
      if (opts.dumpSmtDir && r.queries.length) {
        await mkdir(opts.dumpSmtDir, { recursive: true });
        for (const q of r.queries) await writeFile(join(opts.dumpSmtDir, `${q.id.replace(/[^A-Za-z0-9_.#-]/g, '_')}.smt2`), q.text);
      }
      entryPoints.push(entry(ob.newFn, layoutVerdict(verdict, layoutBreaks(ob.newFn.loc.astId)), ms, r.queries.length));
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
  return {
    tool: { name: 'patchproof', version: TOOL_VERSION },
    compiler: { version: newSide.comp.solcVersion, settings: newSide.comp.settings },
    old: oldSide.info,
    new: newSide.info,
    overall: upgrade.verdict === 'incompatible' ? 'incompatible' : overallVerdict(entryPoints.map((e) => e.verdict)),
    entryPoints,
    obligations,
    queries,
    timings: { compileMs: oldSide.info.compileMs + newSide.info.compileMs, encodeMs, solveMs, totalMs: performance.now() - t0 },
    assumptions: ASSUMPTIONS,
    upgrade,
  };
}

/**
 * An entry point that uses storage the new layout no longer fits (a variable inserted over old data,
 * moved, retyped) is `different` on the proxy's real storage whatever the slot-by-slot proof says; a
 * found counterexample is kept as the stronger evidence.
 */
function layoutVerdict(v: EntryPointResult['verdict'], broken: Finding | undefined): EntryPointResult['verdict'] {
  if (broken === undefined || v.kind === 'different') return v;
  return { kind: 'different', reason: `storage layout: ${broken.code} ${broken.message}` };
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
