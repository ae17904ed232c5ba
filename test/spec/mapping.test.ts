import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPatch } from '../../src/check.ts';
import { compileFile, selectContract } from '../../src/frontend/compile.ts';
import { parseRelationFlag } from '../../src/obligations/relations.ts';
import { checkStateMappings } from '../../src/spec/mapping.ts';
import { loadSpec } from '../../src/spec/prove.ts';
import { Z3Solver } from '../../src/smt/z3.ts';
import type { Verdict } from '../../src/verdicts/types.ts';
import { projectRoot } from '../cli/helpers.ts';
import { cacheDir } from '../diff/corpus.ts';

const fixture = (name: string) => path.join(projectRoot, 'fixtures-migration', name);
const dir = fixture('renamed-ledger');
const contract = async (file: string) => selectContract(await compileFile(path.join(dir, file), { cacheDir }), 'Ledger');

describe('spec state mappings against the storage layouts', () => {
  it('accepts a rename in place and relates a moved variable through the mapping', async () => {
    const spec = await loadSpec(path.join(dir, 'ledger.spec'));
    const [renamed, moved] = checkStateMappings(spec.stateMappings, await contract('old.sol'), await contract('new.sol'));
    expect(renamed!.inPlace).toBe(true);
    expect(renamed!.through).toBeUndefined();
    expect(renamed!.detail).toContain('renamed in place (slot 1, offset 0, mapping(address => uint256))');
    expect(moved!.inPlace).toBe(false);
    expect(moved!.through).toMatchObject({ depth: 0, bits: 256, old: { root: 2n, offset: 0, bytes: 32 }, new: { root: 3n, offset: 0, bytes: 32 } });
    expect(moved!.detail).toContain('moved or retyped (old slot 2, offset 0, uint256; new slot 3, offset 0, uint256): the entry points are proved through this mapping');
  });

  it('names the spec entry when a variable does not exist', async () => {
    const spec = await loadSpec(path.join(dir, 'ledger.spec'));
    const wrong = [{ ...spec.stateMappings[0]!, oldName: 'balanceOf' }];
    const [o, n] = [await contract('old.sol'), await contract('new.sol')];
    expect(() => checkStateMappings(wrong, o, n)).toThrow(/ledger\.spec:3:1: rename balanceOf -> balanceOf: the old version Ledger has no state variable balanceOf/);
  });

  it('leaves a retype that is not value-preserving unchecked', async () => {
    const spec = await loadSpec(path.join(dir, 'ledger.spec'));
    // total (uint256) related to owner (address): not an integer retype.
    const [r] = checkStateMappings([{ ...spec.stateMappings[1]!, newName: 'owner' }], await contract('old.sol'), await contract('new.sol'));
    expect(r!.through).toBeUndefined();
    expect(r!.detail).toContain('not proved through the mapping (a retype from uint256 to address is not value-preserving');
  });
});

describe('equivalence through a state mapping', () => {
  let solver: Z3Solver;
  beforeAll(async () => {
    solver = await Z3Solver.start();
  });
  afterAll(() => solver.close());

  const check = async (name: string, withSpec: boolean) => {
    const d = fixture(name);
    const spec = await loadSpec(path.join(d, 'vault.spec'));
    return checkPatch({ oldFile: path.join(d, 'old.sol'), newFile: path.join(d, 'new.sol'), cacheDir, solver, ...(withSpec ? { stateMappings: spec.stateMappings } : {}) });
  };
  const verdicts = (r: Awaited<ReturnType<typeof checkPatch>>) => Object.fromEntries(r.entryPoints.map((e) => [e.signature, e.verdict.kind]));

  it('proves a moved mapping and a moved, narrowed total equivalent, with the narrowing assumption', { timeout: 120_000 }, async () => {
    const r = await check('packed-vault', true);
    expect(r.overall).toBe('equivalent');
    expect(new Set(Object.values(verdicts(r)))).toEqual(new Set(['equivalent']));
    const dep = r.entryPoints.find((e) => e.signature === 'deposit(uint256)')!.verdict as Extract<Verdict, { kind: 'equivalent' }>;
    expect(dep.how).toBe('solver');
    expect(dep.through).toEqual(['totalDeposits -> totalDeposits (assuming the old totalDeposits fits in uint128)', 'deposits -> deposits']);
    expect(r.assumptions.at(-1)).toMatch(/^State mapping \(totalDeposits -> totalDeposits, deposits -> deposits\).*Narrowing retypes assume the old totalDeposits fits in uint128/);
    // The layout findings the move explains are kept, as notes.
    expect(r.upgrade.verdict).toBe('compatible');
    expect(r.upgrade.findings.map((f) => `${f.code} ${f.severity}`)).toEqual(['PP101 info', 'PP101 info', 'PP106 info']);
  });

  it('compares slot by slot without the mapping', { timeout: 120_000 }, async () => {
    const r = await check('packed-vault', false);
    expect(r.overall).toBe('incompatible');
    expect(verdicts(r)['deposit(uint256)']).toBe('different');
  });

  it('refutes a move that also changes behaviour, replayed on the EVM from the mapped storage', { timeout: 120_000 }, async () => {
    const r = await check('packed-vault-truncating', true);
    expect(r.overall).toBe('different');
    expect(verdicts(r)).toMatchObject({ 'deposit(uint256)': 'equivalent', 'withdraw(uint256)': 'different', 'totalDeposits()': 'equivalent' });
    const v = r.entryPoints.find((e) => e.signature === 'withdraw(uint256)')!.verdict as Extract<Verdict, { kind: 'different' }>;
    const cex = v.counterexample!;
    expect(cex.replay?.confirmed).toBe(true);
    expect(cex.replay?.matchesModel).toEqual({ old: true, new: true });
    // The new version starts from the old storage moved to the new places.
    expect(cex.stateMapping?.places.map((p) => p.variable).sort()).toEqual(['deposits -> deposits', 'totalDeposits -> totalDeposits']);
    const total = cex.stateMapping!.places.find((p) => p.variable.startsWith('total'))!;
    expect([total.old.slot, total.new.slot]).toEqual(['0x1', '0x3']);
    const oldTotal = BigInt(cex.preState.find((s) => s.slot === '0x1')!.value);
    const newTotal = BigInt(cex.stateMapping!.newPreState.find((s) => s.slot === '0x3')!.value);
    expect(newTotal & ((1n << 128n) - 1n)).toBe(oldTotal);
  });

  it('takes @custom:oz-renamed-from and @custom:oz-retyped-from as the mapping when no spec names the variables', { timeout: 120_000 }, async () => {
    const d = fixture('annotated-ledger');
    const r = await checkPatch({ oldFile: path.join(d, 'old.sol'), newFile: path.join(d, 'new.sol'), cacheDir, solver });
    expect(r.overall).toBe('equivalent');
    const grant = r.entryPoints.find((e) => e.signature === 'grant(address,uint256)')!.verdict as Extract<Verdict, { kind: 'equivalent' }>;
    expect(grant.through).toEqual(['balances -> credit', 'totalCredit -> totalCredit (assuming the old totalCredit fits in uint128)']);
    expect(r.upgrade.verdict).toBe('compatible');
  });

  it('relates the storage a re-entrant callee sees through the mapping', { timeout: 180_000 }, async () => {
    const r = await check('token-vault-reentrancy', true);
    // deposit writes both moved variables before its transferFrom, in both versions: related at the call.
    expect(verdicts(r)).toMatchObject({ 'deposit(uint256)': 'equivalent', 'withdraw(uint256)': 'different' });
    const v = r.entryPoints.find((e) => e.signature === 'withdraw(uint256)')!.verdict as Extract<Verdict, { kind: 'different' }>;
    expect(v.reason).toMatch(/^differs under reentrancy at .*new\.sol:\d+:\d+: the storage or balance a re-entrant caller sees at this call differs between the versions/);
  });

  it('reads relation conditions through the mapping (fix mode, blocks)', { timeout: 180_000 }, async () => {
    const d = fixture('packed-vault');
    const stateMappings = (await loadSpec(path.join(d, 'vault.spec'))).stateMappings;
    const relations = [parseRelationFlag('--blocks', 'withdraw(uint256): amount > deposits[msg.sender]')];
    const r = await checkPatch({ oldFile: path.join(d, 'old.sol'), newFile: path.join(d, 'new.sol'), cacheDir, solver, stateMappings, relations, mode: 'fix' });
    const w = r.entryPoints.find((e) => e.signature === 'withdraw(uint256)')!;
    expect(w.verdict.kind).toBe('equivalent');
    // The condition reads the new version's (mapped) deposits: the new version reverts there, and so did
    // the old one, so there is nothing to block. Read raw, the new slot would be unrelated to the old one.
    expect(w.properties?.map((p) => [p.kind, p.verdict.kind])).toEqual([['blocks', 'vacuous']]);
  });
});
