import type { ValueType } from '../types.ts';

/** What a solc `typeString` denotes, as far as lowering cares. */
export type SolType =
  | { readonly kind: 'value'; readonly type: ValueType }
  | { readonly kind: 'mapping'; readonly key: SolType; readonly value: SolType }
  /** A compile-time rational constant (`int_const 5`, `rational_const 1 / 2`): evaluated exactly. */
  | { readonly kind: 'const' }
  | { readonly kind: 'string-literal' }
  | { readonly kind: 'tuple'; readonly items: readonly (SolType | null)[] }
  | { readonly kind: 'other'; readonly text: string };

/** Parses solc's typeString (e.g. `mapping(address => mapping(address => uint256))`). */
export function parseTypeString(s: string): SolType {
  const t = s.trim();
  let m: RegExpMatchArray | null;
  if ((m = t.match(/^uint(\d*)$/))) return value({ kind: 'uint', bits: m[1] ? Number(m[1]) : 256 });
  if ((m = t.match(/^int(\d*)$/))) return value({ kind: 'int', bits: m[1] ? Number(m[1]) : 256 });
  if (t === 'bool') return value({ kind: 'bool' });
  if (t === 'address' || t === 'address payable') return value({ kind: 'address' });
  if ((m = t.match(/^bytes(\d+)$/))) return value({ kind: 'bytes', size: Number(m[1]) });
  // Enums (at most 256 members) are uint8 in storage and ABI; where the member count matters (ABI decoding,
  // conversions, encoding) lowering reads it from the declaration (see exprs.ts).
  if (/^enum [A-Za-z_$][\w$.]*$/.test(t)) return value({ kind: 'uint', bits: 8 });
  if (t.startsWith('int_const') || t.startsWith('rational_const')) return { kind: 'const' };
  if (t.startsWith('literal_string')) return { kind: 'string-literal' };
  if (t.startsWith('mapping(')) {
    const inner = t.slice('mapping('.length, -1);
    const arrow = topLevelArrow(inner);
    if (arrow < 0) return { kind: 'other', text: t };
    return { kind: 'mapping', key: parseTypeString(inner.slice(0, arrow)), value: parseTypeString(inner.slice(arrow + 2)) };
  }
  if (t.startsWith('tuple(')) {
    const inner = t.slice('tuple('.length, -1);
    if (inner === '') return { kind: 'tuple', items: [] };
    return { kind: 'tuple', items: splitTopLevel(inner).map((x) => (x === '' ? null : parseTypeString(x))) };
  }
  return { kind: 'other', text: t };
}

function value(type: ValueType): SolType {
  return { kind: 'value', type };
}

function topLevelArrow(s: string): number {
  let depth = 0;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && c === '=' && s[i + 1] === '>') return i;
  }
  return -1;
}

function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      out.push(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(s.slice(start).trim());
  return out;
}

/** Exact rational, for solc's compile-time constant expressions. */
export interface Rational {
  readonly n: bigint;
  readonly d: bigint;
}

export function rat(n: bigint, d = 1n): Rational {
  if (d === 0n) throw new Error('internal error: zero denominator');
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const g = gcd(n < 0n ? -n : n, d);
  return { n: n / g, d: d / g };
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a === 0n ? 1n : a;
}

const SUBDENOMINATIONS: Record<string, bigint> = {
  wei: 1n,
  gwei: 10n ** 9n,
  ether: 10n ** 18n,
  seconds: 1n,
  minutes: 60n,
  hours: 3600n,
  days: 86400n,
  weeks: 604800n,
};

/** Parses a number literal (decimal, hex, scientific, underscores, with an optional subdenomination). */
export function parseNumberLiteral(text: string, subdenomination?: string | null): Rational | null {
  const s = text.replace(/_/g, '');
  let r: Rational;
  if (/^0x[0-9a-fA-F]+$/.test(s)) r = rat(BigInt(s));
  else {
    const m = s.match(/^(\d*)(?:\.(\d*))?(?:[eE](-?\d+))?$/);
    if (!m) return null;
    const intPart = m[1] ?? '';
    const frac = m[2] ?? '';
    const exp = BigInt(m[3] ?? '0');
    let num = BigInt((intPart + frac) || '0');
    let den = 10n ** BigInt(frac.length);
    if (exp >= 0n) num *= 10n ** exp;
    else den *= 10n ** -exp;
    r = rat(num, den);
  }
  if (subdenomination) {
    const f = SUBDENOMINATIONS[subdenomination];
    if (f === undefined) return null;
    r = rat(r.n * f, r.d);
  }
  return r;
}

/** Binary operator on compile-time constants, with solc's semantics (division is exact rational). */
export function constBinary(op: string, a: Rational, b: Rational): Rational | null {
  const int = a.d === 1n && b.d === 1n;
  switch (op) {
    case '+':
      return rat(a.n * b.d + b.n * a.d, a.d * b.d);
    case '-':
      return rat(a.n * b.d - b.n * a.d, a.d * b.d);
    case '*':
      return rat(a.n * b.n, a.d * b.d);
    case '/':
      return b.n === 0n ? null : rat(a.n * b.d, a.d * b.n);
    case '%':
      if (!int || b.n === 0n) return null;
      return rat(a.n % b.n);
    case '**': {
      if (b.d !== 1n || b.n < 0n || b.n > 4096n) return null;
      return rat(a.n ** b.n, a.d ** b.n);
    }
    case '&':
      return int ? rat(a.n & b.n) : null;
    case '|':
      return int ? rat(a.n | b.n) : null;
    case '^':
      return int ? rat(a.n ^ b.n) : null;
    case '<<':
      return int && b.n >= 0n && b.n <= 4096n ? rat(a.n << b.n) : null;
    case '>>':
      return int && b.n >= 0n ? rat(a.n >> b.n) : null;
    default:
      return null;
  }
}

export function constCompare(op: string, a: Rational, b: Rational): boolean | null {
  const l = a.n * b.d;
  const r = b.n * a.d;
  switch (op) {
    case '==':
      return l === r;
    case '!=':
      return l !== r;
    case '<':
      return l < r;
    case '<=':
      return l <= r;
    case '>':
      return l > r;
    case '>=':
      return l >= r;
    default:
      return null;
  }
}
