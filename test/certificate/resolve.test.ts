import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/api.ts';
import { writeEnvelope } from '../../src/certificate/dsse.ts';
import { buildStatement, envelopeOfStatement, sha256Of } from '../../src/certificate/statement.ts';
import { formatVerify, verifyCertificate } from '../../src/certificate/verify.ts';
import { Z3Solver } from '../../src/smt/z3.ts';
import { sampleResult } from '../report/sample.ts';

/*
 * Re-solving the embedded queries: a proof must rest on an unsat answer. A forger who edits a query and
 * its hash consistently (no signatures to stop them) is caught by the solver.
 */

const unsat = '(declare-const x (_ BitVec 8))\n(assert (not (= x x)))\n(check-sat)\n';
const sat = '(declare-const x (_ BitVec 8))\n(assert (= x #x05))\n(check-sat)\n';

function withQuery(text: string): CheckResult {
  const r = sampleResult();
  return {
    ...r,
    old: { ...r.old, inputSha256: 'a'.repeat(64) },
    new: { ...r.new, inputSha256: 'b'.repeat(64) },
    obligations: r.obligations.map((o) => (o.smtSha256 === undefined ? o : { ...o, smtSha256: sha256Of(text) })),
    queries: new Map([['eq:deposit()', text]]),
  };
}

let dir: string;
let solver: Z3Solver;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'patchproof-resolve-'));
  solver = await Z3Solver.start();
}, 60_000);
afterAll(async () => {
  solver.close();
  await rm(dir, { recursive: true, force: true });
});

async function run(text: string) {
  const file = path.join(dir, `${sha256Of(text).slice(0, 8)}.json`);
  await writeEnvelope(file, envelopeOfStatement(buildStatement(withQuery(text))));
  const r = await verifyCertificate({ file, z3: async () => solver, timeoutMs: 10_000 });
  return { ...r, text: formatVerify(file, r) };
}

describe('re-solving embedded queries', () => {
  it('accepts an equivalent obligation whose query is unsat, and lists the checks not run', async () => {
    const r = await run(unsat);
    expect(r.ok, r.text).toBe(true);
    expect(r.text).toContain('obligation eq:deposit(): unsat, as the verdict requires');
    expect(r.text).toMatch(/signatures: not run\n  - the certificate is unsigned/);
    expect(r.text).toMatch(/rebuild: not run/);
  });

  it('rejects an equivalent obligation whose (consistently re-hashed) query is sat', async () => {
    const r = await run(sat);
    expect(r.ok).toBe(false);
    expect(r.text).toMatch(/^certificate does not verify: .*failed: re-solve \(Z3 WASM\)/);
    expect(r.text).toContain('obligation eq:deposit(): verdict equivalent needs its query unsat, the solver answers sat');
  });
});
