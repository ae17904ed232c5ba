import { invariant } from '../util/assert.ts';
import { evalFn, type Term } from './term.ts';
import { NAMES } from './names.ts';
import { keccakBig, wordBytes } from '../util/hash.ts';
import { runPrecompile, type PrecompileFn } from '../util/precompiles.ts';
import { bigBytes } from './symexec.ts';
import { BYTES_HASH, BYTES_NAMES, CD_ABI_HASH, CD_BYTES_OK, MAX_EVAL_WORDS, evalBytesUf, evalConcat } from './bytes.ts';
import { bytesArrayOk, cdAbiEncoding, type ConcreteCdAbiItem } from '../ir/cdabi.ts';
import { abiValid } from '../ir/interp.ts';
import { parseTypeString } from '../ir/lower/soltypes.ts';
import { byteStringInput } from '../ir/interpbytes.ts';
import { MEM_INDEX, MEM_WORDS } from './memory.ts';
import { CALL_OUTPUT, SHOWN_RETURN_WORDS } from './symexec.ts';

/** A concrete value: a bit-vector or boolean (as 0/1), or the word sequence a chain stands for. */
export type CValue = bigint | { readonly words: readonly bigint[] };

export interface Assignment {
  var(name: string, width: number | 'bool'): bigint;
  /** Uninterpreted pre-state functions at concrete arguments. */
  uf(name: string, args: readonly bigint[], widths: readonly number[]): bigint;
}

/**
 * Evaluates terms with the exact semantics of every operator (no abstraction): chains become the word
 * sequences they encode, and the exponentiation functions are computed. Used to confirm that a model
 * found by the solver really makes the two versions differ.
 */
export class Evaluator {
  private readonly memo = new Map<number, CValue>();
  constructor(private readonly a: Assignment) {}

  word(t: Term): bigint {
    const v = this.eval(t);
    invariant(typeof v === 'bigint', 'word expected');
    return v;
  }

  words(t: Term): readonly bigint[] {
    const v = this.eval(t);
    if (typeof v === 'bigint') {
      invariant(v === 0n, 'chain expected');
      return [];
    }
    return v.words;
  }

  eval(t: Term): CValue {
    const hit = this.memo.get(t.id);
    if (hit !== undefined) return hit;
    const v = this.compute(t);
    this.memo.set(t.id, v);
    return v;
  }

  private compute(t: Term): CValue {
    switch (t.tag) {
      case 'const':
        return t.value;
      case 'var':
        return this.a.var(t.name, t.sort.k === 'bool' ? 'bool' : t.sort.w);
      case 'uf': {
        if (t.name === NAMES.chain) {
          const prev = this.eval(t.args[0]!);
          // A byte-string token stands for all its data words (see smt/bytes.ts).
          const w = this.eval(t.args[1]!);
          return { words: [...(typeof prev === 'bigint' ? [] : prev.words), ...(typeof w === 'bigint' ? [w] : w.words)] };
        }
        const clean = t.name.match(/^cd\.clean\.(\w+)$/);
        if (clean) {
          // Every element word of a calldata array checked, as the encoder does.
          const [start, len] = [this.word(t.args[0]!), this.word(t.args[1]!)];
          invariant(len <= MAX_EVAL_WORDS, `a calldata array of ${len} elements is too long to evaluate`);
          const st = parseTypeString(clean[1]!);
          invariant(st.kind === 'value', `calldata check of ${clean[1]}`);
          const type = st.type;
          for (let j = 0n; j < len; j++) if (!abiValid(this.a.uf(BYTES_NAMES.calldata, [(start + 32n * j) & ((1n << 256n) - 1n)], [256]), type)) return 0n;
          return 1n;
        }
        if (t.name === CD_BYTES_OK || t.name.startsWith(CD_ABI_HASH + '.')) {
          // Calldata `bytes[]` checks and encodings, computed from the calldata words (zero past the end).
          const size = this.a.var('calldatasize', 256);
          const rd = (at: bigint): bigint => (at >= size ? 0n : this.a.uf(BYTES_NAMES.calldata, [at], [256]));
          const args = t.args.map((x) => this.word(x));
          if (t.name === CD_BYTES_OK) return bytesArrayOk(rd, size, args[0]!, args[1]!) ? 1n : 0n;
          let a = 0;
          const items = [...t.name.slice(CD_ABI_HASH.length + 1)].map((c): ConcreteCdAbiItem => (c === 'v' ? { kind: 'value', word: args[a++]! } : { kind: c === 'w' ? 'words' : c === 's' ? 'bytes' : 'bytesarray', start: args[a++]!, len: args[a++]! }));
          return keccakBig(cdAbiEncoding(rd, size, items));
        }
        if (t.name === CALL_OUTPUT) {
          // A call's output bytes (its return words cut to returndatasize) in revert-data form: the
          // first 4 bytes as one element, then the rest in 32-byte words, the last zero-padded.
          const key = this.word(t.args[0]!);
          const rds = this.a.uf('call.rds', [key], [256]);
          if (rds === 0n) return { words: [0n] };
          const n = rds > 4096n ? 4096 : Number(rds);
          const out: number[] = [];
          for (let i = 0; i * 32 < n; i++) out.push(...wordBytes(i < SHOWN_RETURN_WORDS ? this.a.uf(`call.ret.${i}`, [key], [256]) : 0n));
          const bytes = out.slice(0, n);
          const head = [...bytes.slice(0, 4), 0, 0, 0, 0].slice(0, 4).reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
          const rest = bytes.slice(4);
          const words: bigint[] = [rds, head];
          for (let k = 0; k < rest.length; k += 32) words.push(BigInt('0x' + Buffer.from(rest.slice(k, k + 32).concat(Array(32).fill(0)).slice(0, 32)).toString('hex')));
          return { words };
        }
        if (t.name === MEM_WORDS) {
          // A memory array's elements: the element term at every index below the length (see memory.ts).
          const len = this.word(t.args[0]!);
          invariant(len <= MAX_EVAL_WORDS, `a memory array of ${len} elements is too long to evaluate`);
          const words: bigint[] = [];
          for (let i = 0n; i < len; i++) words.push(new Evaluator(atIndex(this.a, i)).word(t.args[1]!));
          return { words };
        }
        if (t.name === BYTES_HASH.mapKey) {
          // A string mapping key's slot: keccak256(bytes . slot).
          const len = this.word(t.args[0]!);
          const data = this.eval(t.args[1]!);
          invariant((len + 31n) / 32n <= MAX_EVAL_WORDS, `hashing a byte string of ${len} bytes`);
          return keccakBig(new Uint8Array([...byteStringInput(len, typeof data === 'bigint' ? [] : data.words, false), ...wordBytes(this.word(t.args[2]!))]));
        }
        if (t.name === BYTES_HASH.packed || t.name === BYTES_HASH.abi) {
          // A byte string's hash: its length and the words its token stands for.
          const len = this.word(t.args[0]!);
          const data = this.eval(t.args[1]!);
          invariant((len + 31n) / 32n <= MAX_EVAL_WORDS, `hashing a byte string of ${len} bytes`);
          return keccakBig(byteStringInput(len, typeof data === 'bigint' ? [] : data.words, t.name === BYTES_HASH.abi));
        }
        const cat = evalConcat(t.name, t.args, (x) => this.word(x), (x) => {
          const v = this.eval(x);
          return typeof v === 'bigint' ? [] : v.words;
        });
        if (cat !== undefined) return cat;
        const args = t.args.map((x) => this.word(x));
        const k = t.name.match(/^keccak256\.(\d+)$/);
        if (k) return keccakBig(bigBytes(args[0]!, Number(k[1])));
        const pre = t.name.match(/^(sha256|ripemd160|ecrecover)\.(\d+)$/);
        if (pre) return runPrecompile(pre[1] as PrecompileFn, bigBytes(args[0]!, Number(pre[2])));
        const bytes = evalBytesUf(t.name, args, (n, a, w) => this.a.uf(n, a, w));
        if (bytes) return bytes;
        const m = t.name.match(/^pow(ov)?\.([us])(\d+)$/);
        if (m) return power(args[0]!, args[1]!, Number(m[3]), m[2] === 's', Boolean(m[1]));
        return this.a.uf(t.name, args, t.args.map((x) => (x.sort.k === 'bv' ? x.sort.w : 1)));
      }
      case 'app': {
        if (t.fn === 'ite') return this.word(t.args[0]!) ? this.eval(t.args[1]!) : this.eval(t.args[2]!);
        if (t.fn === 'eq') {
          const a = this.eval(t.args[0]!);
          const b = this.eval(t.args[1]!);
          return sameValue(a, b) ? 1n : 0n;
        }
        const args = t.args.map((x) => this.word(x));
        return evalFn(t.fn, args, t.params, t.args.map((x) => (x.sort.k === 'bv' ? x.sort.w : 1)));
      }
    }
  }
}

function atIndex(a: Assignment, i: bigint): Assignment {
  return { var: (name, width) => (name === MEM_INDEX ? i : a.var(name, width)), uf: a.uf };
}

export function sameValue(a: CValue, b: CValue): boolean {
  const wa = typeof a === 'bigint' ? (a === 0n ? [] : null) : a.words;
  const wb = typeof b === 'bigint' ? (b === 0n ? [] : null) : b.words;
  if (wa === null || wb === null) return a === b;
  return wa.length === wb.length && wa.every((x, i) => x === wb[i]);
}

function power(a: bigint, e: bigint, w: number, signed: boolean, overflow: boolean): bigint {
  const mod = 1n << BigInt(w);
  const base = signed && a >> BigInt(w - 1) ? a - mod : a;
  // Exact result, computed only as far as needed to know whether it fits.
  let exact = 1n;
  let over = false;
  const bound = 1n << BigInt(w + 1);
  if (base === 0n) exact = e === 0n ? 1n : 0n;
  else if (base === 1n) exact = 1n;
  else if (base === -1n) exact = e % 2n ? -1n : 1n;
  else {
    // |base| >= 2: the loop leaves within w + 2 steps.
    for (let i = 0n; i < e; i++) {
      exact *= base;
      if (exact > bound || exact < -bound) {
        over = true;
        break;
      }
    }
  }
  if (!over) over = signed ? exact >= mod / 2n || exact < -(mod / 2n) : exact >= mod;
  if (overflow) return over ? 1n : 0n;
  let r = 1n;
  let b = ((base % mod) + mod) % mod;
  let n = e;
  while (n > 0n) {
    if (n & 1n) r = (r * b) % mod;
    b = (b * b) % mod;
    n >>= 1n;
  }
  return r;
}
