/**
 * Summaries bench: for every fixture pair in which some entry point had a summarised query (an
 * internal call or a loop identical in both versions), runs the pair with and without summaries and
 * compares solve time, solver calls and verdicts per entry point. Always exits 0 (it is a report).
 *
 *   npm run bench:summaries            (= npx tsx bench/summaries.ts [fixture ...])
 *   npm run bench:loops                (= npx tsx bench/summaries.ts --loops: only entry points with loop summaries)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkPatch, type CheckResult } from '../src/check.ts';
import { Z3Solver } from '../src/smt/z3.ts';
import { summaryPlan } from '../src/smt/equivalence.ts';
import { compileFile, selectContract } from '../src/frontend/compile.ts';
import { lowerContract } from '../src/ir/index.ts';
import { fixturePairs, fixturesDir } from './fixtures.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const TIMEOUT_MS = 20000;

const loopsOnly = process.argv.includes('--loops');
const only = process.argv.slice(2).filter((a) => a !== '--loops');
const names = fixturePairs(only);

interface Row {
  readonly kind: 'calls' | 'loops';
  readonly pair: string;
  readonly entry: string;
  readonly withMs: number;
  readonly withoutMs: number;
  readonly withCalls: number;
  readonly withoutCalls: number;
  readonly withVerdict: string;
  readonly withoutVerdict: string;
  readonly expected: string;
}

/** Entry points (`pair:signature`) where some loop identical in both versions is summarised. */
const loopEntries = new Set<string>();
function hasLoops(pair: string, entry: string): boolean {
  return loopEntries.has(`${pair}:${entry}`);
}
async function findLoopEntries(pair: string, contract: string): Promise<void> {
  const load = async (side: string) => {
    const comp = await compileFile(path.join(fixturesDir, pair, `${side}.sol`));
    return lowerContract(comp, selectContract(comp, contract)).functions;
  };
  const [o, n] = [await load('old'), await load('new')];
  for (const f of o) {
    const g = n.find((x) => x.signature === f.signature);
    if (g && summaryPlan(f, g)?.loops) loopEntries.add(`${pair}:${f.signature}`);
  }
}

const solver = await Z3Solver.start();
const rows: Row[] = [];
try {
  for (const name of names) {
    const dir = path.join(fixturesDir, name);
    const exp = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as { contract: string; entryPoints: Record<string, string> };
    const run = (summaries: boolean): Promise<CheckResult> =>
      checkPatch({ oldFile: path.join(dir, 'old.sol'), newFile: path.join(dir, 'new.sol'), contract: exp.contract, solver, timeoutMs: TIMEOUT_MS, summaries });
    await findLoopEntries(name, exp.contract);
    const withS = await run(true);
    const summarised = new Set([...withS.queries.keys()].filter((k) => k.endsWith('#summaries')).map((k) => k.slice(0, -'#summaries'.length)));
    // A summarised goal that is trivially false asks no query: the verdict says summaries were used.
    const viaLoops = new Set(withS.entryPoints.filter((e) => e.verdict.kind === 'equivalent' && e.verdict.how === 'loop-summaries').map((e) => e.signature));
    for (const ob of withS.obligations) if (viaLoops.has(ob.entryPoint)) summarised.add(ob.id);
    if (loopsOnly) for (const ob of withS.obligations) if (!viaLoops.has(ob.entryPoint) && !hasLoops(name, ob.entryPoint)) summarised.delete(ob.id);
    if (summarised.size === 0) continue;
    const withoutS = await run(false);
    const show = (e: CheckResult['entryPoints'][number]): string => (e.verdict.kind === 'equivalent' ? `${e.verdict.bound ? 'bounded' : 'equivalent'} (${e.verdict.how})` : e.verdict.kind);
    for (const ob of withS.obligations) {
      if (!summarised.has(ob.id)) continue;
      const a = withS.entryPoints.find((e) => e.signature === ob.entryPoint)!;
      const b = withoutS.entryPoints.find((e) => e.signature === ob.entryPoint)!;
      rows.push({ kind: viaLoops.has(ob.entryPoint) || hasLoops(name, ob.entryPoint) ? 'loops' : 'calls', pair: name, entry: ob.entryPoint, withMs: a.durationMs, withoutMs: b.durationMs, withCalls: a.solverCalls, withoutCalls: b.solverCalls, withVerdict: show(a), withoutVerdict: show(b), expected: exp.entryPoints[ob.entryPoint] ?? '?' });
    }
  }
} finally {
  solver.close();
}

const header = ['kind', 'pair', 'entry point', 'ms with', 'ms without', 'calls with', 'calls without', 'verdict with', 'verdict without', 'expected'];
const table = rows.map((r) => [r.kind, r.pair, r.entry, r.withMs.toFixed(0), r.withoutMs.toFixed(0), String(r.withCalls), String(r.withoutCalls), r.withVerdict, r.withoutVerdict, r.expected]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
const fmt = (r: string[]): string => r.map((c, i) => (i >= 3 && i <= 6 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
console.log(`patchproof summaries bench — ${new Date().toISOString()}, node ${process.version}, timeout ${TIMEOUT_MS} ms per query`);
console.log('Entry points whose check asked a summarised query; "ms" is the whole entry point (all queries).');
console.log('');
console.log(fmt(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of table) console.log(fmt(r));
const total = (k: 'withMs' | 'withoutMs', kind: Row['kind']) => rows.filter((r) => r.kind === kind).reduce((a, r) => a + r[k], 0);
console.log('');
for (const kind of ['calls', 'loops'] as const) {
  if (rows.some((r) => r.kind === kind)) console.log(`total (${kind}): ${total('withMs', kind).toFixed(0)} ms with summaries, ${total('withoutMs', kind).toFixed(0)} ms without`);
}
writeFileSync(path.join(here, 'summaries-results.json'), JSON.stringify(rows, null, 2) + '\n');
