import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPatchproofError } from '../../src/frontend/errors.ts';
import { Z3Solver } from '../../src/smt/z3.ts';
import { proveMigration } from '../../src/spec/migration.ts';
import { projectRoot } from '../cli/helpers.ts';
import { cacheDir } from '../diff/corpus.ts';

/**
 * The upgrade step: from any state satisfying the old version's invariants, a successful migration call
 * leaves every invariant of the new version true (fixtures-migration/fee-reserve).
 */
const dir = path.join(projectRoot, 'fixtures-migration/fee-reserve');
const oldFile = path.join(dir, 'old.sol');
const newFile = path.join(dir, 'new.sol');

let solver: Z3Solver;
beforeAll(async () => {
  solver = await Z3Solver.start();
});
afterAll(() => solver?.close());

const verdicts = (r: Awaited<ReturnType<typeof proveMigration>>) => Object.fromEntries(r.properties.map((p) => [`${p.id} ${p.expression}`, p.verdict.kind]));

describe('migration obligation', { timeout: 120_000 }, () => {
  it('proves the checked migration establishes the new invariants from the old ones', async () => {
    const r = await proveMigration({ oldFile, newFile, migration: 'initializeV2(uint256)', solver, cacheDir, timeoutMs: 30_000 });
    expect(verdicts(r)).toEqual({ 'migration#0 totalShares <= totalAssets': 'proved', 'migration#1 feeReserve <= totalAssets': 'proved' });
    expect(r.overall).toBe('proved');
  });

  it('refutes the unchecked migration with a replayed counterexample, and keeps the old invariant', async () => {
    const r = await proveMigration({ oldFile, newFile, migration: 'initializeV2Unchecked', solver, cacheDir, timeoutMs: 30_000 });
    expect(verdicts(r)).toEqual({ 'migration#0 totalShares <= totalAssets': 'proved', 'migration#1 feeReserve <= totalAssets': 'violated' });
    const v = r.properties.find((p) => p.id === 'migration#1')!.verdict;
    expect(v.kind === 'violated' && v.counterexample?.replay?.confirmed).toBe(true);
  });

  it('without an old invariant, the migration must establish the new ones from any state', async () => {
    // The old version has no annotations here: the new file stands in for both, and the unchecked
    // migration cannot keep `totalShares <= totalAssets` from a state where it was already false.
    const r = await proveMigration({ oldFile: path.join(projectRoot, 'fixtures/example/old.sol'), newFile, newContract: 'ShareVault', migration: 'initializeV2', solver, cacheDir, timeoutMs: 30_000 });
    expect(verdicts(r)['migration#0 totalShares <= totalAssets']).toBe('violated');
  });

  it('refuses a migration function the new version does not have', async () => {
    const r = await proveMigration({ oldFile, newFile, migration: 'initializeV3', solver, cacheDir, timeoutMs: 30_000 });
    expect(r.properties.every((p) => p.verdict.kind === 'unsupported')).toBe(true);
    expect(r.properties[0]!.verdict.kind === 'unsupported' && r.properties[0]!.verdict.construct).toContain('declares no such public or external function');
  });

  it('names the new version when it has no invariant to establish', async () => {
    const e = await proveMigration({ oldFile, newFile: path.join(projectRoot, 'fixtures/example/new.sol'), migration: 'withdraw', solver, cacheDir }).then(() => undefined, (x: unknown) => x);
    expect(isPatchproofError(e) && e.message).toContain('the new version has no invariant for the migration withdraw to establish');
  });

  it('refuses to assume old invariants whose names mean something else on the new version', async () => {
    // `total` moves to another slot and `CAP` is a constant the new version changed: evaluated on the new
    // version, `total <= CAP` would not be the old invariant, so nothing may be proved from it.
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'patchproof-migration-'));
    const src = (pre: string, cap: number) => `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;
/// #invariant total <= CAP;
contract C {
    uint256 public constant CAP = ${cap};
    ${pre}
    uint256 public total;
    function migrate() external { total = total; }
}
`;
    writeFileSync(path.join(tmp, 'old.sol'), src('', 100));
    writeFileSync(path.join(tmp, 'new.sol'), src('uint256 public epoch;', 50));
    const r = await proveMigration({ oldFile: path.join(tmp, 'old.sol'), newFile: path.join(tmp, 'new.sol'), migration: 'migrate', solver, cacheDir, timeoutMs: 30_000 });
    const v = r.properties[0]!.verdict;
    expect(v.kind).toBe('unsupported');
    expect(v.kind === 'unsupported' && v.construct).toContain('the old invariants use CAP, total, which the new version does not keep');
  });
});
