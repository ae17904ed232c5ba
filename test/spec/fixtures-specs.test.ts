import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPatchproofError } from '../../src/frontend/errors.ts';
import { checkSpecs } from '../../src/spec/cli.ts';
import { proveProperties, type ProveResult } from '../../src/spec/prove.ts';
import { specJson } from '../../src/spec/report.ts';
import { Z3Solver } from '../../src/smt/z3.ts';

/*
 * The spec corpus (fixtures-specs/README.md): each directory holds a contract (or old/new pair), an
 * optional spec file and expected.json with the verdict of every property, or the error expected.
 */

const root = path.resolve(import.meta.dirname, '../../fixtures-specs');
const cacheDir = path.resolve(import.meta.dirname, '../../node_modules/.cache/patchproof-test');

type Verdicts = Record<string, string>;
interface Expected {
  command: 'prove' | 'check';
  spec?: string;
  contract?: string;
  properties?: Verdicts | { old: Verdicts; new: Verdicts };
  error?: { file: string; line: number; col: number; message: string };
  relations?: { entryPoint: string; relation: string; condition?: string; line: number; col?: number }[];
  stateMappings?: { old: string; new: string }[];
  intended?: { kind: string; entryPoint: string }[];
}

let solver: Z3Solver;
beforeAll(async () => { solver = await Z3Solver.start(); });
afterAll(() => solver?.close());

function verdicts(r: ProveResult): Verdicts {
  for (const p of r.properties) {
    // Every refutation shown must have been reproduced on the EVM.
    if (p.verdict.kind === 'violated') expect(p.verdict.counterexample?.replay?.confirmed, `${p.id} replay`).toBe(true);
  }
  return Object.fromEntries(r.properties.map((p) => [p.id, p.verdict.kind]));
}

describe('fixtures-specs', () => {
  for (const name of readdirSync(root).filter((d) => !d.includes('.')).sort()) {
    const dir = path.join(root, name);
    const exp = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Expected;
    const specFile = exp.spec === undefined ? undefined : path.join(dir, exp.spec);
    it(name, async () => {
      const opts = { cacheDir, solver, timeoutMs: 30000, ...(specFile === undefined ? {} : { specFile }), ...(exp.contract === undefined ? {} : { contract: exp.contract }) };
      const run = exp.command === 'prove'
        ? proveProperties({ ...opts, file: path.join(dir, 'contract.sol') })
        : checkSpecs({ oldFile: path.join(dir, 'old.sol'), newFile: path.join(dir, 'new.sol'), ...opts }, specFile!);
      if (exp.error !== undefined) {
        const e = await run.then(() => undefined, (x: unknown) => x);
        expect(isPatchproofError(e), String(e)).toBe(true);
        if (!isPatchproofError(e)) return;
        const d = e.diagnostics[0]!;
        expect(d.file?.endsWith(exp.error.file), `${d.file}`).toBe(true);
        expect([d.line, d.col]).toEqual([exp.error.line, exp.error.col]);
        expect(d.message).toContain(exp.error.message);
        return;
      }
      const r = await run;
      if (exp.command === 'prove') {
        const pr = r as ProveResult;
        expect(verdicts(pr)).toEqual(exp.properties);
        const spec = specJson(pr.spec) as { relations: { entryPoint: string; relation: string; condition?: { text: string; location: { line: number; col: number } }; location: { line: number } }[]; stateMappings: { old: string; new: string }[]; intended: { kind: string; entryPoint: string }[] } | null;
        if (exp.relations !== undefined) {
          expect(spec?.relations.map((x) => ({ entryPoint: x.entryPoint, relation: x.relation, ...(x.condition ? { condition: x.condition.text, col: x.condition.location.col } : {}), line: x.location.line }))).toEqual(exp.relations);
        }
        if (exp.stateMappings !== undefined) expect(spec?.stateMappings.map((m) => ({ old: m.old, new: m.new }))).toEqual(exp.stateMappings);
        if (exp.intended !== undefined) expect(spec?.intended.map((c) => ({ kind: c.kind, entryPoint: c.entryPoint }))).toEqual(exp.intended);
      } else {
        const props = (r as Awaited<ReturnType<typeof checkSpecs>>).json.properties as { old: { properties: { id: string; verdict: string }[] }; new: { properties: { id: string; verdict: string }[] } };
        const map = (x: { properties: { id: string; verdict: string }[] }) => Object.fromEntries(x.properties.map((p) => [p.id, p.verdict]));
        expect({ old: map(props.old), new: map(props.new) }).toEqual(exp.properties);
        expect((r as Awaited<ReturnType<typeof checkSpecs>>).text).toContain('the patch restores it');
      }
    }, 400_000);
  }
});
