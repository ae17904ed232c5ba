import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/helpers.ts';
import { cacheDir } from '../diff/corpus.ts';
import { fixtureNamesAll, fixturesDir, readExpectedOf, verdictsOf } from './fixture-suite.ts';

/**
 * A sample of the fixture corpus through the real CLI, as a user runs it: one pair per overall verdict
 * (equivalent, different, bounded, unsupported, incompatible layout), plus counterexample replays and
 * external calls. The whole corpus runs in process in fixtures-a/-b.test.ts.
 */
const SAMPLE = [
  'calls-refactor-equivalent',
  'example',
  'calls-cei-fix',
  'loop-change-beyond-bound',
  'unsupported-inline-assembly',
  'packed-slot-declaration-swap',
  'mixed-different-and-unsupported',
];

describe('fixture sample through the CLI', () => {
  it('samples existing pairs that cover every overall verdict', () => {
    for (const name of SAMPLE) expect(fixtureNamesAll).toContain(name);
    const overall = new Set(SAMPLE.map((n) => readExpectedOf(n).overall));
    expect([...overall].sort()).toEqual(['bounded', 'different', 'equivalent', 'incompatible', 'unsupported']);
  });

  for (const name of SAMPLE) {
    it(name, { timeout: 120_000 }, async () => {
      const exp = readExpectedOf(name);
      const dir = path.join(fixturesDir, name);
      const r = await runCli(['check', path.join(dir, 'old.sol'), path.join(dir, 'new.sol'), '--contract', exp.contract, '--format', 'json', '--cache-dir', cacheDir, '--timeout', '30000'], { timeoutMs: 110_000 });
      expect(r.stderr).not.toContain('internal error');
      const json = JSON.parse(r.stdout) as { overall: string; exitCode: number; entryPoints: { signature: string; verdict: string; bound?: unknown }[] };
      expect(verdictsOf(json.entryPoints)).toEqual(exp.entryPoints);
      expect(json.overall).toBe(exp.overall);
      expect(json.exitCode).toBe(exp.exitCode);
      expect(r.code).toBe(exp.exitCode);
    });
  }
});
