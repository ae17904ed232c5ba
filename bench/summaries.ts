/**
 * Summaries bench: for every fixture pair in which some entry point had a summarised query (an
 * internal call identical in both versions), runs the pair with and without summaries and compares
 * solve time, solver calls and verdicts per entry point. Always exits 0 (it is a report).
 *
 *   npm run bench:summaries            (= npx tsx bench/summaries.ts [fixture ...])
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkPatch, type CheckResult } from '../src/check.ts';
import { Z3Solver } from '../src/smt/z3.ts';
import { fixturePairs, fixturesDir } from './fixtures.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const TIMEOUT_MS = 20000;

const only = process.argv.slice(2);
const names = fixturePairs(only);

interface Row {
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

const solver = await Z3Solver.start();
const rows: Row[] = [];
try {
  for (const name of names) {
    const dir = path.join(fixturesDir, name);
    const exp = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as { contract: string; entryPoints: Record<string, string> };
    const run = (summaries: boolean): Promise<CheckResult> =>
      checkPatch({ oldFile: path.join(dir, 'old.sol'), newFile: path.join(dir, 'new.sol'), contract: exp.contract, solver, timeoutMs: TIMEOUT_MS, summaries });
    const withS = await run(true);
    const summarised = new Set([...withS.queries.keys()].filter((k) => k.endsWith('#summaries')).map((k) => k.slice(0, -'#summaries'.length)));
    if (summarised.size === 0) continue;
    const withoutS = await run(false);
    const show = (e: CheckResult['entryPoints'][number]): string => (e.verdict.kind === 'equivalent' ? `equivalent (${e.verdict.how})` : e.verdict.kind);
    for (const ob of withS.obligations) {
      if (!summarised.has(ob.id)) continue;
      const a = withS.entryPoints.find((e) => e.signature === ob.entryPoint)!;
      const b = withoutS.entryPoints.find((e) => e.signature === ob.entryPoint)!;
      rows.push({ pair: name, entry: ob.entryPoint, withMs: a.durationMs, withoutMs: b.durationMs, withCalls: a.solverCalls, withoutCalls: b.solverCalls, withVerdict: show(a), withoutVerdict: show(b), expected: exp.entryPoints[ob.entryPoint] ?? '?' });
    }
  }
} finally {
  solver.close();
}

const header = ['pair', 'entry point', 'ms with', 'ms without', 'calls with', 'calls without', 'verdict with', 'verdict without', 'expected'];
const table = rows.map((r) => [r.pair, r.entry, r.withMs.toFixed(0), r.withoutMs.toFixed(0), String(r.withCalls), String(r.withoutCalls), r.withVerdict, r.withoutVerdict, r.expected]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
const fmt = (r: string[]): string => r.map((c, i) => (i >= 2 && i <= 5 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
console.log(`patchproof summaries bench — ${new Date().toISOString()}, node ${process.version}, timeout ${TIMEOUT_MS} ms per query`);
console.log('Entry points whose check asked a summarised query; "ms" is the whole entry point (all queries).');
console.log('');
console.log(fmt(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of table) console.log(fmt(r));
const total = (k: 'withMs' | 'withoutMs') => rows.reduce((a, r) => a + r[k], 0);
console.log('');
console.log(`total: ${total('withMs').toFixed(0)} ms with summaries, ${total('withoutMs').toFixed(0)} ms without`);
writeFileSync(path.join(here, 'summaries-results.json'), JSON.stringify(rows, null, 2) + '\n');
