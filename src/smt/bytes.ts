import { invariant } from '../util/assert.ts';
import { bv, type Term, type TermFactory } from './term.ts';
import type { Assignment } from './eval.ts';

/**
 * Byte strings (`bytes`/`string`) as terms. A byte string's data words — ceil(len/32) of them, however
 * many — are one *token* term, placed as a single element in the output chains (return data, revert
 * data, logs). A token is a deterministic function of what it is read from (the pre-state, a length),
 * so equal token terms denote equal word sequences; distinct tokens are free for the solver to make
 * differ, and exact evaluation (`Evaluator`) expands each token into its real words before a
 * counterexample is believed. Nothing is truncated: an unbounded sequence stays one uninterpreted term.
 */
export const BYTES_NAMES = {
  /** Short form (< 32 bytes) in its slot: args (len, slot word with the length byte cleared). */
  short: 'bytes.short',
  /** Short form, raw: the slot word with only its length byte cleared (bytes past len kept). */
  shortRaw: 'bytes.short.raw',
  /** Long form of the pre-state byte array at a root slot: arg len; its words are `word(root)`(i). */
  data: (root: bigint) => `bytes.data.${root.toString(16)}`,
  /** The same, raw: the last word as stored, bytes past len kept. */
  dataRaw: (root: bigint) => `bytes.data.raw.${root.toString(16)}`,
  /**
   * The calldata word at a byte offset. Independent of the argument words `argN` even where they
   * overlap: an over-approximation of real calldata (sound for proofs; a counterexample is rebuilt as
   * real calldata and re-run before it is believed).
   */
  calldata: 'cd',
  /** Data words of the calldata bytes [start, start + len): args (start, len); words from `cd`. */
  calldataBytes: 'bytes.cd',
  /** Pre-state word i of the long-form data of the byte array at `root` (at keccak256(root) + i). */
  word: (root: bigint) => `bytes.word.${root.toString(16)}`,
} as const;

/** A byte array read from storage: `word` is its slot word, `len` its decoded length. */
export function storedBytesToken(F: TermFactory, root: bigint, word: Term, len: Term, raw: boolean): Term {
  const odd = F.eq(F.extract(0, 0, word), F.bv(1, 1n));
  if (raw) return F.ite(odd, F.uf(BYTES_NAMES.dataRaw(root), bv(256), [len]), F.uf(BYTES_NAMES.shortRaw, bv(256), [len, F.op('bvand', word, F.bv(256, ~0xffn))]));
  // Only the first len bytes count (the getter and every copy zero the rest), so mask them here: then
  // equal contents give equal tokens.
  const keep = F.op('bvnot', F.op('bvlshr', F.bv(256, -1n), F.op('bvshl', len, F.bv(256, 3n))));
  const short = F.uf(BYTES_NAMES.short, bv(256), [len, F.op('bvand', word, keep)]);
  const long = F.uf(BYTES_NAMES.data(root), bv(256), [len]);
  return F.ite(odd, long, short);
}

export function calldataWord(F: TermFactory, offset: Term): Term {
  return F.uf(BYTES_NAMES.calldata, bv(256), [offset]);
}

export function calldataBytesToken(F: TermFactory, start: Term, len: Term): Term {
  return F.uf(BYTES_NAMES.calldataBytes, bv(256), [start, len]);
}

/** Byte arrays longer than this many words are not evaluated: no EVM run could copy them. */
export const MAX_EVAL_WORDS = 4096n;

/**
 * Exact value of a token function application, or undefined when `name` is not one. `uf` reads the
 * assignment's pre-state words.
 */
export function evalBytesUf(name: string, args: readonly bigint[], uf: (name: string, args: readonly bigint[], widths: readonly number[]) => bigint): { words: readonly bigint[] } | undefined {
  if (name === BYTES_NAMES.short) return { words: args[0] === 0n ? [] : [cleanTail(args[1]!, args[0]!)] };
  if (name === BYTES_NAMES.shortRaw) return { words: args[0] === 0n ? [] : [args[1]!] };
  if (name === BYTES_NAMES.calldataBytes) {
    const [start, len] = [args[0]!, args[1]!];
    invariant((len + 31n) / 32n <= MAX_EVAL_WORDS, `a calldata byte string of ${len} bytes is too long to evaluate`);
    const words: bigint[] = [];
    for (let k = 0n; k < len; k += 32n) words.push(uf(BYTES_NAMES.calldata, [(start + k) & ((1n << 256n) - 1n)], [256]));
    if (words.length > 0) words[words.length - 1] = cleanTail(words[words.length - 1]!, len);
    return { words };
  }
  const m = name.match(/^bytes\.data\.(raw\.)?([0-9a-f]+)$/);
  if (!m) return undefined;
  const len = args[0]!;
  const n = (len + 31n) / 32n;
  invariant(n <= MAX_EVAL_WORDS, `a byte array of ${len} bytes is too long to evaluate`);
  const words: bigint[] = [];
  for (let i = 0n; i < n; i++) words.push(uf(`bytes.word.${m[2]}`, [i], [256]));
  if (n > 0n && !m[1]) words[words.length - 1] = cleanTail(words[words.length - 1]!, len);
  return { words };
}

/** The last data word of a byte string of `len` bytes with the bytes past `len` zeroed. */
export function cleanTail(w: bigint, len: bigint): bigint {
  const used = Number(len % 32n);
  if (used === 0) return w;
  const all = (1n << 256n) - 1n;
  return w & (all ^ (all >> BigInt(8 * used)));
}

/** Root slot of a pre-state data word function (`bytes.word.<root>`), or null. */
export function bytesWordRoot(name: string): bigint | null {
  const m = name.match(/^bytes\.word\.([0-9a-f]+)$/);
  return m ? BigInt('0x' + m[1]) : null;
}

/** Whether a parameter is a byte string (`string`/`bytes`), whose head word is an offset. */
export function isByteArrayParam(p: { readonly typeName: string }): boolean {
  return p.typeName === 'string' || p.typeName === 'bytes';
}

/** Whether a parameter is a dynamic array of value types (`uint256[]`): head word an offset, one word per element. */
export function isValueArrayParam(p: { readonly typeName: string }): boolean {
  return /^[a-z0-9]+\[\]$/.test(p.typeName);
}

/** Words after the length word of a dynamic parameter with length `len`; null for head-only parameters. */
function tailWords(p: { readonly typeName: string }, len: bigint): bigint | null {
  if (isByteArrayParam(p)) return (len + 31n) / 32n;
  if (isValueArrayParam(p)) return len;
  return null;
}

const M256 = (1n << 256n) - 1n;

/**
 * The model's byte-string arguments laid out as a standard encoder would: offsets right after the head
 * words, each length then its data, calldatasize exactly the encoding's. The solver may place them
 * anywhere (overlapping the heads, even: `cd` is independent of the argument words), which no real
 * calldata can reproduce; this layout keeps every length and data word the model chose (of a length
 * too long to lay out, only the length word). Null when the function takes no byte strings or arrays.
 */
export function canonicalCalldata(params: readonly { readonly typeName: string }[], a: Assignment): Assignment | null {
  // `len` counts the data words; `lenWord` is the length word itself.
  const slots: { index: number; from: bigint; to: bigint; len: bigint; lenWord: bigint }[] = [];
  let next = 32n * BigInt(params.length);
  for (const [index, p] of params.entries()) {
    const from = (a.var(`arg${index}`, 256) + 4n) & M256;
    const len = a.uf(BYTES_NAMES.calldata, [from], [256]);
    const n = tailWords(p, len);
    if (n === null) continue;
    // Too long to lay out: only the length word, which is all a decoder that rejects it reads (exact
    // evaluation then shows whether the difference keeps).
    const words = n > MAX_EVAL_WORDS ? 0n : n;
    slots.push({ index, from, to: next + 4n, len: words, lenWord: len });
    next += 32n + 32n * words;
  }
  if (slots.length === 0) return null;
  return {
    var: (name, width) => {
      const s = slots.find((x) => name === `arg${x.index}`);
      if (s) return s.to - 4n;
      if (name === 'calldatasize') return next + 4n;
      return a.var(name, width);
    },
    uf: (name, args, widths) => {
      if (name === BYTES_NAMES.calldata) {
        for (const s of slots) {
          const rel = args[0]! - s.to;
          if (rel === 0n) return s.lenWord;
          if (rel >= 32n && rel < 32n + 32n * s.len && rel % 32n === 0n) return a.uf(name, [(s.from + rel) & M256], widths);
        }
      }
      return a.uf(name, args, widths);
    },
  };
}

/**
 * The assignment with calldatasize cut to the bytes its calldata words occupy (the head words and
 * every tail word `calldataTails` lays out), when every dynamic argument's tail was laid out. Null
 * otherwise.
 */
export function tightCalldata(params: readonly { readonly typeName: string }[], a: Assignment): Assignment | null {
  let end = 4n + 32n * BigInt(params.length);
  for (const [index, p] of params.entries()) {
    if (tailWords(p, 0n) === null) continue;
    const from = (a.var(`arg${index}`, 256) + 4n) & M256;
    if (from >= 32n * MAX_EVAL_WORDS * 4n) return null;
  }
  for (const t of calldataTails(params, a)) if (t.at + 32n > end) end = t.at + 32n;
  return { var: (name, width) => (name === 'calldatasize' ? end : a.var(name, width)), uf: a.uf };
}

/**
 * Calldata bytes past the head words, as the assignment has them: each byte-string argument's length
 * word at 4 + offset and its data words after it (the words exact evaluation read). Overlapping
 * placements are written in parameter order; a replay then shows whether they were realisable.
 */
export function calldataTails(params: readonly { readonly typeName: string }[], a: Assignment): { at: bigint; word: bigint }[] {
  const out: { at: bigint; word: bigint }[] = [];
  for (const [index, p] of params.entries()) {
    if (tailWords(p, 0n) === null) continue;
    const from = (a.var(`arg${index}`, 256) + 4n) & M256;
    // Placed further out than any calldata that could be laid out: left out (a replay then shows it).
    if (from >= 32n * MAX_EVAL_WORDS * 4n) continue;
    const len = a.uf(BYTES_NAMES.calldata, [from], [256]);
    out.push({ at: from, word: len });
    const n = tailWords(p, len)!;
    if (n > MAX_EVAL_WORDS) continue;
    for (let k = 0n; k < n; k++) {
      let w = a.uf(BYTES_NAMES.calldata, [from + 32n + 32n * k], [256]);
      if (k === n - 1n && isByteArrayParam(p)) w = cleanTail(w, len);
      out.push({ at: from + 32n + 32n * k, word: w });
    }
  }
  return out;
}
