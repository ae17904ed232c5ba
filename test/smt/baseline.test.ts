import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFile, selectContract } from '../../src/frontend/compile.ts';
import { lowerContract, printContract } from '../../src/ir/index.ts';
import { differenceGoal } from '../../src/smt/equivalence.ts';
import { toSmtLib } from '../../src/smt/smtlib.ts';
import { symexec } from '../../src/smt/symexec.ts';
import { TermFactory } from '../../src/smt/term.ts';
import { projectRoot } from '../cli/helpers.ts';

/** Baselines people read: printed IR and the SMT-LIB2 of one obligation. A diff here is a review item. */
const cacheDir = path.join(projectRoot, 'node_modules/.cache/patchproof-test');

async function lower(fixture: string, side: 'old' | 'new') {
  const comp = await compileFile(path.join(projectRoot, 'fixtures', fixture, `${side}.sol`), { cacheDir });
  return lowerContract(comp, selectContract(comp));
}

describe('baselines', () => {
  for (const fixture of ['example', 'modifier-onlyowner-removed']) {
    it(`IR of ${fixture}/new.sol`, async () => {
      await expect(printContract(await lower(fixture, 'new'))).toMatchFileSnapshot(path.join(projectRoot, 'test/baselines', `${fixture}.ir`));
    });
  }

  it('SMT-LIB2 of example withdraw(uint256), abstract and exact', async () => {
    const o = (await lower('example', 'old')).functions.find((f) => f.signature === 'withdraw(uint256)')!;
    const n = (await lower('example', 'new')).functions.find((f) => f.signature === 'withdraw(uint256)')!;
    const F = new TermFactory();
    const { goal } = differenceGoal(F, symexec(o, F), symexec(n, F));
    const text = toSmtLib(goal, { abstractNonlinear: true }).text;
    await expect(text).toMatchFileSnapshot(path.join(projectRoot, 'test/baselines/example-withdraw.smt2'));
    // Printing is deterministic: a fresh factory gives the same bytes (the certificate hashes them).
    const G = new TermFactory();
    expect(toSmtLib(differenceGoal(G, symexec(o, G), symexec(n, G)).goal, { abstractNonlinear: true }).text).toBe(text);
  });
});
