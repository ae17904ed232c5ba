import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkPatch, type CheckOptions } from '../../src/check.ts';
import { parseRelationFlag, type EntryRelation, type IntendedChangeSpec, type RelationSpec } from '../../src/obligations/relations.ts';
import { loadSpec } from '../../src/spec/prove.ts';
import { relationsOfSpec } from '../../src/spec/relations.ts';
import { toJson } from '../../src/report/json.ts';
import { Z3Solver } from '../../src/smt/z3.ts';
import { projectRoot, runCli } from '../cli/helpers.ts';

/**
 * The relation fixtures (fixtures-relations/, format in its README): each run of `check` with its flags
 * (--mode fix, --blocks, --differs-only-when, --spec with relation entries; in-process with one solver, the first run of the first pair
 * through the real CLI), with the expected verdict of every
 * entry point, its properties, the overall verdict and the exit code. Every counterexample (of an entry
 * point or a property) must be confirmed on the EVM, each side running as the model predicted.
 */
const dir = path.join(projectRoot, 'fixtures-relations');
const names = readdirSync(dir).filter((n) => !n.includes('.')).sort();
const cacheDir = path.join(projectRoot, 'node_modules/.cache/patchproof-test');

interface Run {
  args: string[];
  overall: string;
  exitCode: number;
  entryPoints: Record<string, string>;
  /** Per entry point, its properties in order as `<kind>:<verdict>`. */
  properties?: Record<string, string[]>;
  /** Per entry point, a substring of its verdict's reason (or of its first violated property's). */
  reasons?: Record<string, string>;
}

interface JsonCex {
  reentrancy?: unknown;
  replay?: { confirmed: boolean; matchesModel: unknown; notes: string[] };
}
interface JsonEntry {
  signature: string;
  verdict: string;
  bound?: unknown;
  reason?: string;
  counterexample?: JsonCex;
  properties?: { kind: string; verdict: string; reason?: string; counterexample?: JsonCex }[];
}

function expectConfirmed(cex: JsonCex | undefined, what: string): void {
  expect(cex, what).toBeDefined();
  expect(cex?.replay?.confirmed, `${what}: ${cex?.replay?.notes.join('; ')}`).toBe(cex?.reentrancy === undefined);
  expect(cex?.replay?.matchesModel, `${what}: ${cex?.replay?.notes.join('; ')}`).toEqual({ old: true, new: true });
}

let started: Promise<Z3Solver> | undefined;
const solver = () => (started ??= Z3Solver.start());
afterAll(async () => (await started)?.close());

/**
 * The CLI flags of a run as check options (the CLI itself is exercised by the first run); a `--spec` path
 * is relative to the fixture's directory.
 */
async function optionsOf(args: readonly string[], fixture: string): Promise<Partial<CheckOptions>> {
  const relations: RelationSpec[] = [];
  const entryRelations: EntryRelation[] = [];
  const intended: IntendedChangeSpec[] = [];
  let mode: CheckOptions['mode'];
  for (let i = 0; i < args.length; i += 2) {
    const [flag, value] = [args[i], args[i + 1]!];
    if (flag === '--mode') mode = value as CheckOptions['mode'];
    else if (flag === '--blocks' || flag === '--differs-only-when') relations.push(parseRelationFlag(flag, value));
    else if (flag === '--spec') {
      const fromSpec = relationsOfSpec(await loadSpec(path.join(fixture, value)));
      relations.push(...fromSpec.relations);
      entryRelations.push(...fromSpec.entryRelations);
      intended.push(...fromSpec.intended);
    } else throw new Error(`unknown flag ${flag} in a relation fixture`);
  }
  return { ...(mode ? { mode } : {}), relations, entryRelations, intended };
}

describe('relation fixtures', () => {
  it('has the relation pairs', () => {
    expect(names.length).toBeGreaterThanOrEqual(7);
  });
  for (const name of names) {
    const exp = JSON.parse(readFileSync(path.join(dir, name, 'expected.json'), 'utf8')) as { contract: string; runs: Run[] };
    for (const [k, run] of exp.runs.entries()) {
      it(`${name} #${k + 1} ${run.args.join(' ')}`, { timeout: 150_000 }, async () => {
        const oldFile = path.join(dir, name, 'old.sol');
        const newFile = path.join(dir, name, 'new.sol');
        let r: { code: number; json: { overall: string; mode: string; entryPoints: JsonEntry[] } };
        if (name === names[0] && k === 0) {
          const cli = await runCli(['check', oldFile, newFile, '--contract', exp.contract, '--format', 'json', '--cache-dir', cacheDir, '--timeout', '30000', ...run.args], { timeoutMs: 140_000 });
          expect(cli.stderr).not.toContain('internal error');
          r = { code: cli.code ?? -1, json: JSON.parse(cli.stdout) };
        } else {
          const json = toJson(await checkPatch({ oldFile, newFile, contract: exp.contract, cacheDir, timeoutMs: 30000, solver: await solver(), ...(await optionsOf(run.args, path.join(dir, name))) }));
          r = { code: json.exitCode, json: json as unknown as { overall: string; mode: string; entryPoints: JsonEntry[] } };
        }
        const json = r.json;
        const got = Object.fromEntries(json.entryPoints.map((e) => [e.signature, e.verdict]));
        expect(got, JSON.stringify(json.entryPoints.map((e) => [e.signature, e.verdict, e.reason ?? '']))).toEqual(run.entryPoints);
        const props = Object.fromEntries(json.entryPoints.filter((e) => e.properties).map((e) => [e.signature, e.properties!.map((p) => `${p.kind}:${p.verdict}`)]));
        expect(props).toEqual(run.properties ?? {});
        expect(json.overall).toBe(run.overall);
        expect(r.code).toBe(run.exitCode);
        expect(json.mode).toBe(run.args.includes('fix') ? 'fix' : 'equivalence');
        for (const [sig, text] of Object.entries(run.reasons ?? {})) {
          const e = json.entryPoints.find((x) => x.signature === sig)!;
          const reasons = [e.reason ?? '', ...(e.properties ?? []).map((p) => p.reason ?? '')];
          expect(reasons.some((x) => x.includes(text)), `${sig}: ${reasons.join(' | ')}`).toBe(true);
        }
        for (const e of json.entryPoints) {
          if (e.verdict === 'different' && !/^(added|removed|storage layout):/.test(e.reason ?? '')) expectConfirmed(e.counterexample, e.signature);
          for (const p of e.properties ?? []) if (p.verdict === 'violated') expectConfirmed(p.counterexample, `${e.signature} ${p.kind}`);
        }
      });
    }
  }
});

describe('intended additions and removals', () => {
  it('refuses a spec entry that names an entry point both versions have, at its position', async () => {
    const d = path.join(dir, 'intended-added-removed');
    await expect(checkPatch({
      oldFile: path.join(d, 'old.sol'), newFile: path.join(d, 'new.sol'), contract: 'Counter', cacheDir, solver: await solver(),
      intended: [{ kind: 'added', entryPoint: 'increment', origin: { source: 'x.spec', line: 3, col: 1 } }],
    })).rejects.toThrow('x.spec:3:1: added increment(): both versions have it, so it was not added');
  });
});
