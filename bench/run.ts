/**
 * Performance bench: runs every fixture pair through the library in one process, with one Z3
 * instance, and reports per-pair timings, solver calls, peak RSS and whether the verdicts match
 * expected.json. Always exits 0 (it is a report); missed targets are printed clearly.
 *
 *   npm run bench            (= npx tsx bench/run.ts)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import solc from 'solc';
import { checkPatch } from '../src/check.ts';
import { Z3Solver } from '../src/smt/z3.ts';
import { fixturePairs, fixturesDir } from './fixtures.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

const TARGET_PAIR_MS = 3000;
const TARGET_RSS_MIB = 1024;
const TIMEOUT_MS = 20000;

interface Expected {
  contract: string;
  overall?: string;
  entryPoints: Record<string, string>;
}

interface PairResult {
  name: string;
  entryPoints: number;
  solverCalls: number;
  compileMs: number;
  encodeMs: number;
  solveMs: number;
  totalMs: number;
  peakRssMiB: number;
  matchesExpected: boolean;
  /** solc.compile calls made while checking this pair (counted by a spy on the solc module). */
  solcCalls: number;
  mismatches?: string[];
  error?: string;
}

const MiB = 1024 * 1024;

// --- peak RSS sampling -------------------------------------------------------------------------
// Process-wide RSS; sampled every 20 ms (only while the event loop is free: synchronous solc
// compiles block it) and explicitly after each pair. `pairPeak` is reset at the start of each pair.
let processPeak = 0;
let pairPeak = 0;
function sampleRss(): void {
  const rss = process.memoryUsage().rss;
  if (rss > processPeak) processPeak = rss;
  if (rss > pairPeak) pairPeak = rss;
}
const sampler = setInterval(sampleRss, 20);
sampler.unref();

// --- solc call counter -------------------------------------------------------------------------
// A spy on the solc-js module object (the same CommonJS exports src/frontend/compile.ts imports);
// no project code is changed. Counts real compiler invocations.
let solcCalls = 0;
const solcAny = solc as unknown as { compile: (...args: unknown[]) => string };
const realCompile = solcAny.compile;
solcAny.compile = (...args: unknown[]): string => {
  solcCalls++;
  return realCompile.apply(solc, args);
};

// --- run -----------------------------------------------------------------------------------------
const names = fixturePairs();

sampleRss();
const z0 = performance.now();
const solver = await Z3Solver.start();
const z3InitMs = performance.now() - z0;
sampleRss();

const pairs: PairResult[] = [];
let solcVersion: string = solc.version();
try {
  for (const name of names) {
    const dir = path.join(fixturesDir, name);
    const exp = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Expected;
    pairPeak = 0;
    if (process.env.BENCH_VERBOSE) process.stderr.write(`[bench] ${name} (rss ${(process.memoryUsage().rss / MiB).toFixed(1)} MiB)\n`);
    sampleRss();
    const solcBefore = solcCalls;
    const w0 = performance.now();
    try {
      const r = await checkPatch({
        oldFile: path.join(dir, 'old.sol'),
        newFile: path.join(dir, 'new.sol'),
        contract: exp.contract,
        solver,
        timeoutMs: TIMEOUT_MS,
      });
      sampleRss();
      solcVersion = r.compiler.version;
      // `bounded` in expected.json: equivalent only up to the loop unrolling bound.
      const got = Object.fromEntries(r.entryPoints.map((e) => [e.signature, e.verdict.kind === 'equivalent' && e.verdict.bound !== undefined ? 'bounded' : e.verdict.kind]));
      const mismatches: string[] = [];
      for (const sig of new Set([...Object.keys(exp.entryPoints), ...Object.keys(got)])) {
        if (got[sig] !== exp.entryPoints[sig]) mismatches.push(`${sig}: expected ${exp.entryPoints[sig] ?? '(absent)'}, got ${got[sig] ?? '(absent)'}`);
      }
      if (exp.overall !== undefined && r.overall !== exp.overall) mismatches.push(`overall: expected ${exp.overall}, got ${r.overall}`);
      pairs.push({
        name,
        entryPoints: r.entryPoints.length,
        solverCalls: r.entryPoints.reduce((a, e) => a + e.solverCalls, 0),
        compileMs: r.timings.compileMs,
        encodeMs: r.timings.encodeMs,
        solveMs: r.timings.solveMs,
        totalMs: r.timings.totalMs,
        peakRssMiB: pairPeak / MiB,
        matchesExpected: mismatches.length === 0,
        solcCalls: solcCalls - solcBefore,
        ...(mismatches.length ? { mismatches } : {}),
      });
    } catch (e) {
      sampleRss();
      pairs.push({
        name,
        entryPoints: 0,
        solverCalls: 0,
        compileMs: 0,
        encodeMs: 0,
        solveMs: 0,
        totalMs: performance.now() - w0,
        peakRssMiB: pairPeak / MiB,
        matchesExpected: false,
        solcCalls: solcCalls - solcBefore,
        error: e instanceof Error ? e.message : String(e),
      });
    }
  }
} finally {
  solver.close();
  clearInterval(sampler);
}
sampleRss();

// --- report --------------------------------------------------------------------------------------
const f0 = (n: number): string => n.toFixed(0);
const f1 = (n: number): string => n.toFixed(1);
const header = ['pair', 'entry pts', 'solver calls', 'compile ms', 'encode ms', 'solve ms', 'total ms', 'peak RSS MiB', 'verdicts'];
const rows = pairs.map((p) => [
  p.name,
  String(p.entryPoints),
  String(p.solverCalls),
  f0(p.compileMs),
  f0(p.encodeMs),
  f0(p.solveMs),
  f0(p.totalMs) + (p.totalMs >= TARGET_PAIR_MS ? ' !' : ''),
  f1(p.peakRssMiB),
  p.matchesExpected ? '✓' : '✗',
]);
const sum = (k: 'entryPoints' | 'solverCalls' | 'compileMs' | 'encodeMs' | 'solveMs' | 'totalMs'): number => pairs.reduce((a, p) => a + p[k], 0);
const totalRow = [
  `TOTAL (${pairs.length} pairs)`,
  String(sum('entryPoints')),
  String(sum('solverCalls')),
  f0(sum('compileMs')),
  f0(sum('encodeMs')),
  f0(sum('solveMs')),
  f0(sum('totalMs')),
  f1(processPeak / MiB),
  `${pairs.filter((p) => p.matchesExpected).length}/${pairs.length}`,
];
const widths = header.map((h, i) => Math.max(h.length, ...[...rows, totalRow].map((r) => [...r[i]!].length)));
const numeric = (i: number): boolean => i > 0 && i < header.length - 1;
const fmt = (r: string[]): string => r.map((c, i) => (numeric(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
const rule = widths.map((w) => '-'.repeat(w)).join('  ');

console.log(`patchproof bench — ${new Date().toISOString()}, node ${process.version}, solc ${solcVersion}`);
console.log(`Z3 init (Z3Solver.start, once per process): ${f0(z3InitMs)} ms`);
console.log('');
console.log(fmt(header));
console.log(rule);
for (const r of rows) console.log(fmt(r));
console.log(rule);
console.log(fmt(totalRow));

const failures = pairs.filter((p) => !p.matchesExpected);
if (failures.length) {
  console.log('');
  console.log('Verdict mismatches / errors:');
  for (const p of failures) {
    if (p.error) console.log(`  ${p.name}: error: ${p.error}`);
    for (const m of p.mismatches ?? []) console.log(`  ${p.name}: ${m}`);
  }
}

const slow = pairs.filter((p) => p.totalMs >= TARGET_PAIR_MS);
const maxPair = pairs.reduce((a, p) => (p.totalMs > a.totalMs ? p : a), pairs[0]!);
const badSolc = pairs.filter((p) => p.solcCalls !== 2);
const targets = {
  everyPairUnder3000ms: slow.length === 0,
  oneSolcCallPerVersion: badSolc.length === 0,
  z3InitialisedOncePerProcess: true,
  peakRssUnder1GiB: processPeak < TARGET_RSS_MIB * MiB,
  allVerdictsMatchExpected: failures.length === 0,
};
const mark = (ok: boolean): string => (ok ? '✓ met   ' : '✗ MISSED');

console.log('');
console.log('Targets:');
console.log(
  `  ${mark(targets.everyPairUnder3000ms)}  every pair under ${TARGET_PAIR_MS} ms end to end` +
    ` (slowest: ${maxPair.name}, ${f0(maxPair.totalMs)} ms${slow.length ? `; over: ${slow.map((p) => `${p.name} ${f0(p.totalMs)} ms`).join(', ')}` : ''})`,
);
console.log(
  `  ${mark(targets.oneSolcCallPerVersion)}  one solc call per version` +
    ` (counted by a spy on solc.compile: ${solcCalls} calls for ${pairs.length} pairs` +
    `${badSolc.length ? `; not 2 for: ${badSolc.map((p) => `${p.name}=${p.solcCalls}`).join(', ')}` : ', exactly 2 per pair'};` +
    ` by construction compileFile runs once per side)`,
);
console.log(`  ${mark(targets.z3InitialisedOncePerProcess)}  Z3 initialised once per process (by construction: one Z3Solver.start(), ${f0(z3InitMs)} ms, passed to every checkPatch call)`);
console.log(`  ${mark(targets.peakRssUnder1GiB)}  peak RSS under 1 GiB (process peak ${f1(processPeak / MiB)} MiB)`);
console.log(`  ${mark(targets.allVerdictsMatchExpected)}  verdicts match expected.json (${pairs.length - failures.length}/${pairs.length} pairs)`);
const missed = Object.entries(targets).filter(([, ok]) => !ok).map(([k]) => k);
console.log('');
console.log(missed.length ? `MISSED TARGETS: ${missed.join(', ')}` : 'All targets met.');

const resultsPath = path.join(here, 'results.json');
writeFileSync(
  resultsPath,
  JSON.stringify(
    {
      date: new Date().toISOString(),
      node: process.version,
      solc: solcVersion,
      z3InitMs,
      processPeakRssMiB: processPeak / MiB,
      pairs,
      targets,
    },
    null,
    2,
  ) + '\n',
);
console.log(`Results written to ${path.relative(process.cwd(), resultsPath)}`);
process.exitCode = 0;
