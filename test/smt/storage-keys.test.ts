import { describe, expect, it } from 'vitest';
import { slotName } from '../../src/ir/slotname.ts';
import { slotOf } from '../../src/ir/slots.ts';
import type { StorageType, StorageVar } from '../../src/ir/types.ts';
import { keyEq, preState, readStore, writeStore, type Key } from '../../src/smt/storage.ts';
import { TermFactory, bv } from '../../src/smt/term.ts';

const U = { kind: 'uint', bits: 256 } as const;
const word: StorageType = { kind: 'value', type: U, bytes: 32 };
const loc = { file: 'x.sol', line: 1, col: 1, astId: 0 };

describe('canonical storage keys', () => {
  it('an element at a symbolic index may be the element at a constant index (same shape, terms compared)', () => {
    const F = new TermFactory();
    const i = F.var('i', bv(256));
    const atI: Key = { root: 3n, shape: 'd', keys: [i] };
    const at0: Key = { root: 3n, shape: 'd', keys: [F.bv(256, 0n)] };
    expect(keyEq(F, atI, at0)).toBe(F.eq(i, F.bv(256, 0n)));
    // A read at index 0 after a write at index i sees the write exactly when i = 0.
    const v = F.var('v', bv(256));
    const read = readStore(F, writeStore(null, atI, v), at0);
    expect(read).toBe(F.ite(F.eq(i, F.bv(256, 0n)), v, preState(F, at0)));
  });

  it('different shapes or roots never alias (the layout assumption)', () => {
    const F = new TermFactory();
    const k = F.var('k', bv(256));
    expect(keyEq(F, { root: 1n, shape: 'm', keys: [k, F.bv(256, 0n)] }, { root: 1n, shape: 'd', keys: [k] })).toBe(F.FALSE);
    expect(keyEq(F, { root: 1n, shape: 'k', keys: [k, F.bv(256, 0n)] }, { root: 2n, shape: 'k', keys: [k, F.bv(256, 0n)] })).toBe(F.FALSE);
  });

  it('names slots after the layout', () => {
    const pos: StorageType = {
      kind: 'struct',
      name: 'Pos',
      members: [
        { name: 'amount', type: { kind: 'value', type: { kind: 'uint', bits: 128 }, bytes: 16 }, slot: 0n, offset: 0 },
        { name: 'open', type: { kind: 'value', type: { kind: 'bool' }, bytes: 1 }, slot: 0n, offset: 16 },
        { name: 'debt', type: word, slot: 1n, offset: 0 },
      ],
      slots: 2n,
    };
    const vars: StorageVar[] = [
      { name: 'positions', contract: 'C', slot: 0n, offset: 0, typeLabel: '', shape: { kind: 'other' }, loc, layout: { kind: 'mapping', key: U, value: pos } },
      { name: 'queue', contract: 'C', slot: 1n, offset: 0, typeLabel: '', shape: { kind: 'other' }, loc, layout: { kind: 'array', elem: pos, length: null } },
      { name: 'admins', contract: 'C', slot: 2n, offset: 0, typeLabel: '', shape: { kind: 'other' }, loc, layout: { kind: 'array', elem: word, length: 3n } },
    ];
    expect(slotName(vars, 0n, 'm', [5n, 1n])).toBe('positions[0x5].debt');
    expect(slotName(vars, 0n, 'm', [5n, 0n])).toBe('positions[0x5].amount/open');
    expect(slotName(vars, 1n, '', [])).toBe('queue.length');
    expect(slotName(vars, 1n, 'd', [7n])).toBe('queue[3].debt');
    expect(slotName(vars, 4n, '', [])).toBe('admins[2]');
  });

  it('computes real slots: mapping entry, array data, offsets', () => {
    const data = slotOf(1n, [{ kind: 'data' }]);
    expect(slotOf(1n, [{ kind: 'data' }, { kind: 'add', n: 7n }])).toBe(data + 7n);
    expect(data).toBe(0xb10e2d527612073b26eecdfd717e6a320cf44b4afac2b0732d9fcbe2b7fa0cf6n);
  });
});
