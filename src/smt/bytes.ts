import { invariant } from '../util/assert.ts';
import { bv, width, type Term, type TermFactory } from './term.ts';
import { typeName, type BytesPart, type ValueId, type ValueType } from '../ir/types.ts';
import { concatParts } from './calldata.ts';
import { wordsOfBytes } from '../ir/interpbytes.ts';
import type { Assignment } from './eval.ts';
import type { Key } from './storage.ts';
import { shapeTag } from './names.ts';

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
  /**
   * Long form of the pre-state byte array whose slot word has key (root, shape, keys): args (keys…, len);
   * its words are the pre-state data words `pre.<root>.<shape>d`(keys…, i) at keccak256(slot) + i.
   */
  data: (root: bigint, shape: string) => `bytes.data.${root.toString(16)}.${shapeTag(shape + 'd')}`,
  /** The same, raw: the last word as stored, bytes past len kept. */
  dataRaw: (root: bigint, shape: string) => `bytes.data.raw.${root.toString(16)}.${shapeTag(shape + 'd')}`,
  /** Long form after a re-entrant caller's writes at call `key`: args (key, keys…, len); words `reent.<root>.<shape>d`. */
  reent: (root: bigint, shape: string) => `bytes.reent.${root.toString(16)}.${shapeTag(shape + 'd')}`,
  reentRaw: (root: bigint, shape: string) => `bytes.reent.raw.${root.toString(16)}.${shapeTag(shape + 'd')}`,
  /** Constant data words (a literal's): args the words themselves. */
  literal: (n: number) => `bytes.lit.${n}`,
  /**
   * The calldata word at a byte offset. Independent of the argument words `argN` even where they
   * overlap: an over-approximation of real calldata (sound for proofs; a counterexample is rebuilt as
   * real calldata and re-run before it is believed).
   */
  calldata: 'cd',
  /** Data words of the calldata bytes [start, start + len): args (start, len); words from `cd`. */
  calldataBytes: 'bytes.cd',
  /** Data word k of a token: args (token, k) (see `tokenDataWord`). */
  word: 'bytes.word',
  /** A concatenation: `bytes.cat.<parts>` (see `concatToken`). */
  concat: 'bytes.cat',
  /** `new bytes(n)`: args (len); ceil(len/32) zero words. */
  zero: 'bytes.zero',
  /** A byte written (`bset`): args (token, index, byte); the token's words with that byte replaced. */
  set: 'bytes.set',
} as const;

/**
 * A byte array read from storage: `word` is its slot word, `len` its decoded length; a long form's data
 * is `long(raw)` (a token of the pre-state's or a re-entrant caller's words).
 */
export function storedBytesToken(F: TermFactory, long: (raw: boolean) => Term, word: Term, len: Term, raw: boolean): Term {
  const odd = F.eq(F.extract(0, 0, word), F.bv(1, 1n));
  if (raw) return F.ite(odd, long(true), F.uf(BYTES_NAMES.shortRaw, bv(256), [len, F.op('bvand', word, F.bv(256, ~0xffn))]));
  // Only the first len bytes count (the getter and every copy zero the rest), so mask them here: then
  // equal contents give equal tokens.
  const keep = F.op('bvnot', F.op('bvlshr', F.bv(256, -1n), F.op('bvshl', len, F.bv(256, 3n))));
  const short = F.uf(BYTES_NAMES.short, bv(256), [len, F.op('bvand', word, keep)]);
  return F.ite(odd, long(false), short);
}

/** The long-form data token of the pre-state byte array whose slot word has key `slot`. */
export function preBytesToken(F: TermFactory, slot: Key, len: Term, raw: boolean): Term {
  return F.uf((raw ? BYTES_NAMES.dataRaw : BYTES_NAMES.data)(slot.root, slot.shape), bv(256), [...slot.keys, len]);
}

/** The same after a re-entrant caller's writes at call `callKey` (see storage.ts `havocStore`). */
export function reentBytesToken(F: TermFactory, callKey: Term, slot: Key, len: Term, raw: boolean): Term {
  return F.uf((raw ? BYTES_NAMES.reentRaw : BYTES_NAMES.reent)(slot.root, slot.shape), bv(256), [callKey, ...slot.keys, len]);
}

/** A token for constant data words (the empty string's is the empty short form). */
export function literalToken(F: TermFactory, words: readonly bigint[]): Term {
  if (words.length === 0) return F.uf(BYTES_NAMES.short, bv(256), [F.bv(256, 0n), F.bv(256, 0n)]);
  return F.uf(BYTES_NAMES.literal(words.length), bv(256), words.map((w) => F.bv(256, w)));
}

/**
 * The token of a concatenation (the `bcat` instruction): `bytes.cat.<parts>` of, per part, its length and
 * token (`b`) or its bytes zero-extended to a word (`p<n>`, n <= 32). Put in one canonical form so that
 * the same bytes built in different steps meet as one term: nested concatenations are spliced in, a
 * literal's token becomes its constant bytes, adjacent constant bytes are re-chunked from the left,
 * and a part that is one of two byte strings (a phi: token and length ites on one condition) splits
 * the whole concatenation into the two cases. Constant parts alone give the literal's token. Other
 * splits of equal bytes stay distinct terms (precision, not soundness: the evaluator spells out the
 * real words).
 */
export function concatToken(F: TermFactory, parts: readonly BytesPart[], val: (id: ValueId) => Term): Term {
  const segs: Seg[] = parts.map((p) => {
    if (p.kind === 'bytes') return { kind: 'b', len: val(p.len), token: val(p.value) };
    const t = concatParts(F, [p.part], val)!;
    return { kind: 'p', bytes: p.part.bytes, term: t };
  });
  return catOf(F, segs, 0);
}

type Seg = { readonly kind: 'b'; readonly len: Term; readonly token: Term } | { readonly kind: 'p'; readonly bytes: number; readonly term: Term };

/** Cases split per phi part at most this deep; past it the part stays a token (precision only). */
const MAX_SPLITS = 4;

function catOf(F: TermFactory, input: readonly Seg[], depth: number): Term {
  const segs: Seg[] = [];
  const push = (x: Seg): void => {
    if (x.kind === 'p') return void segs.push(x);
    const t = x.token;
    if (t.tag === 'uf' && x.len.tag === 'const') {
      const n = Number(x.len.value);
      if (t.name.startsWith('bytes.lit.') && BigInt(n) <= 32n * BigInt(t.args.length) && t.args.every((a) => a.tag === 'const')) {
        for (let i = 0; i * 32 < n; i++) {
          const k = Math.min(32, n - 32 * i);
          const w = (t.args[i] as Extract<Term, { tag: 'const' }>).value >> BigInt(8 * (32 - k));
          segs.push({ kind: 'p', bytes: k, term: F.bv(8 * k, w) });
        }
        return;
      }
      if (t.name === BYTES_NAMES.short && n === 0) return;
    }
    if (t.tag === 'uf' && t.name.startsWith(BYTES_NAMES.concat + '.')) {
      let a = 0;
      for (const sig of t.name.slice(BYTES_NAMES.concat.length + 1).split('.')) {
        if (sig === 'b') {
          push({ kind: 'b', len: t.args[a]!, token: t.args[a + 1]! });
          a += 2;
        } else {
          const n = Number(sig.slice(1));
          segs.push({ kind: 'p', bytes: n, term: F.extract(8 * n - 1, 0, t.args[a++]!) });
        }
      }
      return;
    }
    segs.push(x);
  };
  for (const x of input) push(x);
  // A phi part: the concatenation of each case.
  if (depth < MAX_SPLITS) {
    for (const [i, x] of segs.entries()) {
      if (x.kind !== 'b' || x.token.tag !== 'app' || x.token.fn !== 'ite') continue;
      const c = x.token.args[0]!;
      const lenIte = x.len.tag === 'app' && x.len.fn === 'ite' && x.len.args[0] === c;
      if (!lenIte && x.len.tag !== 'const') continue;
      const arm = (k: 1 | 2): Term => catOf(F, [...segs.slice(0, i), { kind: 'b', len: lenIte ? (x.len as Extract<Term, { tag: 'app' }>).args[k]! : x.len, token: (x.token as Extract<Term, { tag: 'app' }>).args[k]! }, ...segs.slice(i + 1)], depth + 1);
      return F.ite(c, arm(1), arm(2));
    }
  }
  // Adjacent constant bytes, re-chunked from the left.
  const out: Seg[] = [];
  let pending: number[] = [];
  const flush = (): void => {
    for (let i = 0; i < pending.length; i += 32) {
      const chunk = pending.slice(i, i + 32);
      out.push({ kind: 'p', bytes: chunk.length, term: F.bv(8 * chunk.length, chunk.reduce((w, b) => (w << 8n) | BigInt(b), 0n)) });
    }
    pending = [];
  };
  for (const x of segs) {
    if (x.kind === 'p' && x.term.tag === 'const') {
      for (let k = x.bytes - 1; k >= 0; k--) pending.push(Number((x.term.value >> BigInt(8 * k)) & 0xffn));
      continue;
    }
    flush();
    out.push(x);
  }
  flush();
  if (out.every((x) => x.kind === 'p' && x.term.tag === 'const')) {
    const all: number[] = [];
    for (const x of out) {
      if (x.kind !== 'p' || x.term.tag !== 'const') continue;
      for (let k = x.bytes - 1; k >= 0; k--) all.push(Number((x.term.value >> BigInt(8 * k)) & 0xffn));
    }
    return literalToken(F, wordsOfBytes(all));
  }
  const only = out[0];
  // One whole byte string: itself (its token is clean and has exactly that length).
  if (out.length === 1 && only?.kind === 'b') return only.token;
  return F.uf(`${BYTES_NAMES.concat}.${out.map((x) => (x.kind === 'b' ? 'b' : `p${x.bytes}`)).join('.')}`, bv(256), out.flatMap((x) => (x.kind === 'b' ? [x.len, x.token] : [F.zext(256 - width(x.term), x.term)])));
}

/**
 * Data word k of what a token stands for, as an uninterpreted function of the token (a function of the
 * contents, so sound for any token; the evaluator reads the real word).
 */
export function tokenDataWord(F: TermFactory, token: Term, k: Term): Term {
  return F.uf(BYTES_NAMES.word, bv(256), [token, k]);
}

export function calldataWord(F: TermFactory, offset: Term): Term {
  return F.uf(BYTES_NAMES.calldata, bv(256), [offset]);
}

/** Whether the calldata words at start + 32 j, j < len, are all valid ABI words of type `t`: args (start, len). */
export function calldataCleanName(t: ValueType): string {
  return `cd.clean.${typeName(t)}`;
}

/** Whether every element of a calldata `bytes[]` passes solc's checks: args (start, len). */
export const CD_BYTES_OK = 'cd.bytesok';

/**
 * keccak256 of `abi.encode` with arrays read from calldata: `cdabi.keccak256.<shape>` (one letter per
 * item: v a value word, w a word array, b a `bytes[]`, s a byte string), args the value words and each array's (start, len).
 * Deliberately not named `keccak256.…`: the fixed-length injectivity axioms (keccak.ts) do not hold for
 * it (equal contents at two calldata positions hash alike), so it gets none, which only weakens a query.
 */
export const CD_ABI_HASH = 'cdabi.keccak256';

export function calldataBytesToken(F: TermFactory, start: Term, len: Term): Term {
  return F.uf(BYTES_NAMES.calldataBytes, bv(256), [start, len]);
}

/**
 * keccak256 of a byte string (`keccak256(bytes(s))`) or of its `abi.encode(s)`: an uninterpreted function
 * of its length and data token, shared by both versions; the Evaluator hashes the real bytes. Injectivity
 * (equal hashes, equal lengths and contents) comes in as axioms (see keccak.ts).
 */
export function byteStringHash(F: TermFactory, len: Term, token: Term, abi: boolean): Term {
  return F.uf(abi ? BYTES_HASH.abi : BYTES_HASH.packed, bv(256), [len, token]);
}

export const BYTES_HASH = { packed: 'keccak256.bytes', abi: 'keccak256.abi1', mapKey: 'keccak256.mapkey' } as const;

/**
 * The slot of a `string`/`bytes` mapping key: keccak256(the key's bytes . slot), one uninterpreted
 * function of the key's length and data token and of the slot word, injective like the other byte-string
 * hashes (keccak.ts) and computed for real by exact evaluation. Storage keys use it as the slot itself
 * (shape letter 's', see storage.ts).
 */
export function mappingKeyHash(F: TermFactory, len: Term, token: Term, slot: Term): Term {
  return F.uf(BYTES_HASH.mapKey, bv(256), [len, token, slot]);
}

/** Word `w` as word i of a byte string of `len` bytes: zero past the length (where 32i < len). */
export function cleanWordTerm(F: TermFactory, w: Term, len: Term, i: Term): Term {
  const rem = F.op('bvsub', len, F.op('bvshl', i, F.bv(256, 5n)));
  return F.ite(F.op('bvult', rem, F.bv(256, 32n)), F.op('bvand', w, F.op('bvnot', F.op('bvlshr', F.bv(256, -1n), F.op('bvshl', rem, F.bv(256, 3n))))), w);
}

/**
 * Word i (zero past `len`, for 32i < len) of what a clean token of a `len`-byte string denotes, as a term
 * over the words it is read from; null when the token's words are not known term by term.
 */
export function tokenWord(F: TermFactory, token: Term, len: Term, i: number): Term | null {
  const k = F.bv(256, BigInt(i));
  if (token.tag === 'app' && token.fn === 'ite') {
    const a = tokenWord(F, token.args[1]!, len, i);
    const b = tokenWord(F, token.args[2]!, len, i);
    return a && b ? F.ite(token.args[0]!, a, b) : null;
  }
  if (token.tag !== 'uf') return null;
  const args = token.args;
  if (token.name.startsWith('bytes.lit.')) return args[i] ?? F.bv(256, 0n);
  if (token.name === BYTES_NAMES.short) return i === 0 ? args[1]! : F.bv(256, 0n);
  if (token.name === BYTES_NAMES.calldataBytes) return cleanWordTerm(F, calldataWord(F, F.op('bvadd', args[0]!, F.bv(256, 32n * BigInt(i)))), len, k);
  const m = token.name.match(/^bytes\.(data|reent)\.([0-9a-f]+\.[0-9a-z]+)$/);
  if (!m) return null;
  return cleanWordTerm(F, F.uf(`${m[1] === 'data' ? 'pre' : 'reent'}.${m[2]}`, bv(256), [...args.slice(0, -1), k]), len, k);
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
  if (name.startsWith('bytes.lit.')) return { words: args };
  if (name === BYTES_NAMES.zero) {
    invariant((args[0]! + 31n) / 32n <= MAX_EVAL_WORDS, `a byte string of ${args[0]} bytes is too long to evaluate`);
    return { words: new Array<bigint>(Number((args[0]! + 31n) / 32n)).fill(0n) };
  }
  const m = name.match(/^bytes\.(data|reent)\.(raw\.)?([0-9a-f]+\.[0-9a-z]+)$/);
  if (!m) return undefined;
  const len = args[args.length - 1]!;
  const keys = args.slice(0, -1);
  const n = (len + 31n) / 32n;
  invariant(n <= MAX_EVAL_WORDS, `a byte array of ${len} bytes is too long to evaluate`);
  const words: bigint[] = [];
  const from = `${m[1] === 'data' ? 'pre' : 'reent'}.${m[3]}`;
  for (let i = 0n; i < n; i++) words.push(uf(from, [...keys, i], keys.map(() => 256).concat(256)));
  if (n > 0n && !m[2]) words[words.length - 1] = cleanTail(words[words.length - 1]!, len);
  return { words };
}

/**
 * Exact words of a concatenation token `bytes.cat.<parts>`: `word` evaluates a word argument, `seq` a
 * token argument to the words it stands for. Undefined when `name` is not one.
 */
export function evalConcat(name: string, args: readonly Term[], word: (t: Term) => bigint, seq: (t: Term) => readonly bigint[]): { words: readonly bigint[] } | bigint | undefined {
  if (name === BYTES_NAMES.word) {
    const k = word(args[1]!);
    return seq(args[0]!)[Number(k > BigInt(Number.MAX_SAFE_INTEGER) ? -1n : k)] ?? 0n;
  }
  if (name === BYTES_NAMES.set) {
    const ws = [...seq(args[0]!)];
    const k = word(args[1]!);
    const at = Number(k / 32n);
    if (k / 32n < BigInt(ws.length)) {
      const shift = 8n * (31n - (k % 32n));
      ws[at] = (ws[at]! & ~(0xffn << shift) & ((1n << 256n) - 1n)) | (word(args[2]!) << shift);
    }
    return { words: ws };
  }
  if (!name.startsWith(BYTES_NAMES.concat + '.')) return undefined;
  const out: number[] = [];
  let a = 0;
  for (const p of name.slice(BYTES_NAMES.concat.length + 1).split('.')) {
    if (p === 'b') {
      const len = word(args[a++]!);
      const ws = seq(args[a++]!);
      invariant((len + 31n) / 32n <= MAX_EVAL_WORDS, `a byte string of ${len} bytes is too long to evaluate`);
      for (let k = 0n; k < len; k++) out.push(Number(((ws[Number(k / 32n)] ?? 0n) >> (8n * (31n - (k % 32n)))) & 0xffn));
    } else {
      const n = Number(p.slice(1));
      const w = word(args[a++]!);
      for (let k = n - 1; k >= 0; k--) out.push(Number((w >> BigInt(8 * k)) & 0xffn));
    }
  }
  return { words: wordsOfBytes(out) };
}

/** The last data word of a byte string of `len` bytes with the bytes past `len` zeroed. */
export function cleanTail(w: bigint, len: bigint): bigint {
  const used = Number(len % 32n);
  if (used === 0) return w;
  const all = (1n << 256n) - 1n;
  return w & (all ^ (all >> BigInt(8 * used)));
}

/** Whether a parameter is a byte string (`string`/`bytes`), whose head word is an offset. */
export function isByteArrayParam(p: { readonly typeName: string }): boolean {
  return p.typeName === 'string' || p.typeName === 'bytes';
}

/** Whether a parameter is a dynamic array of value types (`uint256[]`): head word an offset, one word per element. */
export function isValueArrayParam(p: { readonly typeName: string }): boolean {
  return /^[a-z0-9]+\[\]$/.test(p.typeName);
}

/** Whether a parameter is an array of byte strings (`bytes[]`, `string[]`): head area of offsets, then each element. */
export function isBytesArrayParam(p: { readonly typeName: string }): boolean {
  return p.typeName === 'bytes[]' || p.typeName === 'string[]';
}

/** Words after the length word of a dynamic parameter with length `len`; null for head-only parameters. */
function tailWords(p: { readonly typeName: string }, len: bigint): bigint | null {
  if (isByteArrayParam(p)) return (len + 31n) / 32n;
  if (isBytesArrayParam(p)) return null;
  if (isValueArrayParam(p)) return len;
  return null;
}

const M256 = (1n << 256n) - 1n;

/** Elements of a `bytes[]` argument laid out or read at most (a longer array keeps only its length word). */
const MAX_LAID_ELEMENTS = 64n;

/**
 * A `bytes[]` argument whose length word is at `from` as the model has it: per element its offset word
 * (relative to from + 32), where its length word is and how many data words it has (0 when too long).
 */
function bytesArrayElements(a: Assignment, from: bigint): { head: bigint; at: bigint; lenWord: bigint; words: bigint }[] | null {
  const n = a.uf(BYTES_NAMES.calldata, [from], [256]);
  if (n > MAX_LAID_ELEMENTS) return null;
  const out: { head: bigint; at: bigint; lenWord: bigint; words: bigint }[] = [];
  for (let k = 0n; k < n; k++) {
    const head = a.uf(BYTES_NAMES.calldata, [(from + 32n + 32n * k) & M256], [256]);
    const at = (from + 32n + head) & M256;
    const lenWord = a.uf(BYTES_NAMES.calldata, [at], [256]);
    const words = (lenWord + 31n) / 32n;
    out.push({ head, at, lenWord, words: words > MAX_EVAL_WORDS ? 0n : words });
  }
  return out;
}

/**
 * The model's byte-string arguments laid out as a standard encoder would: offsets right after the head
 * words, each length then its data, calldatasize exactly the encoding's. The solver may place them
 * anywhere (overlapping the heads, even: `cd` is independent of the argument words), which no real
 * calldata can reproduce; this layout keeps every length and data word the model chose (of a length
 * too long to lay out, only the length word). A `bytes[]` argument is laid out as its length, its
 * elements' offset words (canonical ones), then each element's length and data. Null when the function
 * takes no byte strings or arrays.
 */
export function canonicalCalldata(params: readonly { readonly typeName: string }[], a: Assignment): Assignment | null {
  // `len` counts the data words; `lenWord` is the length word itself. `elements`: a `bytes[]`'s, each
  // with its canonical offset (relative to `to + 32`) and its model position `at`.
  type Elem = { canon: bigint; at: bigint; lenWord: bigint; words: bigint };
  const slots: { index: number; from: bigint; to: bigint; len: bigint; lenWord: bigint; elements?: Elem[] }[] = [];
  let next = 32n * BigInt(params.length);
  for (const [index, p] of params.entries()) {
    const from = (a.var(`arg${index}`, 256) + 4n) & M256;
    const len = a.uf(BYTES_NAMES.calldata, [from], [256]);
    if (isBytesArrayParam(p)) {
      const els = bytesArrayElements(a, from);
      if (els === null) {
        slots.push({ index, from, to: next + 4n, len: 0n, lenWord: len, elements: [] });
        next += 32n;
        continue;
      }
      let rel = 32n * BigInt(els.length);
      const elements = els.map((e) => {
        const x = { canon: rel, at: e.at, lenWord: e.lenWord, words: e.words };
        rel += 32n + 32n * e.words;
        return x;
      });
      slots.push({ index, from, to: next + 4n, len: 0n, lenWord: len, elements });
      next += 32n + rel;
      continue;
    }
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
          if (s.elements) {
            const base = rel - 32n;
            const k = base / 32n;
            if (base >= 0n && base % 32n === 0n && k < BigInt(s.elements.length)) return s.elements[Number(k)]!.canon;
            for (const e of s.elements) {
              const inner = base - e.canon;
              if (inner === 0n) return e.lenWord;
              if (inner >= 32n && inner < 32n + 32n * e.words && inner % 32n === 0n) return a.uf(name, [(e.at + inner) & M256], widths);
            }
            continue;
          }
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
    if (tailWords(p, 0n) === null && !isBytesArrayParam(p)) continue;
    const from = (a.var(`arg${index}`, 256) + 4n) & M256;
    if (from >= 32n * MAX_EVAL_WORDS * 4n) return null;
    if (isBytesArrayParam(p) && (bytesArrayElements(a, from) ?? [{ at: M256 }]).some((e) => e.at >= 32n * MAX_EVAL_WORDS * 4n)) return null;
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
    if (tailWords(p, 0n) === null && !isBytesArrayParam(p)) continue;
    const from = (a.var(`arg${index}`, 256) + 4n) & M256;
    // Placed further out than any calldata that could be laid out: left out (a replay then shows it).
    if (from >= 32n * MAX_EVAL_WORDS * 4n) continue;
    const len = a.uf(BYTES_NAMES.calldata, [from], [256]);
    out.push({ at: from, word: len });
    if (isBytesArrayParam(p)) {
      // The offset words, then each element's length and data where the model put them.
      for (const [k, e] of (bytesArrayElements(a, from) ?? []).entries()) {
        out.push({ at: from + 32n + 32n * BigInt(k), word: e.head });
        if (e.at >= 32n * MAX_EVAL_WORDS * 4n) continue;
        out.push({ at: e.at, word: e.lenWord });
        for (let j = 0n; j < e.words; j++) {
          let w = a.uf(BYTES_NAMES.calldata, [e.at + 32n + 32n * j], [256]);
          if (j === e.words - 1n) w = cleanTail(w, e.lenWord);
          out.push({ at: e.at + 32n + 32n * j, word: w });
        }
      }
      continue;
    }
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
