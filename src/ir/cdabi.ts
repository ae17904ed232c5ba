import { invariant } from '../util/assert.ts';
import { wordBytes } from '../util/hash.ts';

/**
 * Concrete semantics of the calldata-reading encodings (`cdbytesok`, `cdabihash`), shared by the IR
 * interpreter and exact evaluation of solver models, so that both compute what solc's encoder does.
 */

/** CALLDATALOAD: the 32 bytes at a byte offset, zero past the end. */
export type CalldataWord = (offset: bigint) => bigint;

const M256 = (1n << 256n) - 1n;
const MAX64 = (1n << 64n) - 1n;
/** Elements and data words an evaluation goes through at most (larger inputs are not evaluated). */
const MAX_ELEMENTS = 4096n;

const signed = (x: bigint): bigint => (x >> 255n ? x - (1n << 256n) : x);

/** Element k of a calldata `bytes[]` whose offsets start at `start`: its data position and length, or null when solc's checks reject it. */
function element(word: CalldataWord, size: bigint, start: bigint, k: bigint): { data: bigint; len: bigint } | null {
  const rel = word((start + 32n * k) & M256);
  if (!(signed(rel) < signed((size - start - 31n) & M256))) return null;
  const at = (start + rel) & M256;
  const len = at >= size ? 0n : word(at);
  if (len > MAX64) return null;
  const data = (at + 32n) & M256;
  if (signed(data) > signed((size - len) & M256)) return null;
  return { data, len };
}

/** Whether every element of the calldata `bytes[]` passes solc's checks (the `cdbytesok` instruction). */
export function bytesArrayOk(word: CalldataWord, size: bigint, start: bigint, len: bigint): boolean {
  invariant(len <= MAX_ELEMENTS, `a calldata bytes[] of ${len} elements is too long to evaluate`);
  for (let k = 0n; k < len; k++) if (element(word, size, start, k) === null) return false;
  return true;
}

export type ConcreteCdAbiItem = { readonly kind: 'value'; readonly word: bigint } | { readonly kind: 'words' | 'bytesarray' | 'bytes'; readonly start: bigint; readonly len: bigint };

/** The data words of `len` calldata bytes at `data`, zero-padded past the length (as solc copies them). */
function paddedWords(word: CalldataWord, data: bigint, len: bigint): bigint[] {
  const n = (len + 31n) / 32n;
  invariant(n <= MAX_ELEMENTS, `a calldata byte string of ${len} bytes is too long to evaluate`);
  const out: bigint[] = [];
  for (let j = 0n; j < n; j++) {
    let w = word((data + 32n * j) & M256);
    const used = len - 32n * j;
    if (used < 32n) w &= M256 ^ (M256 >> (8n * used));
    out.push(w);
  }
  return out;
}

/** The bytes of `abi.encode(items…)` as solc's encoder writes them (the `cdabihash` preimage); the elements passed their checks. */
export function cdAbiEncoding(word: CalldataWord, size: bigint, items: readonly ConcreteCdAbiItem[]): Uint8Array {
  const heads: bigint[] = [];
  const tails: bigint[] = [];
  const headBytes = 32n * BigInt(items.length);
  for (const it of items) {
    if (it.kind === 'value') {
      heads.push(it.word);
      continue;
    }
    heads.push(headBytes + 32n * BigInt(tails.length));
    if (it.kind === 'bytes') {
      tails.push(it.len, ...paddedWords(word, it.start, it.len));
      continue;
    }
    invariant(it.len <= MAX_ELEMENTS, `a calldata array of ${it.len} elements is too long to evaluate`);
    tails.push(it.len);
    if (it.kind === 'words') {
      for (let j = 0n; j < it.len; j++) tails.push(word((it.start + 32n * j) & M256));
      continue;
    }
    // A bytes[]: the offset words (relative to the first of them), then each length and padded data.
    const offsetsAt = tails.length;
    for (let k = 0n; k < it.len; k++) tails.push(0n);
    for (let k = 0n; k < it.len; k++) {
      const e = element(word, size, it.start, k);
      invariant(e !== null, 'an element the encoder rejects');
      tails[offsetsAt + Number(k)] = 32n * BigInt(tails.length - offsetsAt);
      tails.push(e.len, ...paddedWords(word, e.data, e.len));
    }
  }
  const out = new Uint8Array(32 * (heads.length + tails.length));
  [...heads, ...tails].forEach((w, i) => out.set(wordBytes(w), 32 * i));
  return out;
}
