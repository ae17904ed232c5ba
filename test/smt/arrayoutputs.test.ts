import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFile, selectContract } from '../../src/frontend/compile.ts';
import { lowerContract, printContract, validateSsa } from '../../src/ir/index.ts';
import { U256, type Block, type IrFunction } from '../../src/ir/types.ts';
import { noLoc } from '../../src/util/loc.ts';
import { projectRoot } from '../cli/helpers.ts';

/**
 * Arrays as ABI output (`mwords`) are compared at a free index shared by both versions, which is exact
 * only where they are output: the SSA validation enforces that, over the harness contract and on IR that
 * breaks the rule.
 */
const cacheDir = path.join(projectRoot, 'node_modules/.cache/patchproof-test');

function fn(blocks: Block[]): IrFunction {
  return { kind: 'function', name: 'f', signature: 'f()', selector: 1n, payable: false, params: [], returns: [], loc: noLoc, implicit: false, body: { ok: true, blocks, entry: 0 } };
}

describe('array outputs stay outputs', () => {
  it('the harness contract with array returns, events and errors validates', async () => {
    const comp = await compileFile(path.join(projectRoot, 'test/diff/contracts/ArrayEvents.sol'), { cacheDir });
    const ir = lowerContract(comp, selectContract(comp));
    for (const f of ir.functions) {
      expect(f.body.ok ? '' : f.body.unsupported.construct, f.signature).toBe('');
      expect(validateSsa(f), `${f.signature}\n${printContract(ir)}`).toEqual([]);
    }
    expect(ir.functions.some((f) => f.body.ok && f.body.blocks.some((b) => b.instrs.some((i) => i.kind === 'mwords')))).toBe(true);
  });

  it('an mwords value or its hash used as a condition or an operand is refused', () => {
    const n = { kind: 'const', id: 0, type: U256, value: 2n, loc: noLoc } as const;
    const ref = { kind: 'alloc', id: 1, len: 0, elem: U256, loc: noLoc } as const;
    const words = { kind: 'mwords', id: 2, ref: 1, elem: U256, loc: noLoc } as const;
    const hash = { kind: 'bkeccak', id: 3, len: 0, data: { kind: 'bytes', value: 2 }, abi: false, loc: noLoc } as const;
    const ok = fn([{ id: 0, instrs: [n, ref, words, hash, { kind: 'emit', signature: 'E(uint256[])', topics: [{ kind: 'value', value: 3, type: { kind: 'bytes', size: 32 } }], data: [{ kind: 'const', word: 0x20n }, { kind: 'value', value: 0, type: U256 }, { kind: 'bytes', value: 2 }], loc: noLoc }], term: { kind: 'return', values: [{ kind: 'bytes', value: 2 }], loc: noLoc } }]);
    expect(validateSsa(ok)).toEqual([]);
    const cmp = { kind: 'bin', id: 4, op: 'eq', a: 3, b: 0, type: U256, loc: noLoc } as const;
    const bad = fn([
      { id: 0, instrs: [n, ref, words, hash, cmp], term: { kind: 'br', cond: 4, then: 1, else: 1, loc: noLoc } },
      { id: 1, instrs: [{ kind: 'guard', cond: 3, revert: { selector: null, words: [], description: 'x' }, loc: noLoc }], term: { kind: 'return', values: [], loc: noLoc } },
    ]);
    const errors = validateSsa(bad);
    expect(errors.some((e) => e.includes('output-only %3 used by bin'))).toBe(true);
    expect(errors.some((e) => e.includes('output-only %3 used by guard'))).toBe(true);
  });
});
