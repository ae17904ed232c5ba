import { sha256 } from '@noble/hashes/sha2.js';
import { ripemd160 } from '@noble/hashes/legacy.js';
import { ecrecover, publicToAddress } from '@ethereumjs/util';

/**
 * The precompiles Solidity's `sha256`, `ripemd160` and `ecrecover` call, computed exactly as the EVM
 * replay computes them (ecrecover follows @ethereumjs/evm's precompile 0x01: `v` must be 27 or 28, and a
 * signature that recovers nothing gives no output, which solc reads as address 0). Results are the value
 * Solidity sees: bytes32, bytes20 (the hash, left-aligned in its type), address.
 */
export type PrecompileFn = 'sha256' | 'ripemd160' | 'ecrecover';

export const PRECOMPILE_BITS: Record<PrecompileFn, number> = { sha256: 256, ripemd160: 160, ecrecover: 160 };

const big = (b: Uint8Array): bigint => (b.length === 0 ? 0n : BigInt('0x' + Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')));

export function runPrecompile(fn: PrecompileFn, input: Uint8Array): bigint {
  switch (fn) {
    case 'sha256':
      return big(sha256(input));
    case 'ripemd160':
      return big(ripemd160(input));
    case 'ecrecover': {
      const data = new Uint8Array(128);
      data.set(input.subarray(0, 128));
      const v = big(data.subarray(32, 64));
      if (v !== 27n && v !== 28n) return 0n;
      try {
        return big(publicToAddress(ecrecover(data.subarray(0, 32), v, data.subarray(64, 96), data.subarray(96, 128))));
      } catch {
        return 0n;
      }
    }
  }
}
