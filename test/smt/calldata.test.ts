import { describe, expect, it } from 'vitest';
import { keccakInput } from '../../src/ir/interp.ts';
import type { KeccakPart, ValueType } from '../../src/ir/types.ts';
import { Evaluator } from '../../src/smt/eval.ts';
import { calldataChunks } from '../../src/smt/calldata.ts';
import { sortOf } from '../../src/smt/symexec.ts';
import { TermFactory } from '../../src/smt/term.ts';
import { Rng } from '../diff/rng.ts';

/**
 * Calldata in the encoder's canonical form (length, the first min(4, length) bytes, then 32-byte words
 * zero-padded at the end) must spell exactly the bytes the interpreter sends, whatever the parts, and
 * equal bytes built by different encoders must give the same terms.
 */
const TYPES: ValueType[] = [{ kind: 'uint', bits: 8 }, { kind: 'uint', bits: 256 }, { kind: 'int', bits: 16 }, { kind: 'bool' }, { kind: 'address' }, { kind: 'bytes', size: 4 }, { kind: 'bytes', size: 32 }];
const packedBytes = (t: ValueType): number => (t.kind === 'bool' ? 1 : t.kind === 'address' ? 20 : t.kind === 'bytes' ? t.size : t.bits / 8);

describe('canonical calldata chunks', () => {
  it('spell the interpreter’s bytes for random packed and padded layouts', () => {
    const rng = Rng.for(7n, 'calldata', 'chunks');
    for (let round = 0; round < 200; round++) {
      const F = new TermFactory();
      const parts: KeccakPart[] = [];
      const values = new Map<number, bigint>();
      const n = 1 + rng.int(6);
      for (let k = 0; k < n; k++) {
        if (rng.chance(0.25)) {
          const bytes = 1 + rng.int(32);
          parts.push({ word: { kind: 'const', word: rng.magnitude(8 * bytes) & ((1n << BigInt(8 * bytes)) - 1n) }, bytes });
          continue;
        }
        const t = rng.pick(TYPES);
        const w = t.kind === 'bool' ? 1 : t.kind === 'address' ? 160 : t.kind === 'bytes' ? 8 * t.size : t.bits;
        values.set(k, rng.magnitude(256) & ((1n << BigInt(w)) - 1n));
        parts.push({ word: { kind: 'value', value: k, type: t }, bytes: rng.chance(0.5) ? 32 : packedBytes(t) });
      }
      const { bytes, chunks } = calldataChunks(F, parts, (id) => F.var(`v${id}`, sortOf((parts[id]!.word as { type: ValueType }).type)));
      const ev = new Evaluator({ var: (name) => values.get(Number(name.slice(1)))!, uf: () => 0n });
      const want = keccakInput(parts, (id) => values.get(id)!);
      expect(bytes).toBe(want.length);
      const hex = Array.from(want, (b) => b.toString(16).padStart(2, '0')).join('');
      const head = Math.min(4, bytes);
      const got = chunks.map((c, i) => ev.word(c).toString(16).padStart(i === 0 ? 2 * head : 64, '0')).join('');
      expect(got.slice(0, 2 * bytes)).toBe(hex);
      // Padding past the length is zero.
      expect(/^0*$/.test(got.slice(2 * bytes))).toBe(true);
    }
  });

  it('give an interface call and the same bytes from another encoder equal terms (aligned) or equal values (packed)', () => {
    const F = new TermFactory();
    const addr: ValueType = { kind: 'address' };
    const u256: ValueType = { kind: 'uint', bits: 256 };
    const val = (id: number) => F.var(`v${id}`, sortOf(id === 0 ? addr : u256));
    const sel = { word: { kind: 'const', word: 0xa9059cbbn }, bytes: 4 } as const;
    const iface = calldataChunks(F, [sel, { word: { kind: 'value', value: 0, type: addr }, bytes: 32 }, { word: { kind: 'value', value: 1, type: u256 }, bytes: 32 }], val);
    // abi.encodePacked(sel, uint256(uint160(a)), b) lays the same words out: the very same terms.
    const sameWords = calldataChunks(F, [sel, { word: { kind: 'value', value: 0, type: addr }, bytes: 32 }, { word: { kind: 'value', value: 1, type: u256 }, bytes: 32 }], val);
    expect(sameWords.chunks.map((c) => c.id)).toEqual(iface.chunks.map((c) => c.id));
    // Twelve zero bytes and a packed address: other terms, the same bit-vectors for every input.
    const packed = calldataChunks(F, [{ word: { kind: 'const', word: 0xa9059cbb000000000000000000000000n }, bytes: 16 }, { word: { kind: 'value', value: 0, type: addr }, bytes: 20 }, { word: { kind: 'value', value: 1, type: u256 }, bytes: 32 }], val);
    expect(packed.bytes).toBe(iface.bytes);
    const rng = Rng.for(7n, 'calldata', 'packed');
    for (let k = 0; k < 50; k++) {
      const vs = [rng.magnitude(160) & ((1n << 160n) - 1n), rng.magnitude(256)];
      const ev = new Evaluator({ var: (name) => vs[Number(name.slice(1))]!, uf: () => 0n });
      expect(packed.chunks.map((c) => ev.word(c))).toEqual(iface.chunks.map((c) => ev.word(c)));
    }
  });
});
