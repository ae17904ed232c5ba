import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPatch } from '../../src/check.ts';
import { Z3Solver } from '../../src/smt/z3.ts';
import { cacheDir, fixturesDir } from '../diff/corpus.ts';

/** How external-call differences are reported: re-entrancy differences are named and never called confirmed. */
describe('external calls and re-entrancy', () => {
  let solver: Z3Solver;
  beforeAll(async () => {
    solver = await Z3Solver.start();
  });
  afterAll(() => solver?.close());

  const check = (name: string, contract: string) =>
    checkPatch({ oldFile: path.join(fixturesDir, name, 'old.sol'), newFile: path.join(fixturesDir, name, 'new.sol'), contract, solver, cacheDir });

  for (const [name, contract, sig, line] of [
    ['calls-cei-fix', 'EtherVault', 'withdraw()', /\.sol:1[46]:23/],
    ['calls-read-after-call', 'Harvester', 'harvest()', /\.sol:1[67]:2[0-9]/],
  ] as const) {
    it(`${name}: ${sig} differs under reentrancy, at the call, shown but not confirmed by replay`, { timeout: 120_000 }, async () => {
      const r = await check(name, contract);
      const v = r.entryPoints.find((e) => e.signature === sig)?.verdict;
      expect(v?.kind).toBe('different');
      if (v?.kind !== 'different') return;
      expect(v.reason).toMatch(/^differs under reentrancy at /);
      expect(v.reason).toMatch(line);
      expect(v.counterexample?.reentrancy).toBeDefined();
      expect(v.counterexample?.replay?.confirmed).toBe(false);
      expect(v.counterexample?.replay?.notes.join(' ')).toContain('not confirmable by replay');
      // The plain runs (callees that do not re-enter) are exactly what the model predicts.
      expect(v.counterexample?.replay?.matchesModel).toEqual({ old: true, new: true });
    });
  }

  it('a swapped pair of transfers is a plain difference, confirmed on the EVM with stub callees', { timeout: 120_000 }, async () => {
    const r = await check('calls-transfer-order-swapped', 'Splitter');
    const v = r.entryPoints.find((e) => e.signature === 'split()')?.verdict;
    expect(v?.kind).toBe('different');
    if (v?.kind !== 'different') return;
    expect(v.reason).not.toMatch(/reentrancy/);
    expect(v.counterexample?.calls?.old.length).toBeGreaterThan(0);
    expect(v.counterexample?.replay?.confirmed).toBe(true);
    expect(v.counterexample?.replay?.matchesModel).toEqual({ old: true, new: true });
  });
});
