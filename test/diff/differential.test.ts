import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { structuralHash } from '../../src/ir/hash.ts';
import { describeRun, evmDifference } from '../../src/replay/evm.ts';
import { summaryPlan } from '../../src/smt/equivalence.ts';
import { mismatchReport, runBoth } from './compare.ts';
import { fixtureNames, fixturesDir, loadVersion, readExpected } from './corpus.ts';
import { describeInput, generateInput, stateShape } from './inputs.ts';
import { Rng } from './rng.ts';
import { entryShape, N, SEED, SHOW, TIMEOUT } from './settings.ts';

// Differential testing of the fixture pairs (settings.ts says what and how); the single-version contracts
// are in differential-extra.test.ts, so that vitest runs the two halves in parallel.

describe('IR interpreter against the EVM, and old against new on the EVM', () => {
  for (const name of fixtureNames()) {
    it(name, { timeout: TIMEOUT }, async () => {
      const exp = readExpected(name);
      const old = await loadVersion(path.join(fixturesDir, name, 'old.sol'), exp.contract);
      const neu = await loadVersion(path.join(fixturesDir, name, 'new.sol'), exp.contract);
      const shape = stateShape([old.ir, neu.ir]);
      const signatures = [...new Set([...old.ir.functions, ...neu.ir.functions].map((f) => f.signature))].sort();
      const failures: string[] = [];
      let failed = 0;
      let runs = 0;
      let skipped = 0;
      const fail = (msg: string) => {
        if (failed++ < SHOW) failures.push(msg);
      };
      for (const sig of signatures) {
        const verdict = exp.entryPoints[sig];
        if (verdict === 'unsupported') continue;
        const o = old.ir.functions.find((f) => f.signature === sig);
        const n = neu.ir.functions.find((f) => f.signature === sig);
        // Undeclared receive/fallback in both versions are the dispatcher's empty revert in both.
        const sameOnEvm = verdict === 'equivalent' || verdict === 'bounded' || (verdict === undefined && o?.implicit === true && n?.implicit === true);
        const entry = entryShape(sig, [o, n]);
        // Loops identical in both versions are proven equal for any trip count (shared loop summaries), so
        // runs past the unrolling bound are compared old against new on the EVM too.
        // Identical IR is the same program past the bound as well.
        const h = o === undefined ? null : structuralHash(o);
        const loopSummaries = o !== undefined && n !== undefined && ((h !== null && h === structuralHash(n)) || summaryPlan(o, n)?.loops === true);
        const rng = Rng.for(SEED, name, sig);
        for (let i = 0; i < N; i++) {
          const x = generateInput(rng, entry, shape);
          const where = `${name} ${sig} (seed ${SEED})`;
          const ro = await runBoth(old, x);
          const rn = await runBoth(neu, x);
          runs += 2;
          skipped += Number(ro.exhausted) + Number(rn.exhausted);
          if (ro.diffs.length) fail(mismatchReport(`${where} old`, i, x, ro));
          if (rn.diffs.length) fail(mismatchReport(`${where} new`, i, x, rn));
          // An unbounded `equivalent` rests on the solver's proof that no input reaches a loop bound (or on loop summaries).
          if (verdict === 'equivalent' && !loopSummaries && ((ro.exhausted && !ro.outOfGas) || (rn.exhausted && !rn.outOfGas))) fail(`${where}, input #${i}: expected unbounded equivalent, but the interpreter reached a loop bound\n${describeInput(x)}`);
          // Beyond the bound a bounded verdict claims nothing.
          const evmRan = ro.ir?.outOfGas !== true && rn.ir?.outOfGas !== true;
          if (sameOnEvm && evmRan && ((verdict === 'equivalent' && loopSummaries) || (!ro.exhausted && !rn.exhausted))) {
            const d = evmDifference(ro.evm, rn.evm, x.storage);
            if (d.length) fail(`${where}, input #${i}: expected equivalent, but old and new differ on the EVM in ${d.join(', ')}\n${describeInput(x)}\n  old: ${describeRun(ro.evm)}\n  new: ${describeRun(rn.evm)}`);
          }
        }
      }
      if (skipped > 0) console.log(`${name}: ${skipped} of ${runs} interpreter runs reached a loop's unrolling bound; their comparison with the EVM was skipped`);
      expect(failed, `${failed} disagreement(s); the first ${failures.length}:\n\n${failures.join('\n\n')}`).toBe(0);
    });
  }
});

// The solver's counterexamples are checked against the interpreter and the EVM in the fixture corpus suite
// (test/e2e/fixture-suite.ts), which already solves every pair once.
