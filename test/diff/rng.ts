import { keccakBig } from '../../src/util/hash.ts';

/**
 * A seeded PRNG (splitmix64) so every differential input can be regenerated from the seed printed with a
 * failure. Each case derives its own stream from (seed, labels), so adding a fixture or an entry point
 * does not change the inputs of the others.
 */
export class Rng {
  private state: bigint;

  constructor(seed: bigint) {
    this.state = seed & MASK64;
  }

  static for(seed: bigint, ...labels: string[]): Rng {
    return new Rng(keccakBig([seed.toString(), ...labels].join('/')));
  }

  u64(): bigint {
    this.state = (this.state + 0x9e3779b97f4a7c15n) & MASK64;
    let z = this.state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
    return z ^ (z >> 31n);
  }

  /** Uniform in [0, n). */
  int(n: number): number {
    return Number(this.u64() % BigInt(n));
  }

  chance(p: number): boolean {
    return Number(this.u64() >> 11n) / 2 ** 53 < p;
  }

  pick<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new Error('pick from an empty list');
    return xs[this.int(xs.length)]!;
  }

  /** Uniform in [0, 2^bits). */
  bits(bits: number): bigint {
    let x = 0n;
    for (let i = 0; i < bits; i += 64) x = (x << 64n) | this.u64();
    return x & ((1n << BigInt(bits)) - 1n);
  }

  /** A value of up to `bits` bits whose magnitude is itself random (small values are common). */
  magnitude(bits: number): bigint {
    return this.bits(1 + this.int(bits));
  }
}

const MASK64 = (1n << 64n) - 1n;
