import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mismatchReport, runBoth } from './compare.ts';
import { extraContracts, extraDir, loadVersion } from './corpus.ts';
import { generateInput, stateShape } from './inputs.ts';
import { Rng } from './rng.ts';
import { entryShape, N, SEED, SHOW, TIMEOUT } from './settings.ts';

describe('IR interpreter against the EVM on single-version contracts (types and constructs the fixtures miss)', () => {
  for (const file of extraContracts()) {
    it(file, { timeout: TIMEOUT }, async () => {
      const v = await loadVersion(path.join(extraDir, file));
      const shape = stateShape([v.ir]);
      const failures: string[] = [];
      let failed = 0;
      let runs = 0;
      let skipped = 0;
      for (const f of v.ir.functions) {
        // These contracts are written to be fully modelled: an unsupported entry point is a regression.
        expect(f.body.ok ? '' : f.body.unsupported.construct, `${file} ${f.signature}`).toBe('');
        const rng = Rng.for(SEED, file, f.signature);
        for (let i = 0; i < N; i++) {
          const x = generateInput(rng, entryShape(f.signature, [f]), shape);
          const r = await runBoth(v, x);
          runs++;
          skipped += Number(r.exhausted);
          if (r.diffs.length && failed++ < SHOW) failures.push(mismatchReport(`${file} ${f.signature} (seed ${SEED})`, i, x, r));
        }
      }
      if (skipped > 0) console.log(`${file}: ${skipped} of ${runs} interpreter runs reached a loop's unrolling bound; their comparison with the EVM was skipped`);
      expect(failed, `${failed} disagreement(s); the first ${failures.length}:\n\n${failures.join('\n\n')}`).toBe(0);
    });
  }
});
