import { encodeFunctionData, type AbiParameter } from 'viem';
import { CONTRACT_ADDRESS } from '../replay/evm.ts';
import { assertNever } from '../util/assert.ts';
import type { AbiEntry, ShadowAbi } from './abi.ts';
import { DEFAULT_BLOCK } from './txs.ts';
import type { Hex, ShadowTx } from './types.ts';

/*
 * Random transactions for `shadow --fuzz N`: N calls per entry point (each function of either version,
 * plus receive/fallback when declared), interleaved in a shuffled order so state built by one entry
 * point is seen by the others. Arguments mix boundary values, small numbers, values used earlier in
 * the run (so a withdrawal can match an earlier deposit) and random bits; senders come from a small
 * pool; block values only increase. Everything follows from the seed.
 */

/** The senders: few, so that the same account often comes back to use what it stored. */
export const SENDERS: readonly bigint[] = [0xa11ce, 0xb0b, 0xca201].map((n) => BigInt(n) | (0x5eed5n << 140n));

/** mulberry32: small, fast, and reproducible across platforms. */
class Random {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  bits(n: number): bigint {
    let x = 0n;
    for (let i = 0; i < n; i += 32) x = (x << 32n) | BigInt(Math.floor(this.next() * 4294967296));
    return x & ((1n << BigInt(n)) - 1n);
  }
  shuffle<T>(xs: readonly T[]): T[] {
    const out = [...xs];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
}

type Target = { readonly kind: 'function'; readonly entry: AbiEntry } | { readonly kind: 'receive' | 'fallback' };

export interface Generated {
  readonly txs: readonly ShadowTx[];
  /** The entry points, by signature (`receive()`, `fallback()` for the special ones). */
  readonly entryPoints: readonly string[];
}

export function generateTransactions(abi: ShadowAbi, perEntryPoint: number, seed: number): Generated {
  const rnd = new Random(seed);
  const targets: Target[] = [...abi.entries.values()].map((entry) => ({ kind: 'function', entry }));
  if (abi.has('receive')) targets.push({ kind: 'receive' });
  if (abi.has('fallback')) targets.push({ kind: 'fallback' });
  const gen = new ValueSource(rnd);
  const txs: ShadowTx[] = [];
  let { timestamp, number } = DEFAULT_BLOCK;
  for (let round = 0; round < perEntryPoint; round++) {
    for (const target of rnd.shuffle(targets)) {
      timestamp += BigInt(1 + rnd.int(600));
      number += BigInt(1 + rnd.int(3));
      const payable = target.kind !== 'function' || target.entry.fn.stateMutability === 'payable';
      // Value to a non-payable function is tried now and then: both versions must reject it alike.
      const value = payable || rnd.int(10) === 0 ? gen.etherValue() : 0n;
      const calldata = calldataFor(target, gen, rnd, abi);
      const { signature, call } = abi.describe(calldata);
      txs.push({ index: txs.length + 1, from: rnd.pick(SENDERS), value, timestamp, number, calldata, ...(signature === undefined ? {} : { signature }), call });
    }
  }
  return { txs, entryPoints: targets.map((t) => (t.kind === 'function' ? t.entry.signature : `${t.kind}()`)) };
}

function calldataFor(target: Target, gen: ValueSource, rnd: Random, abi: ShadowAbi): Hex {
  switch (target.kind) {
    case 'receive':
      return '0x';
    case 'fallback': {
      // Calldata that matches no selector of either version (the empty calldata goes to receive when declared).
      for (;;) {
        const data = ('0x' + rnd.bits(32).toString(16).padStart(8, '0') + rnd.bits(256).toString(16).padStart(64, '0')) as Hex;
        if (abi.describe(data).signature === undefined) return data;
      }
    }
    case 'function': {
      const fn = target.entry.fn;
      return encodeFunctionData({ abi: [fn], functionName: fn.name, args: fn.inputs.map((p) => gen.value(p)) });
    }
    default:
      return assertNever(target, 'fuzz target');
  }
}

/** Argument values, remembering what it handed out so later calls can reuse it. */
class ValueSource {
  private readonly seen: bigint[] = [];
  constructor(private readonly rnd: Random) {}

  private remember(x: bigint): bigint {
    if (x < 0n) return x;
    if (this.seen.length < 256) this.seen.push(x);
    else this.seen[this.rnd.int(256)] = x;
    return x;
  }

  etherValue(): bigint {
    const r = this.rnd.int(10);
    if (r < 2) return 0n;
    if (r < 4) return this.remember(BigInt(1 + this.rnd.int(16)));
    if (r < 6) return this.remember(BigInt(1 + this.rnd.int(1_000_000)));
    if (r < 8) return this.remember(10n ** 18n * BigInt(1 + this.rnd.int(100)));
    return this.remember(this.rnd.bits(1 + this.rnd.int(96)));
  }

  private unsigned(bits: number): bigint {
    const max = (1n << BigInt(bits)) - 1n;
    const r = this.rnd.int(20);
    if (r < 5) return this.rnd.pick([0n, 1n, 2n, max, max - 1n, 1n << BigInt(bits - 1)]);
    if (r < 11) return BigInt(this.rnd.int(17));
    if (r < 15) {
      const fits = this.seen.filter((x) => x <= max);
      if (fits.length > 0) return this.rnd.pick(fits);
    }
    return this.rnd.bits(1 + this.rnd.int(bits));
  }

  private signed(bits: number): bigint {
    const half = 1n << BigInt(bits - 1);
    const r = this.rnd.int(20);
    if (r < 5) return this.rnd.pick([0n, 1n, -1n, half - 1n, -half, -half + 1n]);
    if (r < 11) return BigInt(this.rnd.int(33) - 16);
    if (r < 15) {
      const fits = this.seen.filter((x) => x < half);
      if (fits.length > 0) return this.rnd.pick(fits) * (this.rnd.int(2) === 0 ? 1n : -1n);
    }
    return BigInt.asIntN(bits, this.rnd.bits(bits));
  }

  private bytes(n: number): Hex {
    const r = this.rnd.int(3);
    const x = r === 0 ? 0n : r === 1 ? (1n << BigInt(8 * n)) - 1n : this.rnd.bits(8 * n);
    return ('0x' + x.toString(16).padStart(2 * n, '0')) as Hex;
  }

  value(p: AbiParameter): unknown {
    const array = /^(.*)\[(\d*)\]$/.exec(p.type);
    if (array !== null) {
      const n = array[2] === '' ? this.rnd.int(4) : Number(array[2]);
      const element = { ...p, type: array[1]! } as AbiParameter;
      return Array.from({ length: n }, () => this.value(element));
    }
    if (p.type === 'tuple') return ('components' in p ? p.components : []).map((c) => this.value(c));
    const int = /^(u?)int(\d*)$/.exec(p.type);
    if (int !== null) {
      const bits = Number(int[2] || '256');
      return this.remember(int[1] === 'u' ? this.unsigned(bits) : this.signed(bits));
    }
    if (p.type === 'address') {
      const r = this.rnd.int(10);
      const a = r < 7 ? this.rnd.pick(SENDERS) : r === 7 ? 0n : r === 8 ? BigInt(CONTRACT_ADDRESS) : this.rnd.bits(160);
      return '0x' + a.toString(16).padStart(40, '0');
    }
    if (p.type === 'bool') return this.rnd.int(2) === 1;
    const fixed = /^bytes(\d+)$/.exec(p.type);
    if (fixed !== null) return this.bytes(Number(fixed[1]));
    if (p.type === 'bytes') return this.bytes(this.rnd.int(40) + 1);
    if (p.type === 'string') return 'x'.repeat(this.rnd.int(40));
    // Function-typed parameters (an address and a selector): zero is as good as any for a differential test.
    return '0x' + '00'.repeat(24);
  }
}
