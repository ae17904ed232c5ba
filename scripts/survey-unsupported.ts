/*
 * Survey: which unsupported constructs do real contracts hit most? For each contract given, runs
 * `patchproof check FILE FILE --format json` (the contract against ITSELF: old = new) in a child process
 * with a wall-clock timeout, and tallies the verdicts of the entry points and the `construct` texts of the
 * unsupported ones (normalised, see `normalise`), ranked by how many entry points each blocks. A child
 * process per contract keeps one hung or crashing contract from taking the survey down, and lets its
 * crash output (anything that is not a clean `error:` line) be shown as it was printed.
 *
 *   npm run survey -- [options] TARGET...
 *   npx tsx scripts/survey-unsupported.ts --root /tmp/corpus /tmp/corpus/contracts
 *
 * TARGET: a .sol file (the CLI's default contract: the last deployable one), `File.sol:Name`, or a
 * directory (every .sol below it, node_modules and lib/ excluded, default contract each).
 * Options: --root DIR (project root handed to the CLI: a directory with hardhat.config.* or foundry.toml
 * resolves package imports), --timeout-s N (per contract, default 600), --query-timeout MS (the CLI's
 * --timeout), --loop-bound N, --json FILE (every per-contract result and the tally, for later reading).
 *
 * A self-comparison must never be `different`: every such entry point is listed first as a SOUNDNESS /
 * precision finding. Nothing here is part of the test suite; it is a development aid.
 */
import { spawn } from 'node:child_process';
import { readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Target {
  readonly file: string;
  readonly contract?: string;
}

interface EntryJson {
  readonly signature: string;
  readonly verdict: string;
  readonly construct?: string;
  readonly constructLocation?: { readonly file: string; readonly line: number; readonly col: number };
  readonly reason?: string;
  readonly durationMs?: number;
}

interface ContractRun {
  readonly target: string;
  readonly wallMs: number;
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  readonly entries: readonly EntryJson[];
  /** Entry points decided before a timeout, read from the progress lines on stderr. */
  readonly partial: readonly { readonly signature: string; readonly verdict: string }[];
  /** stderr when the run did not end with a JSON report (a clean `error:` or a crash), trimmed. */
  readonly error?: string;
  readonly totalMs?: number;
}

function parseArgs(argv: readonly string[]) {
  const opts = { root: undefined as string | undefined, timeoutS: 600, queryTimeout: undefined as string | undefined, loopBound: undefined as string | undefined, json: undefined as string | undefined, targets: [] as string[] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--root') opts.root = path.resolve(next());
    else if (a === '--timeout-s') opts.timeoutS = Number(next());
    else if (a === '--query-timeout') opts.queryTimeout = next();
    else if (a === '--loop-bound') opts.loopBound = next();
    else if (a === '--json') opts.json = next();
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else opts.targets.push(a);
  }
  if (opts.targets.length === 0) throw new Error('usage: survey-unsupported.ts [--root DIR] [--timeout-s N] [--query-timeout MS] [--loop-bound N] [--json FILE] TARGET...');
  return opts;
}

async function solFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== 'lib') out.push(...(await solFiles(p)));
    } else if (e.name.endsWith('.sol')) out.push(p);
  }
  return out.sort();
}

async function expand(t: string): Promise<Target[]> {
  const m = /^(.*\.sol):(\w+)$/.exec(t);
  if (m) return [{ file: path.resolve(m[1]!), contract: m[2]! }];
  const s = await stat(t);
  if (s.isDirectory()) return (await solFiles(path.resolve(t))).map((file) => ({ file }));
  return [{ file: path.resolve(t) }];
}

/** Runs the CLI on one contract against itself; kills it (by its own pid) after the timeout. */
function runOne(t: Target, o: ReturnType<typeof parseArgs>): Promise<ContractRun> {
  const args = [path.join(REPO, 'bin/patchproof.js'), 'check', t.file, t.file, '--format', 'json', '--fail-on', 'never'];
  if (t.contract) args.push('--contract', t.contract);
  if (o.root) args.push('--root', o.root);
  if (o.queryTimeout) args.push('--timeout', o.queryTimeout);
  if (o.loopBound) args.push('--loop-bound', o.loopBound);
  const label = t.contract ? `${t.file}:${t.contract}` : t.file;
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      process.stderr.write(d);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, o.timeoutS * 1000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const wallMs = performance.now() - t0;
      // Progress lines: `patchproof: [3/12] withdraw(uint256): different (1.2 s)`.
      const partial = [...stderr.matchAll(/^patchproof: \[\d+\/\d+\] (.+): (\w+) \([\d.]+ m?s\)$/gm)].map((m) => ({ signature: m[1]!, verdict: m[2]! }));
      let report: { entryPoints?: EntryJson[]; timings?: { totalMs?: number } } | undefined;
      try {
        report = stdout.trim() === '' ? undefined : (JSON.parse(stdout) as typeof report);
      } catch {
        report = undefined;
      }
      const base = { target: label, wallMs, exitCode: code, timedOut, partial };
      if (report?.entryPoints) resolve({ ...base, entries: report.entryPoints, ...(report.timings?.totalMs !== undefined ? { totalMs: report.timings.totalMs } : {}) });
      else resolve({ ...base, entries: [], error: (timedOut ? `timed out after ${o.timeoutS} s\n` : '') + stderr.split('\n').filter((l) => !l.startsWith('patchproof: [')).join('\n').trim().slice(0, 4000) });
    });
  });
}

/**
 * One construct text per kind of construct: widths of elementary types (`uint208`, `bytes4`), struct, enum
 * and contract names, and quoted program text vary between contracts and would split one gap into many
 * rows; the shapes (`T[]`, `string/bytes`, member names such as `.functionCall`) say what is missing, so stay.
 */
export function normalise(construct: string): string {
  return construct
    .replace(/`[^`]*`/g, '`…`')
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\b(u?int)\d+\b/g, '$1N')
    .replace(/\bbytes\d+\b/g, 'bytesN')
    .replace(/\b(struct|enum|contract) [\w.]+/g, '$1 X')
    .replace(/\bsolc \d+\.\d+\.\d+/g, 'solc N')
    .replace(/\bexternal library call [\w.]+/g, 'external library call L.f');
}

interface Tally {
  entries: number;
  readonly contracts: Set<string>;
  readonly example: string;
  readonly raw: Set<string>;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const targets = (await Promise.all(o.targets.map(expand))).flat();
  const runs: ContractRun[] = [];
  for (const [i, t] of targets.entries()) {
    process.stderr.write(`survey: [${i + 1}/${targets.length}] ${t.file}${t.contract ? `:${t.contract}` : ''}\n`);
    runs.push(await runOne(t, o)); // one at a time: the machine is shared
  }
  const constructs = new Map<string, Tally>();
  const totals = new Map<string, number>();
  const soundness: string[] = [];
  for (const r of runs) {
    for (const e of r.entries) {
      totals.set(e.verdict, (totals.get(e.verdict) ?? 0) + 1);
      if (e.verdict === 'different') soundness.push(`${r.target} ${e.signature}: ${e.reason ?? ''}`);
      if (e.verdict !== 'unsupported' || e.construct === undefined) continue;
      const key = normalise(e.construct);
      const at = e.constructLocation ? `${e.constructLocation.file}:${e.constructLocation.line}` : '?';
      const t = constructs.get(key) ?? { entries: 0, contracts: new Set<string>(), example: at, raw: new Set<string>() };
      t.entries++;
      t.contracts.add(path.basename(r.target));
      t.raw.add(e.construct);
      constructs.set(key, t);
    }
  }
  // Paths relative to the project root when one is given (the corpus lives outside the repo).
  const shown = (t: string) => (o.root ? path.relative(o.root, t) : path.relative(process.cwd(), t));
  const lines: string[] = [];
  // A directory holds interfaces and libraries too: a file with nothing deployable is skipped, not an error.
  const skipped = runs.filter((r) => r.error !== undefined && / defines no deployable contract /.test(r.error));
  lines.push(soundness.length === 0 ? 'SOUNDNESS: no self-comparison gave `different`.' : `SOUNDNESS: ${soundness.length} self-comparison(s) gave \`different\`:\n${soundness.map((s) => `  - ${s}`).join('\n')}`);
  lines.push('', '| contract | entry points | equivalent | unsupported | unknown | other | wall s | error |', '|---|---|---|---|---|---|---|---|');
  for (const r of runs) {
    if (skipped.includes(r)) continue;
    const n = (k: string) => r.entries.filter((e) => e.verdict === k).length;
    const other = r.entries.length - n('equivalent') - n('unsupported') - n('unknown');
    const err = r.error === undefined ? '' : r.timedOut ? `timeout (${r.partial.length} decided)` : (r.error.split('\n')[0] ?? '').slice(0, 80);
    lines.push(`| ${shown(r.target)} | ${r.entries.length} | ${n('equivalent')} | ${n('unsupported')} | ${n('unknown')} | ${other} | ${(r.wallMs / 1000).toFixed(1)} | ${err} |`);
  }
  lines.push('', `verdicts over all entry points: ${[...totals].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  lines.push('', '| construct (normalised) | entry points blocked | contracts | example |', '|---|---|---|---|');
  for (const [k, t] of [...constructs].sort((a, b) => b[1].entries - a[1].entries || a[0].localeCompare(b[0]))) {
    lines.push(`| ${k.replace(/\|/g, '\\|')} | ${t.entries} | ${t.contracts.size} | ${t.example} |`);
  }
  if (skipped.length > 0) lines.push('', `skipped (no deployable contract): ${skipped.map((r) => shown(r.target)).join(', ')}`);
  const crashes = runs.filter((r) => r.error !== undefined && !r.timedOut && !skipped.includes(r) && !/^error:/m.test(r.error));
  if (crashes.length > 0) lines.push('', 'CRASHES (not a clean error):', ...crashes.map((r) => `--- ${r.target} (exit ${r.exitCode})\n${r.error}`));
  const errors = runs.filter((r) => r.error !== undefined && !crashes.includes(r) && !skipped.includes(r));
  if (errors.length > 0) lines.push('', 'ERRORS / TIMEOUTS:', ...errors.map((r) => `--- ${r.target} (exit ${r.exitCode})\n${r.error}`));
  process.stdout.write(lines.join('\n') + '\n');
  if (o.json) {
    const tally = [...constructs].map(([k, t]) => ({ construct: k, entries: t.entries, contracts: [...t.contracts], example: t.example, raw: [...t.raw] }));
    await writeFile(o.json, JSON.stringify({ runs, tally }, null, 2));
  }
}

await main();
