import type { SrcLoc } from '../util/loc.ts';
import { keccakBig, wordBytes } from '../util/hash.ts';
import { InterpreterError } from './interp.ts';

/**
 * Byte strings (`string`/`bytes`) for the IR interpreter: stored data as solc reads and writes it, and
 * the bytes keccak256 hashes. Shared with exact evaluation (smt/eval.ts) and lowering (constant hashes).
 */

const M256 = (1n << 256n) - 1n;

/** Byte arrays longer than this many words are refused: the EVM runs out of gas copying them. */
export const MAX_BYTES_WORDS = 4096n;

/** The data words of a stored byte array, zero past its length (see the `sbytes` instruction). */
export function storedBytes(slot: bigint, word: bigint, len: bigint, raw: boolean, storage: ReadonlyMap<bigint, bigint>, loc: SrcLoc): bigint[] {
  const clean = (w: bigint): bigint => (raw || len % 32n === 0n ? w : w & (M256 ^ (M256 >> (8n * (len % 32n)))));
  if ((word & 1n) === 0n) return len === 0n ? [] : [clean(word & (M256 ^ 0xffn))];
  const n = (len + 31n) / 32n;
  if (n > MAX_BYTES_WORDS) throw new InterpreterError(`stored byte array of ${len} bytes is too long to run`, loc);
  const base = keccakBig(wordBytes(slot));
  const out: bigint[] = [];
  for (let k = 0n; k < n; k++) out.push(storage.get((base + k) & M256) ?? 0n);
  if (out.length > 0) out[out.length - 1] = clean(out[out.length - 1]!);
  return out;
}

/** The bytes keccak256 hashes for a byte string (see the `bkeccak` instruction). */
export function byteStringInput(len: bigint, data: readonly bigint[], abi: boolean): Uint8Array {
  const n = Number((len + 31n) / 32n);
  const words = data.slice(0, n);
  while (words.length < n) words.push(0n);
  const bytes = words.flatMap((w) => [...wordBytes(w)]);
  if (!abi) return new Uint8Array(bytes.slice(0, Number(len)));
  return new Uint8Array([...wordBytes(0x20n), ...wordBytes(len), ...bytes]);
}

/**
 * The slot words a byte string of `len` bytes (`data`: its words, at least ceil(len/32)) written over the
 * stored one whose slot word was `old` leaves, in solc's order (see the `bstore` instruction): stale long-
 * form data words cleared, then the new data words, then the slot word.
 */
export function storeBytes(slot: bigint, old: bigint, len: bigint, data: readonly bigint[], loc: SrcLoc): [bigint, bigint][] {
  const n = (len + 31n) / 32n;
  if (BigInt(data.length) < n) throw new InterpreterError(`byte string of ${len} bytes given ${data.length} words`, loc);
  const out: [bigint, bigint][] = [];
  const base = keccakBig(wordBytes(slot));
  const clean = (w: bigint, k: bigint): bigint => (len - 32n * k >= 32n ? w : w & (M256 ^ (M256 >> (8n * (len - 32n * k)))));
  if ((old & 1n) === 1n) {
    const from = len >= 32n ? n : 0n;
    const to = ((old >> 1n) + 31n) / 32n;
    if (to - from > MAX_BYTES_WORDS) throw new InterpreterError(`clearing a stored byte array of ${old >> 1n} bytes is too long to run`, loc);
    for (let k = from; k < to; k++) out.push([(base + k) & M256, 0n]);
  }
  if (len < 32n) {
    out.push([slot, (len === 0n ? 0n : clean(data[0]!, 0n)) | (2n * len)]);
    return out;
  }
  if (n > MAX_BYTES_WORDS) throw new InterpreterError(`byte string of ${len} bytes is too long to store`, loc);
  for (let k = 0n; k < n; k++) out.push([(base + k) & M256, clean(data[Number(k)]!, k)]);
  out.push([slot, 2n * len + 1n]);
  return out;
}

/**
 * The data words of the byte string `parts` spell (see the `bcat` instruction): each byte-string part's
 * first `len` bytes, each packed part's bytes, zero-padded to whole words. `len` must be their count.
 */
export function concatBytes(len: bigint, parts: readonly ({ readonly len: bigint; readonly words: readonly bigint[] } | { readonly bytes: Uint8Array })[], loc: SrcLoc): bigint[] {
  const out: number[] = [];
  for (const p of parts) {
    if ('bytes' in p) {
      out.push(...p.bytes);
      continue;
    }
    if ((p.len + 31n) / 32n > MAX_BYTES_WORDS) throw new InterpreterError(`byte string of ${p.len} bytes is too long to run`, loc);
    out.push(...byteStringInput(p.len, p.words, false));
  }
  if (BigInt(out.length) !== len) throw new InterpreterError(`concatenation of ${out.length} bytes given length ${len}`, loc);
  return wordsOfBytes(out);
}

/** Bytes as 32-byte words, the last one zero-padded. */
export function wordsOfBytes(bytes: ArrayLike<number>): bigint[] {
  const words: bigint[] = [];
  for (let i = 0; i < bytes.length; i += 32) {
    let w = 0n;
    for (let j = 0; j < 32; j++) w = (w << 8n) | BigInt(bytes[i + j] ?? 0);
    words.push(w);
  }
  return words;
}
