import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Counterexample } from '../../src/verdicts/types.ts';
import { checkPatch } from '../../src/check.ts';
import { envExtras, preStateOf } from '../../src/replay/confirm.ts';
import { exitCodeOf, toJson } from '../../src/report/json.ts';
import { Z3Solver } from '../../src/smt/z3.ts';
import { projectRoot } from '../cli/helpers.ts';
import { mismatchReport, runBoth } from '../diff/compare.ts';
import { cacheDir, loadVersion, type Version } from '../diff/corpus.ts';
import type { DiffInput } from '../diff/inputs.ts';

/**
 * Every fixture pair through the checker, in process with one solver per file (the CLI's own start-up
 * costs about a second per run; test/e2e/cli-corpus.test.ts runs a sample of the corpus through the real
 * CLI). For each pair: every expected verdict, the overall verdict and the CLI's exit code for it, and
 * every counterexample confirmed on the EVM exactly as the model predicted and agreed with by the IR
 * interpreter. The corpus is split into two halves (fixtures-a/-b.test.ts) that vitest runs in parallel.
 */
export const fixturesDir = path.join(projectRoot, 'fixtures');
export const fixtureNamesAll = readdirSync(fixturesDir).filter((n) => !n.includes('.') && n !== 'shadow').sort();

export interface Expected {
  contract: string;
  overall: string;
  exitCode: number;
  entryPoints: Record<string, string>;
}

export function readExpectedOf(name: string): Expected {
  return JSON.parse(readFileSync(path.join(fixturesDir, name, 'expected.json'), 'utf8')) as Expected;
}

/** The verdict per entry point as expected.json writes it (`bounded`: equivalent up to the loop bound). */
export function verdictsOf(entryPoints: readonly { signature: string; verdict: string; bound?: unknown }[]): Record<string, string> {
  return Object.fromEntries(entryPoints.map((e) => [e.signature, e.verdict === 'equivalent' && e.bound !== undefined ? 'bounded' : e.verdict]));
}

interface JsonEntry {
  signature: string;
  verdict: string;
  reason?: string;
  construct?: string;
  bound?: unknown;
  counterexample?: {
    calldata: string;
    env: Record<string, string>;
    reentrancy?: unknown;
    calls?: unknown;
    replay?: { confirmed: boolean; matchesModel: unknown; notes: string[] };
  };
}

export function fixtureSuite(half: 0 | 1): void {
  describe(`fixture corpus (half ${half + 1} of 2)`, () => {
    let solver: Z3Solver;
    beforeAll(async () => {
      solver = await Z3Solver.start();
    });
    afterAll(() => solver?.close());

    it('has at least 15 pairs', () => {
      expect(fixtureNamesAll.length).toBeGreaterThanOrEqual(15);
    });
    for (const name of fixtureNamesAll.filter((_, i) => i % 2 === half)) {
      it(name, { timeout: 120_000 }, async () => {
        const exp = readExpectedOf(name);
        const oldFile = path.join(fixturesDir, name, 'old.sol');
        const newFile = path.join(fixturesDir, name, 'new.sol');
        const result = await checkPatch({ oldFile, newFile, contract: exp.contract, solver, cacheDir, timeoutMs: 30_000 });
        // The JSON report exactly as `check --format json` prints it.
        const json = JSON.parse(JSON.stringify(toJson(result))) as { overall: string; entryPoints: JsonEntry[] };
        expect(verdictsOf(json.entryPoints), JSON.stringify(json.entryPoints.map((e) => [e.signature, e.verdict, e.reason ?? e.construct ?? '']))).toEqual(exp.entryPoints);
        expect(json.overall).toBe(exp.overall);
        expect(exitCodeOf(result.overall)).toBe(exp.exitCode);
        // Every difference found by the solver carries a counterexample (one-sided selectors and entry points
        // that use storage an incompatible layout broke need none).
        const witnessed = json.entryPoints.filter((e) => e.verdict === 'different' && !/^(added|removed|storage layout):/.test(e.reason ?? ''));
        for (const e of witnessed) {
          const cex = e.counterexample;
          expect(cex, e.signature).toBeDefined();
          // ... confirmed on the EVM, which ran each side exactly as the model predicted. Differences under
          // reentrancy need a re-entrant callee: a replay with plain stubs never confirms them.
          expect(cex!.replay?.confirmed, e.signature).toBe(cex!.reentrancy === undefined);
          expect(cex!.replay?.matchesModel, `${e.signature}: ${cex!.replay?.notes.join('; ')}`).toEqual({ old: true, new: true });
        }
        const signatures = new Set(witnessed.map((e) => e.signature));
        const cexs = result.entryPoints.flatMap((e) => (signatures.has(e.signature) && e.verdict.kind === 'different' && e.verdict.counterexample ? [[e.signature, e.verdict.counterexample] as const] : []));
        await interpreterAgreesOnWitnesses(name, exp.contract, oldFile, newFile, cexs);
      });
    }
  });
}

/**
 * The solver's witnesses are adversarial inputs: the IR interpreter must agree with the EVM on them too.
 * Skipped where the harness cannot reproduce the model's world: immutables, and external calls (answered by
 * the model, not by the harness's stubs).
 */
async function interpreterAgreesOnWitnesses(name: string, contract: string, oldFile: string, newFile: string, cexs: readonly (readonly [string, Counterexample])[]): Promise<void> {
  const plain = cexs.filter(([, c]) => c.calls === undefined);
  if (plain.length === 0) return;
  const versions: [string, Version][] = [
    ['old', await loadVersion(oldFile, contract)],
    ['new', await loadVersion(newFile, contract)],
  ];
  if (versions.some(([, v]) => v.immutables.size > 0)) return;
  for (const [signature, cex] of plain) {
    const env = cex.env;
    const x: DiffInput = {
      calldata: cex.calldata,
      sender: BigInt(env['msg.sender'] ?? 0),
      value: BigInt(env['msg.value'] ?? 0),
      timestamp: BigInt(env['block.timestamp'] ?? 0),
      number: BigInt(env['block.number'] ?? 0),
      storage: preStateOf(cex),
      immutables: new Map(),
      extra: envExtras(env),
    };
    for (const [side, v] of versions) {
      const r = await runBoth(v, x);
      expect(r.diffs, mismatchReport(`${name} ${signature} ${side} (counterexample)`, 0, x, r)).toEqual([]);
    }
  }
}
