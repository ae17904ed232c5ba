import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPatch } from '../../src/check.ts';
import { Z3Solver } from '../../src/smt/z3.ts';
import { cacheDir, upgradeFixturesDir } from './corpus.ts';

/** `check` with the upgrade report: overall `incompatible`, and entry points on broken storage `different`. */
const files = (name: string) => ({ oldFile: path.join(upgradeFixturesDir, name, 'old.sol'), newFile: path.join(upgradeFixturesDir, name, 'new.sol'), cacheDir });

describe('check with the upgrade report', () => {
  let solver: Z3Solver;
  beforeAll(async () => {
    solver = await Z3Solver.start();
  });
  afterAll(() => solver.close());

  it('makes an entry point on a retyped variable different, with the finding as the reason', { timeout: 60_000 }, async () => {
    const r = await checkPatch({ ...files('layout-retype-signed'), solver });
    expect(r.overall).toBe('incompatible');
    expect(r.upgrade.findings.map((f) => f.code)).toEqual(['PP105']);
    const verdict = (sig: string) => r.entryPoints.find((e) => e.signature === sig)?.verdict;
    // Identical code reading the same slot, but the slot holds a uint256 the new version reads as int256.
    expect(verdict('lastPrice()')).toEqual({ kind: 'different', reason: expect.stringMatching(/^storage layout: PP105 Oracle\.lastPrice/) });
    expect(verdict('reporter()')?.kind).toBe('equivalent');
    expect(r.obligations.find((o) => o.entryPoint === 'lastPrice()')?.verdict).toBe('different');
  });

  it('leaves a compatible upgrade to the entry points', { timeout: 60_000 }, async () => {
    const r = await checkPatch({ ...files('layout-rename-annotated'), solver });
    expect(r.upgrade).toEqual({ verdict: 'compatible', findings: [expect.objectContaining({ code: 'PP107', severity: 'info' })] });
    expect(r.overall).toBe('different'); // rewardRate() is gone, rewardPerSecond() is new
  });
});
