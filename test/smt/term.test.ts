import { describe, expect, it } from 'vitest';
import { Evaluator } from '../../src/smt/eval.ts';
import { TermFactory, evalFn, type Fn, type Term } from '../../src/smt/term.ts';

/** A deterministic stream of interesting words: boundaries, powers of two, and pseudo-random values. */
function* words(w: number, n: number): Generator<bigint> {
  const m = (1n << BigInt(w)) - 1n;
  const fixed = [0n, 1n, 2n, 3n, m, m - 1n, 1n << BigInt(w - 1), (1n << BigInt(w - 1)) - 1n, 10000n & m, 7n];
  yield* fixed;
  let s = 12345n;
  for (let i = 0; i < n; i++) {
    s = (s * 6364136223846793005n + 1442695040888963407n) & ((1n << 128n) - 1n);
    yield ((s >> 64n) * (s & 0xffffffffn) * (s >> 17n)) & m;
  }
}

const BINARY: Fn[] = ['bvadd', 'bvsub', 'bvmul', 'bvudiv', 'bvsdiv', 'bvurem', 'bvsrem', 'bvand', 'bvor', 'bvxor', 'bvshl', 'bvlshr', 'bvashr', 'bvult', 'bvule', 'bvslt', 'bvsle', 'umulo', 'smulo'];

describe('TermFactory simplifications preserve semantics', () => {
  for (const w of [8, 256]) {
    it(`binary operators with one symbolic operand, width ${w}`, () => {
      const F = new TermFactory();
      const x = F.var('x', { k: 'bv', w });
      const consts = [...words(w, 6)];
      for (const fn of BINARY) {
        for (const c of consts) {
          for (const [t, order] of [[F.op(fn as never, x, F.bv(w, c)), 'xc'], [F.op(fn as never, F.bv(w, c), x), 'cx']] as [Term, string][]) {
            for (const v of words(w, 6)) {
              const ev = new Evaluator({ var: () => v, uf: () => 0n });
              const want = order === 'xc' ? evalFn(fn, [v, c], [], [w, w]) : evalFn(fn, [c, v], [], [w, w]);
              expect(ev.word(t), `${fn} ${order} x=${v} c=${c}`).toBe(want);
            }
          }
        }
      }
    });
  }

  it('extract, extend and concat agree with their definitions', () => {
    const F = new TermFactory();
    const x = F.var('x', { k: 'bv', w: 256 });
    for (const v of words(256, 10)) {
      const ev = new Evaluator({ var: () => v, uf: () => 0n });
      const lo = F.extract(7, 0, x);
      expect(ev.word(F.extract(3, 0, F.zext(248, lo)))).toBe(v & 0xfn);
      expect(ev.word(F.sext(248, lo))).toBe(BigInt.asUintN(256, BigInt.asIntN(8, v & 0xffn)));
      expect(ev.word(F.concat(F.extract(255, 8, x), lo))).toBe(v);
      expect(ev.word(F.extract(15, 8, F.concat(lo, F.extract(7, 0, x))))).toBe(v & 0xffn);
    }
  });

  it('hash-conses: structurally equal terms are the same object, commutative operands normalised', () => {
    const F = new TermFactory();
    const a = F.var('a', { k: 'bv', w: 256 });
    const b = F.var('b', { k: 'bv', w: 256 });
    expect(F.op('bvadd', a, b)).toBe(F.op('bvadd', b, a));
    expect(F.and(F.op('bvult', a, b), F.eq(a, b))).toBe(F.and(F.eq(b, a), F.op('bvult', a, b)));
    expect(F.eq(F.op('bvmul', a, b), F.op('bvmul', b, a))).toBe(F.TRUE);
    expect(F.and(F.eq(a, b), F.not(F.eq(a, b)))).toBe(F.FALSE);
  });

  it('ite and boolean connectives fold correctly', () => {
    const F = new TermFactory();
    const c = F.var('c', { k: 'bool' });
    const d = F.var('d', { k: 'bool' });
    for (const cv of [0n, 1n]) {
      for (const dv of [0n, 1n]) {
        const ev = new Evaluator({ var: (n) => (n === 'c' ? cv : dv), uf: () => 0n });
        const B = (x: boolean) => (x ? 1n : 0n);
        expect(ev.word(F.ite(c, F.TRUE, d))).toBe(B(cv === 1n || dv === 1n));
        expect(ev.word(F.ite(c, d, F.FALSE))).toBe(B(cv === 1n && dv === 1n));
        expect(ev.word(F.ite(c, F.FALSE, d))).toBe(B(cv === 0n && dv === 1n));
        expect(ev.word(F.ite(c, d, F.TRUE))).toBe(B(cv === 0n || dv === 1n));
        expect(ev.word(F.ite(F.not(c), F.bv(8, 1n), F.bv(8, 2n)))).toBe(cv ? 2n : 1n);
      }
    }
  });
});
