import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot, runCli } from '../cli/helpers.ts';

/**
 * Every fixture pair through the real CLI: each expected verdict and the exit code. The corpus is split
 * into two halves (fixtures-a/-b.test.ts) so that vitest runs them in parallel workers.
 */
const fixturesDir = path.join(projectRoot, 'fixtures');
const names = readdirSync(fixturesDir).filter((n) => !n.includes('.') && n !== 'shadow').sort();
const cacheDir = path.join(projectRoot, 'node_modules/.cache/patchproof-test');

interface Expected {
  contract: string;
  overall: string;
  exitCode: number;
  entryPoints: Record<string, string>;
}

export function fixtureSuite(half: 0 | 1): void {
 describe(`fixture corpus through the CLI (half ${half + 1} of 2)`, () => {
  it('has at least 15 pairs', () => {
    expect(names.length).toBeGreaterThanOrEqual(15);
  });
  for (const name of names.filter((_, i) => i % 2 === half)) {
    it(name, { timeout: 120_000 }, async () => {
      const dir = path.join(fixturesDir, name);
      const exp = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Expected;
      const r = await runCli(['check', path.join(dir, 'old.sol'), path.join(dir, 'new.sol'), '--contract', exp.contract, '--format', 'json', '--cache-dir', cacheDir, '--timeout', '30000'], { timeoutMs: 110_000 });
      expect(r.stderr).not.toContain('internal error');
      const json = JSON.parse(r.stdout) as { overall: string; exitCode: number; entryPoints: { signature: string; verdict: string; reason?: string; construct?: string; counterexample?: unknown; bound?: unknown }[] };
      // `bounded` in expected.json: equivalent only up to the loop unrolling bound (the JSON carries `bound`).
      const got = Object.fromEntries(json.entryPoints.map((e) => [e.signature, e.verdict === 'equivalent' && e.bound !== undefined ? 'bounded' : e.verdict]));
      expect(got, JSON.stringify(json.entryPoints.map((e) => [e.signature, e.verdict, e.reason ?? e.construct ?? '']))).toEqual(exp.entryPoints);
      expect(json.overall).toBe(exp.overall);
      expect(r.code).toBe(exp.exitCode);
      // Every difference found by the solver carries a counterexample (one-sided selectors and entry points
      // that use storage an incompatible layout broke need none).
      for (const e of json.entryPoints) {
        if (e.verdict === 'different' && !/^(added|removed|storage layout):/.test(e.reason ?? '')) {
          expect(e.counterexample, e.signature).toBeDefined();
          // ... confirmed on the EVM, which ran each side exactly as the model predicted.
          const replay = (e.counterexample as { replay?: { confirmed: boolean; matchesModel: unknown; notes: string[] } }).replay;
          // Differences under reentrancy need a re-entrant callee: a replay with plain stubs never confirms them.
          expect(replay?.confirmed, e.signature).toBe((e.counterexample as { reentrancy?: unknown }).reentrancy === undefined);
          expect(replay?.matchesModel, `${e.signature}: ${replay?.notes.join('; ')}`).toEqual({ old: true, new: true });
        }
      }
    });
  }
});
}
