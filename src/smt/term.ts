import { assertNever, invariant } from '../util/assert.ts';

/**
 * Hash-consed SMT terms (QF_UFBV). Built only through a TermFactory, whose constructors fold constants
 * and normalise commutative operators, so structurally equal computations from the old and the new
 * version become the *same* term and most equalities are decided before any solver is asked.
 */
export type Sort = { readonly k: 'bool' } | { readonly k: 'bv'; readonly w: number };

export type Fn =
  | 'not' | 'and' | 'or' | 'ite' | 'eq'
  | 'bvadd' | 'bvsub' | 'bvmul' | 'bvudiv' | 'bvsdiv' | 'bvurem' | 'bvsrem'
  | 'bvand' | 'bvor' | 'bvxor' | 'bvnot' | 'bvneg' | 'bvshl' | 'bvlshr' | 'bvashr'
  | 'bvult' | 'bvule' | 'bvslt' | 'bvsle'
  | 'extract' | 'zext' | 'sext' | 'concat'
  /** Overflow predicates of multiplication (true when the product does not fit). */
  | 'umulo' | 'smulo';

export type Term =
  | { readonly tag: 'const'; readonly id: number; readonly sort: Sort; readonly value: bigint }
  | { readonly tag: 'var'; readonly id: number; readonly sort: Sort; readonly name: string }
  | { readonly tag: 'app'; readonly id: number; readonly sort: Sort; readonly fn: Fn; readonly args: readonly Term[]; readonly params: readonly number[] }
  | { readonly tag: 'uf'; readonly id: number; readonly sort: Sort; readonly name: string; readonly args: readonly Term[] };

export const BOOL_SORT: Sort = { k: 'bool' };
export const bv = (w: number): Sort => ({ k: 'bv', w });

const mask = (w: number) => (1n << BigInt(w)) - 1n;
const toSigned = (x: bigint, w: number) => (x >> BigInt(w - 1) ? x - (1n << BigInt(w)) : x);

const COMMUTATIVE = new Set<Fn>(['bvadd', 'bvmul', 'bvand', 'bvor', 'bvxor', 'eq', 'umulo', 'smulo']);

export class TermFactory {
  private readonly table = new Map<string, Term>();
  private next = 0;
  readonly TRUE: Term;
  readonly FALSE: Term;

  constructor() {
    this.TRUE = this.intern({ tag: 'const', sort: BOOL_SORT, value: 1n });
    this.FALSE = this.intern({ tag: 'const', sort: BOOL_SORT, value: 0n });
  }

  get size(): number {
    return this.table.size;
  }

  private intern(t: TermWithoutId): Term {
    const key = termKey(t);
    const found = this.table.get(key);
    if (found) return found;
    const made = { ...t, id: this.next++ } as unknown as Term;
    this.table.set(key, made);
    return made;
  }

  bool(b: boolean): Term {
    return b ? this.TRUE : this.FALSE;
  }

  bv(w: number, value: bigint): Term {
    return this.intern({ tag: 'const', sort: bv(w), value: ((value % (1n << BigInt(w))) + (1n << BigInt(w))) % (1n << BigInt(w)) });
  }

  var(name: string, sort: Sort): Term {
    return this.intern({ tag: 'var', sort, name });
  }

  uf(name: string, sort: Sort, args: readonly Term[]): Term {
    return this.intern({ tag: 'uf', sort, name, args });
  }

  private app(fn: Fn, sort: Sort, args: Term[], params: number[] = []): Term {
    if (COMMUTATIVE.has(fn) && args.length === 2 && args[0]!.id > args[1]!.id) args = [args[1]!, args[0]!];
    return this.intern({ tag: 'app', sort, fn, args, params });
  }

  // ---------------------------------------------------------------- booleans

  not(a: Term): Term {
    if (a.tag === 'const') return this.bool(a.value === 0n);
    if (a.tag === 'app' && a.fn === 'not') return a.args[0]!;
    return this.app('not', BOOL_SORT, [a]);
  }

  and(...xs: Term[]): Term {
    return this.nary('and', xs);
  }

  or(...xs: Term[]): Term {
    return this.nary('or', xs);
  }

  private nary(fn: 'and' | 'or', xs: Term[]): Term {
    const unit = fn === 'and' ? this.TRUE : this.FALSE;
    const zero = fn === 'and' ? this.FALSE : this.TRUE;
    const seen = new Map<number, Term>();
    const add = (x: Term): boolean => {
      if (x === zero) return false;
      if (x === unit) return true;
      if (x.tag === 'app' && x.fn === fn) return x.args.every(add);
      seen.set(x.id, x);
      return true;
    };
    for (const x of xs) if (!add(x)) return zero;
    for (const x of seen.values()) {
      const neg = this.not(x);
      if (seen.has(neg.id)) return zero;
    }
    const args = [...seen.values()].sort((a, b) => a.id - b.id);
    if (args.length === 0) return unit;
    if (args.length === 1) return args[0]!;
    return this.app(fn, BOOL_SORT, args);
  }

  implies(a: Term, b: Term): Term {
    return this.or(this.not(a), b);
  }

  ite(c: Term, a: Term, b: Term): Term {
    if (c.tag === 'const') return c.value ? a : b;
    if (a === b) return a;
    if (c.tag === 'app' && c.fn === 'not') return this.ite(c.args[0]!, b, a);
    if (a.sort.k === 'bool') {
      if (a === this.TRUE && b === this.FALSE) return c;
      if (a === this.FALSE && b === this.TRUE) return this.not(c);
      if (a === this.TRUE) return this.or(c, b);
      if (b === this.FALSE) return this.and(c, a);
      if (a === this.FALSE) return this.and(this.not(c), b);
      if (b === this.TRUE) return this.or(this.not(c), a);
    }
    // ite(c, ite(c, x, y), z) = ite(c, x, z) and the mirror case.
    if (a.tag === 'app' && a.fn === 'ite' && a.args[0] === c) return this.ite(c, a.args[1]!, b);
    if (b.tag === 'app' && b.fn === 'ite' && b.args[0] === c) return this.ite(c, a, b.args[2]!);
    return this.app('ite', a.sort, [c, a, b]);
  }

  eq(a: Term, b: Term): Term {
    if (a === b) return this.TRUE;
    if (a.tag === 'const' && b.tag === 'const') return this.bool(a.value === b.value);
    if (a.sort.k === 'bool') {
      if (a.tag === 'const') return a.value ? b : this.not(b);
      if (b.tag === 'const') return b.value ? a : this.not(a);
    }
    // Distinct-constant leaves of an ite decide the equality without a solver.
    if (a.tag === 'app' && a.fn === 'ite' && b.tag === 'const' && a.args[1]!.tag === 'const' && a.args[2]!.tag === 'const') {
      return this.ite(a.args[0]!, this.eq(a.args[1]!, b), this.eq(a.args[2]!, b));
    }
    if (b.tag === 'app' && b.fn === 'ite' && a.tag === 'const') return this.eq(b, a);
    return this.app('eq', BOOL_SORT, [a, b]);
  }

  // ---------------------------------------------------------------- bit-vectors

  op(fn: Exclude<Fn, 'not' | 'and' | 'or' | 'ite' | 'eq' | 'extract' | 'zext' | 'sext' | 'concat'>, ...args: Term[]): Term {
    const w = width(args[0]!);
    const isPred = fn === 'bvult' || fn === 'bvule' || fn === 'bvslt' || fn === 'bvsle' || fn === 'umulo' || fn === 'smulo';
    const sort = isPred ? BOOL_SORT : bv(w);
    if (args.every((a) => a.tag === 'const')) {
      const r = evalFn(fn, args.map((a) => (a as { value: bigint }).value), [], args.map(width));
      return isPred ? this.bool(r !== 0n) : this.bv(w, r);
    }
    const [a, b] = args as [Term, Term];
    const c = (t: Term, v: bigint) => t.tag === 'const' && t.value === v;
    switch (fn) {
      case 'bvadd':
        if (c(a, 0n)) return b;
        if (c(b, 0n)) return a;
        break;
      case 'bvsub':
        if (c(b, 0n)) return a;
        if (a === b) return this.bv(w, 0n);
        break;
      case 'bvmul':
        if (c(a, 0n) || c(b, 0n)) return this.bv(w, 0n);
        if (c(a, 1n)) return b;
        if (c(b, 1n)) return a;
        break;
      case 'bvudiv':
      case 'bvsdiv':
        if (c(b, 1n)) return a;
        if (fn === 'bvudiv' && b.tag === 'const' && b.value > 0n && (b.value & (b.value - 1n)) === 0n) {
          return this.op('bvlshr', a, this.bv(w, BigInt(b.value.toString(2).length - 1)));
        }
        break;
      case 'bvand':
        if (c(a, 0n) || c(b, 0n)) return this.bv(w, 0n);
        if (c(a, mask(w))) return b;
        if (c(b, mask(w))) return a;
        if (a === b) return a;
        break;
      case 'bvor':
        if (c(a, 0n)) return b;
        if (c(b, 0n)) return a;
        if (a === b) return a;
        break;
      case 'bvxor':
        if (c(a, 0n)) return b;
        if (c(b, 0n)) return a;
        if (a === b) return this.bv(w, 0n);
        break;
      case 'bvshl':
      case 'bvlshr':
      case 'bvashr':
        if (c(b, 0n)) return a;
        break;
      case 'bvult':
        if (a === b || c(b, 0n)) return this.FALSE;
        break;
      case 'bvule':
        if (a === b || c(a, 0n)) return this.TRUE;
        break;
      case 'bvslt':
        if (a === b) return this.FALSE;
        break;
      case 'bvsle':
        if (a === b) return this.TRUE;
        break;
      case 'umulo':
        if (c(a, 0n) || c(b, 0n) || c(a, 1n) || c(b, 1n)) return this.FALSE;
        // x * k overflows exactly when x > floor(max / k): linear, so no multiplier for the solver.
        if (b.tag === 'const') return this.op('bvult', this.bv(w, mask(w) / b.value), a);
        if (a.tag === 'const') return this.op('bvult', this.bv(w, mask(w) / a.value), b);
        break;
      case 'smulo':
        if (c(a, 0n) || c(b, 0n) || c(a, 1n) || c(b, 1n)) return this.FALSE;
        break;
      case 'bvnot':
        if (a.tag === 'app' && a.fn === 'bvnot') return a.args[0]!;
        break;
      case 'bvneg':
        if (a.tag === 'app' && a.fn === 'bvneg') return a.args[0]!;
        break;
      case 'bvurem':
      case 'bvsrem':
        break;
      default:
        assertNever(fn, 'bv function');
    }
    return this.app(fn, sort, args);
  }

  extract(hi: number, lo: number, a: Term): Term {
    const w = width(a);
    invariant(hi < w && lo >= 0 && hi >= lo, `extract ${hi}:${lo} of bv${w}`);
    if (lo === 0 && hi === w - 1) return a;
    if (a.tag === 'const') return this.bv(hi - lo + 1, (a.value >> BigInt(lo)) & mask(hi - lo + 1));
    if (a.tag === 'app' && a.fn === 'extract') return this.extract(hi + a.params[1]!, lo + a.params[1]!, a.args[0]!);
    if (a.tag === 'app' && (a.fn === 'zext' || a.fn === 'sext')) {
      const inner = a.args[0]!;
      const iw = width(inner);
      if (hi < iw) return this.extract(hi, lo, inner);
      if (a.fn === 'zext' && lo >= iw) return this.bv(hi - lo + 1, 0n);
    }
    if (a.tag === 'app' && a.fn === 'concat') {
      const [h, l] = a.args as [Term, Term];
      const lw = width(l);
      if (hi < lw) return this.extract(hi, lo, l);
      if (lo >= lw) return this.extract(hi - lw, lo - lw, h);
    }
    return this.app('extract', bv(hi - lo + 1), [a], [hi, lo]);
  }

  zext(n: number, a: Term): Term {
    if (n === 0) return a;
    if (a.tag === 'const') return this.bv(width(a) + n, a.value);
    if (a.tag === 'app' && a.fn === 'zext') return this.zext(n + a.params[0]!, a.args[0]!);
    return this.app('zext', bv(width(a) + n), [a], [n]);
  }

  sext(n: number, a: Term): Term {
    if (n === 0) return a;
    const w = width(a);
    if (a.tag === 'const') return this.bv(w + n, toSigned(a.value, w));
    if (a.tag === 'app' && a.fn === 'sext') return this.sext(n + a.params[0]!, a.args[0]!);
    return this.app('sext', bv(w + n), [a], [n]);
  }

  concat(hi: Term, lo: Term): Term {
    const wl = width(lo);
    if (hi.tag === 'const' && lo.tag === 'const') return this.bv(width(hi) + wl, (hi.value << BigInt(wl)) | lo.value);
    if (hi.tag === 'const' && hi.value === 0n) return this.zext(width(hi), lo);
    // Re-joining adjacent slices of one word gives the word back (read-modify-write of packed slots).
    if (hi.tag === 'app' && hi.fn === 'extract' && lo.tag === 'app' && lo.fn === 'extract' && hi.args[0] === lo.args[0] && hi.params[1] === lo.params[0]! + 1) {
      return this.extract(hi.params[0]!, lo.params[1]!, hi.args[0]!);
    }
    return this.app('concat', bv(width(hi) + wl), [hi, lo]);
  }
}

export function width(t: Term): number {
  invariant(t.sort.k === 'bv', 'bit-vector expected');
  return t.sort.w;
}

type TermWithoutId = Term extends infer T ? (T extends unknown ? Omit<T, 'id'> : never) : never;

function termKey(t: TermWithoutId): string {
  const s = t.sort.k === 'bool' ? 'B' : `b${t.sort.w}`;
  switch (t.tag) {
    case 'const':
      return `c${s}:${t.value.toString(16)}`;
    case 'var':
      return `v${s}:${t.name}`;
    case 'uf':
      return `u${s}:${t.name}(${t.args.map((a) => a.id).join(',')})`;
    case 'app':
      return `a${s}:${t.fn}[${t.params.join(',')}](${t.args.map((a) => a.id).join(',')})`;
  }
}

/** Concrete semantics of bit-vector functions (SMT-LIB's, including division by zero), for folding. */
export function evalFn(fn: Fn, args: readonly bigint[], params: readonly number[], widths: readonly number[]): bigint {
  const w = widths[0] ?? 1;
  const m = mask(w);
  const [a = 0n, b = 0n] = args;
  const sa = () => toSigned(a, w);
  const sb = () => toSigned(b, w);
  const B = (x: boolean) => (x ? 1n : 0n);
  switch (fn) {
    case 'not':
      return B(a === 0n);
    case 'and':
      return B(args.every((x) => x !== 0n));
    case 'or':
      return B(args.some((x) => x !== 0n));
    case 'ite':
      return args[0] ? args[1]! : args[2]!;
    case 'eq':
      return B(a === b);
    case 'bvadd':
      return (a + b) & m;
    case 'bvsub':
      return (a - b) & m;
    case 'bvmul':
      return (a * b) & m;
    case 'bvudiv':
      return b === 0n ? m : a / b;
    case 'bvurem':
      return b === 0n ? a : a % b;
    case 'bvsdiv':
      return b === 0n ? (sa() < 0n ? 1n : m) : (sa() / sb()) & m;
    case 'bvsrem':
      return b === 0n ? a : (sa() % sb()) & m;
    case 'bvand':
      return a & b;
    case 'bvor':
      return a | b;
    case 'bvxor':
      return a ^ b;
    case 'bvnot':
      return ~a & m;
    case 'bvneg':
      return -a & m;
    case 'bvshl':
      return b >= BigInt(w) ? 0n : (a << b) & m;
    case 'bvlshr':
      return b >= BigInt(w) ? 0n : a >> b;
    case 'bvashr':
      return (sa() >> (b >= BigInt(w) ? BigInt(w) : b)) & m;
    case 'bvult':
      return B(a < b);
    case 'bvule':
      return B(a <= b);
    case 'bvslt':
      return B(sa() < sb());
    case 'bvsle':
      return B(sa() <= sb());
    case 'extract':
      return (a >> BigInt(params[1]!)) & mask(params[0]! - params[1]! + 1);
    case 'zext':
      return a;
    case 'sext':
      return toSigned(a, w) & mask(w + params[0]!);
    case 'concat':
      return (a << BigInt(widths[1]!)) | b;
    case 'umulo':
      return B(a * b > m);
    case 'smulo': {
      const p = sa() * sb();
      return B(p > (1n << BigInt(w - 1)) - 1n || p < -(1n << BigInt(w - 1)));
    }
    default:
      return assertNever(fn, 'function');
  }
}
