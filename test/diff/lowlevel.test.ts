import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mismatchReport, runBoth } from './compare.ts';
import { extraDir, loadVersion } from './corpus.ts';
import type { DiffInput } from './inputs.ts';

/**
 * Fixed inputs the random harness reaches only by luck: call options evaluated in the order written
 * (at a = 0 both options fail and the first one's panic shows).
 */
describe('low-level calls on chosen inputs, interpreter against the EVM', () => {
  it('evaluates {gas, value} options in the order written', { timeout: 60_000 }, async () => {
    const v = await loadVersion(path.join(extraDir, 'LowLevelCalls.sol'));
    const f = v.ir.functions.find((x) => x.name === 'optionOrder')!;
    const word = (x: bigint) => x.toString(16).padStart(64, '0');
    for (const [a, reversed] of [[0n, 0n], [0n, 1n], [1n, 0n], [1n, 1n]] as const) {
      const x: DiffInput = { calldata: '0x' + f.selector!.toString(16).padStart(8, '0') + word(a) + word(reversed), sender: 5n, value: 0n, timestamp: 1n, number: 1n, storage: new Map([[0n, 0x1234n]]), immutables: new Map(), extra: {} };
      const r = await runBoth(v, x);
      expect(r.diffs, mismatchReport('LowLevelCalls optionOrder', 0, x, r)).toEqual([]);
      if (a === 0n) expect(r.evm.output.slice(-2)).toBe(reversed ? '12' : '11');
    }
  });
});
