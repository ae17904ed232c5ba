import type { ValueType } from '../ir/types.ts';

/** Names of the shared inputs. Both versions use the same names, so they see the same values. */
export const NAMES = {
  arg: (i: number) => `arg${i}`,
  env: (name: string) => name,
  immutable: (name: string, t: ValueType) => `immutable.${name}.${typeKey(t)}`,
  /** Pre-state word at a root slot (no keys) or a UF over the mapping keys. */
  pre: (root: bigint, depth: number) => (depth === 0 ? `pre.${root.toString(16)}` : `pre.${root.toString(16)}.${depth}`),
  chain: 'h',
  /** keccak256 over inputs of `bytes` bytes; the Evaluator recognises the name and hashes for real. */
  keccak: (bytes: number) => `keccak256.${bytes}`,
} as const;

function typeKey(t: ValueType): string {
  return t.kind === 'bytes' ? `bytes${t.size}` : t.kind === 'uint' || t.kind === 'int' ? `${t.kind}${t.bits}` : t.kind;
}
