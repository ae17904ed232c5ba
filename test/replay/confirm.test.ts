import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/api.ts';
import { checkPatch } from '../../src/check.ts';
import { formatText } from '../../src/report/text.ts';
import { toJson } from '../../src/report/json.ts';
import { confirmOnEvm, replayCounterexample } from '../../src/replay/confirm.ts';
import { Z3Solver } from '../../src/smt/z3.ts';
import type { Counterexample, Verdict } from '../../src/verdicts/types.ts';
import { projectRoot } from '../cli/helpers.ts';

const cacheDir = path.join(projectRoot, 'node_modules/.cache/patchproof-test');
const fixture = (name: string, side: string) => path.join(projectRoot, 'fixtures', name, `${side}.sol`);

let solver: Z3Solver;
let example: CheckResult;
let cex: Counterexample;
let different: Extract<Verdict, { kind: 'different' }>;

beforeAll(async () => {
  solver = await Z3Solver.start();
  example = await checkPatch({ oldFile: fixture('example', 'old'), newFile: fixture('example', 'new'), cacheDir, solver });
  const v = example.entryPoints.find((e) => e.signature === 'withdraw(uint256)')!.verdict;
  if (v.kind !== 'different' || v.counterexample === undefined) throw new Error('the example must yield a counterexample');
  different = v;
  cex = v.counterexample;
}, 120_000);

afterAll(() => solver?.close());

describe('counterexample confirmation on the EVM', () => {
  it('confirms the example counterexample and agrees with the model on both sides', () => {
    const replay = cex.replay!;
    expect(replay.confirmed).toBe(true);
    expect(replay.differs).toEqual(['success']);
    expect(replay.matchesModel).toEqual({ old: true, new: true });
    expect(replay.old.status).toBe('success');
    expect(replay.new.status).toBe('revert');
    // Panic(0x11): the new version's checked subtraction.
    expect(replay.new.output).toBe('0x4e487b71' + '11'.padStart(64, '0'));
    expect(replay.notes).toEqual([]);
  });

  it('prints the replay in the text report', () => {
    const text = formatText(example);
    expect(text).toContain('EVM replay: confirmed (the compiled code differs in success/revert)');
    expect(text).toContain('new: revert with 0x4e487b71');
  });

  it('turns a counterexample the EVM does not reproduce into a loud unknown', async () => {
    // Same code on both sides: nothing can differ, so the model's claimed difference is spurious.
    const code = example.old.runtimeBytecode;
    const v = await confirmOnEvm({ ...different, counterexample: { ...cex, replay: undefined } as Counterexample }, code, code);
    expect(v.kind).toBe('unknown');
    if (v.kind !== 'unknown') return;
    expect(v.reason).toMatch(/^spurious counterexample: the EVM does not reproduce the difference/);
    expect(v.reason).toContain('please report');
    // Both executions travel with the verdict, and the side the model got wrong is named.
    const replay = v.counterexample!.replay!;
    expect(replay.confirmed).toBe(false);
    expect(replay.matchesModel).toEqual({ old: true, new: false });
    expect(replay.notes.some((n) => n.startsWith('new: the model predicts revert (Panic(0x11))'))).toBe(true);

    const result: CheckResult = { ...example, overall: 'unknown', entryPoints: example.entryPoints.map((e) => (e.signature === 'withdraw(uint256)' ? { ...e, verdict: v } : e)) };
    const text = formatText(result);
    expect(text).toContain('SPURIOUS counterexample for withdraw(uint256)');
    expect(text).toContain('EVM replay: NOT reproduced');
    expect(text).toContain('the model disagrees with the EVM');
    const json = toJson(result) as unknown as { entryPoints: { signature: string; verdict: string; counterexample?: { replay?: { confirmed: boolean } } }[] };
    const ep = json.entryPoints.find((e) => e.signature === 'withdraw(uint256)')!;
    expect(ep.verdict).toBe('unknown');
    expect(ep.counterexample?.replay?.confirmed).toBe(false);
  });

  it('reports a wrong prediction about storage on a side the EVM runs differently', async () => {
    const wrong: Counterexample = {
      ...cex,
      old: { ...cex.old, storageWrites: cex.old.storageWrites.map((w) => ({ ...w, value: '0x1' })) },
    };
    const replay = await replayCounterexample(example.old.runtimeBytecode, example.new.runtimeBytecode, wrong);
    expect(replay.confirmed).toBe(true);
    expect(replay.matchesModel).toEqual({ old: false, new: true });
    expect(replay.notes.some((n) => /^old: at slot 0x[0-9a-f]+ the model writes 0x1, the EVM leaves 0x0$/.test(n))).toBe(true);
  });
});
