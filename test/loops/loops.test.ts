import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPatch } from '../../src/check.ts';
import { buildCertificate, parseCertificate } from '../../src/certificate/cert.ts';
import { compileFile, selectContract } from '../../src/frontend/compile.ts';
import { interpret } from '../../src/ir/interp.ts';
import { lowerContract, printContract, validateSsa } from '../../src/ir/index.ts';
import { toJson } from '../../src/report/json.ts';
import { formatText } from '../../src/report/text.ts';
import { Z3Solver } from '../../src/smt/z3.ts';
import { projectRoot, runCli } from '../cli/helpers.ts';

/** Bounded unrolling of loops: the bound in the IR, the verdicts and the reports. */

const cacheDir = path.join(projectRoot, 'node_modules/.cache/patchproof-test');
const fixture = (name: string, side: 'old' | 'new') => path.join(projectRoot, 'fixtures', name, `${side}.sol`);
const refactor = { oldFile: fixture('loop-refactor-for-to-while', 'old'), newFile: fixture('loop-refactor-for-to-while', 'new'), cacheDir };

let solver: Z3Solver;
beforeAll(async () => {
  solver = await Z3Solver.start();
});
afterAll(() => solver?.close());

describe('lowering', () => {
  it('unrolls each loop `bound` times and ends the path of iteration bound + 1 in `exhausted`', { timeout: 60_000 }, async () => {
    const comp = await compileFile(refactor.oldFile, { cacheDir });
    for (const bound of [1, 3, 5]) {
      const ir = lowerContract(comp, selectContract(comp), { loopBound: bound });
      const f = ir.functions.find((x) => x.signature === 'sumFirst(address,uint256)')!;
      expect(validateSsa(f)).toEqual([]);
      expect(f.body.ok).toBe(true);
      if (!f.body.ok) continue;
      const exhausted = f.body.blocks.filter((b) => b.term.kind === 'exhausted');
      expect(exhausted).toHaveLength(1);
      expect(exhausted[0]!.term).toMatchObject({ kind: 'exhausted', bound, loc: { line: 24 } });
      // One checked `total +=` per unrolled iteration.
      const adds = f.body.blocks.flatMap((b) => b.instrs).filter((i) => i.kind === 'bin' && i.op === 'addov');
      expect(adds.length).toBeGreaterThanOrEqual(bound);
      expect(printContract(ir)).toContain(`exhausted (loop bound ${bound})`);
    }
  });

  it('the interpreter runs the unrolled IR and reports a run that reaches the bound as exhausted', { timeout: 60_000 }, async () => {
    const comp = await compileFile(refactor.oldFile, { cacheDir });
    const f = lowerContract(comp, selectContract(comp), { loopBound: 3 }).functions.find((x) => x.signature === 'sumFirst(address,uint256)')!;
    const call = (n: bigint) =>
      interpret(f, {
        calldata: '0x' + f.selector!.toString(16).padStart(8, '0') + '0'.repeat(64) + n.toString(16).padStart(64, '0'),
        sender: 1n,
        value: 0n,
        timestamp: 0n,
        number: 0n,
        storage: new Map(),
      });
    expect(call(3n).status).toBe('success');
    const r = call(4n);
    expect(r.status).toBe('exhausted');
    expect(r.exhaustedAt?.line).toBe(24);
    expect(call(9n).status).toBe('revert');
  });
});

describe('verdicts', () => {
  it('a constant trip count within the bound is a complete, unbounded proof; beyond it, bounded', { timeout: 120_000 }, async () => {
    const five = await checkPatch({ ...refactor, solver });
    const total5 = five.entryPoints.find((e) => e.signature === 'totalGranted(address)')!.verdict;
    expect(total5).toEqual({ kind: 'equivalent', how: 'identical-terms' });
    const three = await checkPatch({ ...refactor, solver, loopBound: 3 });
    const total3 = three.entryPoints.find((e) => e.signature === 'totalGranted(address)')!.verdict;
    expect(total3).toMatchObject({ kind: 'equivalent', bound: { loops: 3, exhaustedAt: { line: 16 } } });
    // A parameter trip count up to 8 stays bounded even at 5 ...
    expect(five.entryPoints.find((e) => e.signature === 'sumFirst(address,uint256)')!.verdict).toMatchObject({ bound: { loops: 5 } });
    expect(five.overall).toBe('bounded');
    // ... and becomes a full proof once the bound covers it.
    const eight = await checkPatch({ ...refactor, solver, loopBound: 8 });
    expect(eight.entryPoints.find((e) => e.signature === 'sumFirst(address,uint256)')!.verdict).toEqual({ kind: 'equivalent', how: 'identical-terms' });
    expect(eight.overall).toBe('equivalent');
  });

  it('the bound is in the text report, the JSON (exit code 2) and the certificate', { timeout: 120_000 }, async () => {
    const r = await checkPatch({ ...refactor, solver });
    const text = formatText(r);
    expect(text).toMatch(/^ {2}equivalent \(loops unrolled to 5\) +sumFirst\(address,uint256\) .*the loop at .*old\.sol:24:9 can run longer$/m);
    expect(text).toContain('overall: bounded (equivalent only up to the loop bound; not a proof)');
    const json = toJson(r);
    expect(json.overall).toBe('bounded');
    expect(json.exitCode).toBe(2);
    const ep = json.entryPoints.find((e) => e.signature === 'sumFirst(address,uint256)')!;
    expect(ep.verdict).toBe('equivalent');
    expect(ep.bound).toMatchObject({ loops: 5, exhaustedAt: { line: 24, col: 9 } });
    expect(json.entryPoints.find((e) => e.signature === 'totalGranted(address)')!.bound).toBeUndefined();
    const cert = buildCertificate(r);
    expect(cert.overall).toBe('bounded');
    expect(cert.entryPoints.find((e) => e.signature === 'sumFirst(address,uint256)')!.bound).toMatchObject({ loops: 5 });
    const back = parseCertificate(JSON.parse(JSON.stringify(cert)), 'cert.json');
    expect(back.overall).toBe('bounded');
    expect(back.entryPoints.find((e) => e.signature === 'sumFirst(address,uint256)')!.bound).toEqual(cert.entryPoints.find((e) => e.signature === 'sumFirst(address,uint256)')!.bound);
  });
});

describe('CLI', () => {
  it('rejects a loop bound that is not a whole number from 1 to 64', { timeout: 60_000 }, async () => {
    for (const bad of ['0', '65', '2.5']) {
      const r = await runCli(['check', refactor.oldFile, refactor.newFile, '--loop-bound', bad]);
      expect(r.code, bad).toBe(3);
      expect(r.stderr).toContain('--loop-bound');
    }
  });
});

describe('a change beyond the bound', () => {
  it('is never reported as a plain equivalent: the verdict names the bound and the loop', { timeout: 120_000 }, async () => {
    const r = await checkPatch({ oldFile: fixture('loop-change-beyond-bound', 'old'), newFile: fixture('loop-change-beyond-bound', 'new'), cacheDir, solver });
    const v = r.entryPoints.find((e) => e.signature === 'process(uint256)')!.verdict;
    expect(v).toMatchObject({ kind: 'equivalent', bound: { loops: 5, exhaustedAt: { line: 17, col: 9 } } });
    expect(r.overall).toBe('bounded');
  });
});

describe('identical IR with loops', () => {
  it('is unbounded: identical unrolled IR is the same program past the bound too, with or without summaries', { timeout: 120_000 }, async () => {
    for (const summaries of [true, false]) {
      const r = await checkPatch({ oldFile: refactor.oldFile, newFile: refactor.oldFile, cacheDir, solver, summaries });
      expect(r.entryPoints.find((e) => e.signature === 'sumFirst(address,uint256)')!.verdict).toEqual({ kind: 'equivalent', how: 'identical-ir' });
      expect(r.entryPoints.find((e) => e.signature === 'totalGranted(address)')!.verdict).toEqual({ kind: 'equivalent', how: 'identical-ir' });
      expect(r.overall).toBe('equivalent');
    }
  });
});
