import type { ValueType } from '../ir/types.ts';

/** Names of the shared inputs. Both versions use the same names, so they see the same values. */
export const NAMES = {
  arg: (i: number) => `arg${i}`,
  env: (name: string) => name,
  immutable: (name: string, t: ValueType) => `immutable.${name}.${typeKey(t)}`,
  /** Pre-state word at a root slot (no steps) or a UF over the key and offset words of one slot shape. */
  pre: (root: bigint, shape: string) => (shape === '' ? `pre.${root.toString(16)}` : `pre.${root.toString(16)}.${shapeTag(shape)}`),
  chain: 'h',
  /** keccak256 over inputs of `bytes` bytes; the Evaluator recognises the name and hashes for real. */
  keccak: (bytes: number) => `keccak256.${bytes}`,
  /** A precompile (`sha256`, `ripemd160`, `ecrecover`) over inputs of `bytes` bytes; the Evaluator runs it for real. */
  precompile: (fn: string, bytes: number) => `${fn}.${bytes}`,
} as const;

function typeKey(t: ValueType): string {
  return t.kind === 'bytes' ? `bytes${t.size}` : t.kind === 'uint' || t.kind === 'int' ? `${t.kind}${t.bits}` : t.kind;
}

/** Plain (nested) mappings keep their depth as the tag; other slot shapes spell their steps. */
export function shapeTag(shape: string): string {
  return /^k+$/.test(shape) ? String(shape.length) : shape;
}

/** The shape a tag stands for (inverse of shapeTag). */
export function shapeOfTag(tag: string): string {
  return /^\d+$/.test(tag) ? 'k'.repeat(Number(tag)) : tag;
}
