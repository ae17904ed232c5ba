import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLED } from '../../src/frontend/compilers.ts';
import { mismatchReport, runBoth } from './compare.ts';
import { extraDir, loadVersion } from './corpus.ts';
import { generateInput, stateShape } from './inputs.ts';
import { Rng } from './rng.ts';
import { entryShape, SEED, SHOW, TIMEOUT } from './settings.ts';

/**
 * The lowering is checked against the EVM mostly with the newest bundled compiler (the extra contracts'
 * `^0.8.20` pragmas pick it). Here every other bundled 0.8 compiler compiles two of those contracts,
 * pinned to it (a rotating pair per compiler, so each contract meets several compilers), and the IR
 * interpreter must agree with that compiler's code on generated inputs. A compiler whose legacy code
 * generator differs where the lowering assumes it does not shows up here.
 */
const CONTRACTS = ['Conversions.sol', 'Hashing.sol', 'ExternalCalls.sol', 'Libraries.sol', 'StructCalls.sol', 'FnPointers.sol', 'ScratchHashes.sol', 'GetterCalls.sol', 'Enums.sol', 'ArrayParams.sol'];
const N = Math.max(4, Math.floor(Number(process.env.PATCHPROOF_DIFF_N ?? 24) / 3));
const versions = BUNDLED.map((b) => b.version).filter((v) => v.startsWith('0.8.') && v !== BUNDLED[0]!.version);

describe('IR interpreter against the EVM, code from each bundled 0.8 compiler', () => {
  versions.forEach((version, k) => {
    const picked = [CONTRACTS[(2 * k) % CONTRACTS.length]!, CONTRACTS[(2 * k + 1) % CONTRACTS.length]!];
    it(`solc ${version}: ${picked.join(', ')}`, { timeout: TIMEOUT }, async () => {
      const dir = mkdtempSync(path.join(tmpdir(), `pp-solc-${version}-`));
      const failures: string[] = [];
      let failed = 0;
      for (const file of picked) {
        const source = readFileSync(path.join(extraDir, file), 'utf8').replace(/pragma solidity [^;]+;/, `pragma solidity ${version};`);
        const copy = path.join(dir, file);
        writeFileSync(copy, source);
        const v = await loadVersion(copy);
        expect(v.comp.solcVersion.startsWith(version)).toBe(true);
        const shape = stateShape([v.ir]);
        for (const f of v.ir.functions) {
          expect(f.body.ok ? '' : f.body.unsupported.construct, `${file} ${f.signature} (solc ${version})`).toBe('');
          const rng = Rng.for(SEED, `${version}/${file}`, f.signature);
          for (let i = 0; i < N; i++) {
            const x = generateInput(rng, entryShape(f.signature, [f]), shape);
            const r = await runBoth(v, x);
            if (r.diffs.length && failed++ < SHOW) failures.push(mismatchReport(`${file} ${f.signature} (solc ${version}, seed ${SEED})`, i, x, r));
          }
        }
      }
      expect(failed, `${failed} disagreement(s); the first ${failures.length}:\n\n${failures.join('\n\n')}`).toBe(0);
    });
  });
});
