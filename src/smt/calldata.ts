import { invariant } from '../util/assert.ts';
import type { KeccakPart, ValueId, ValueType } from '../ir/types.ts';
import { width, type Term, type TermFactory } from './term.ts';

/** A value as its 32-byte ABI word (also how mapping keys are padded before hashing). */
export function abiWord(F: TermFactory, v: Term, t: ValueType): Term {
  switch (t.kind) {
    case 'bool':
      return F.ite(v, F.bv(256, 1n), F.bv(256, 0n));
    case 'uint':
    case 'address':
      return F.zext(256 - width(v), v);
    case 'int':
      return F.sext(256 - width(v), v);
    case 'bytes':
      return t.size === 32 ? v : F.concat(v, F.bv(256 - t.size * 8, 0n));
  }
}

/** The bytes the parts spell (see KeccakPart) as one bit-vector; null when there are none. */
export function concatParts(F: TermFactory, parts: readonly KeccakPart[], val: (id: ValueId) => Term): Term | null {
  let input: Term | null = null;
  for (const p of parts) {
    let t: Term;
    invariant(p.word.kind !== 'bytes', 'byte strings are not modelled as hash input or calldata');
    if (p.word.kind === 'const') t = F.bv(8 * p.bytes, p.word.word);
    else if (p.bytes === 32) t = abiWord(F, val(p.word.value), p.word.type);
    else {
      const v = val(p.word.value);
      t = p.word.type.kind === 'bool' ? F.ite(v, F.bv(8, 1n), F.bv(8, 0n)) : v;
      invariant(width(t) === 8 * p.bytes, 'packed part width');
    }
    input = input === null ? t : F.concat(input, t);
  }
  return input;
}

/**
 * Calldata bytes in one canonical form, whatever encoding made them: the byte length, then the first
 * min(4, length) bytes as one word (the selector), then 32-byte words from byte 4 on (the last one
 * zero-padded on the right). Equal bytes are equal chunks, so an interface call and the same bytes built
 * by `abi.encodeWithSelector` are the same call; for the usual selector-and-words layout the chunks are
 * the parts themselves (identical terms, no solver needed).
 */
export function calldataChunks(F: TermFactory, parts: readonly KeccakPart[], val: (id: ValueId) => Term): { bytes: number; chunks: Term[] } {
  const input = concatParts(F, parts, val);
  if (input === null) return { bytes: 0, chunks: [] };
  const bytes = width(input) / 8;
  const slice = (from: number, n: number): Term => F.extract(8 * (bytes - from) - 1, 8 * (bytes - from - n), input);
  const head = Math.min(4, bytes);
  const chunks = [F.zext(256 - 8 * head, slice(0, head))];
  for (let at = 4; at < bytes; at += 32) {
    const n = Math.min(32, bytes - at);
    chunks.push(n === 32 ? slice(at, 32) : F.concat(slice(at, n), F.bv(8 * (32 - n), 0n)));
  }
  return { bytes, chunks };
}
