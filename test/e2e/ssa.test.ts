import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFile, selectContract } from '../../src/frontend/compile.ts';
import { lowerContract, printContract, validateSsa } from '../../src/ir/index.ts';
import { projectRoot } from '../cli/helpers.ts';

/** The SSA invariants hold for every function of every fixture, old and new. */
const fixturesDir = path.join(projectRoot, 'fixtures');
const names = readdirSync(fixturesDir).filter((n) => !n.includes('.') && n !== 'shadow').sort();
const cacheDir = path.join(projectRoot, 'node_modules/.cache/patchproof-test');

describe('validateSsa over the fixture corpus', () => {
  for (const name of names) {
    for (const side of ['old', 'new']) {
      it(`${name}/${side}`, async () => {
        const comp = await compileFile(path.join(fixturesDir, name, `${side}.sol`), { cacheDir });
        const ir = lowerContract(comp, selectContract(comp));
        for (const f of ir.functions) expect(validateSsa(f), `${f.signature}\n${printContract(ir)}`).toEqual([]);
        // Every node carries a real source location.
        for (const f of ir.functions) {
          if (!f.body.ok) continue;
          for (const b of f.body.blocks) for (const i of b.instrs) expect(i.loc.line, `${f.signature}`).toBeGreaterThan(0);
        }
      });
    }
  }
});
