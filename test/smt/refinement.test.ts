import { describe, expect, it } from 'vitest';
import type { Assignment } from '../../src/smt/eval.ts';
import { Refinement } from '../../src/smt/models.ts';
import { TermFactory } from '../../src/smt/term.ts';

const W256 = { k: 'bv', w: 256 } as const;

/** A model that gives only the input x; keccak256 is evaluated for real by exact evaluation. */
const model = (x: bigint): Assignment => ({ var: () => x, uf: () => 0n });

describe('Refinement', () => {
  it('learns the real keccak256 at each refuted model, then says the rounds ran out', () => {
    const F = new TermFactory();
    const x = F.var('x', W256);
    // "keccak256(x) is 7": no real input does it, so every model rests on an invented hash.
    const goal = F.eq(F.uf('keccak256.32', W256, [x]), F.bv(256, 7n));
    const r = new Refinement(F, goal);
    expect(r.stages.length).toBe(2);
    for (let k = 1; k <= Refinement.ROUNDS; k++) {
      r.learn(model(BigInt(k)));
      expect(r.stoppedBy).toBeUndefined();
      expect(r.stages.length).toBe(2 + 2 * k);
      expect(r.stages.at(-2)!.pins).toHaveLength(1);
    }
    r.learn(model(100n));
    expect(r.stoppedBy).toBe('limit');
    expect(r.stages.length).toBe(2 + 2 * Refinement.ROUNDS);
  });

  it('says when a refuted model taught nothing new (not a keccak or precompile answer)', () => {
    const F = new TermFactory();
    const x = F.var('x', W256);
    const r = new Refinement(F, F.eq(F.uf('keccak256.32', W256, [x]), F.bv(256, 7n)));
    r.learn(model(1n));
    expect(r.stoppedBy).toBeUndefined();
    r.learn(model(1n));
    expect(r.stoppedBy).toBe('no-facts');
  });
});
