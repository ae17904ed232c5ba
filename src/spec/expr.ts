import type { SrcLoc } from '../util/loc.ts';
import { assertNever } from '../util/assert.ts';
import { SpecError } from './types.ts';

/*
 * Spec expressions: Solidity expression syntax plus Scribble's `old(e)`, `$result`, `a ==> b` and
 * `let x := e in b`. Own lexer and Pratt parser rather than @solidity-parser/parser: version 0.20.2
 * builds its AST before it looks at its syntax errors and crashes with a TypeError on every malformed
 * expression (`a + `, `f(`), so it cannot say where the mistake is. The instrumented Solidity this
 * expression is printed into is compiled by solc, which remains the judge of types and names.
 */

export type SpecExpr =
  | { readonly k: 'ident'; readonly name: string; readonly loc: SrcLoc }
  | { readonly k: 'num'; readonly text: string; readonly loc: SrcLoc }
  | { readonly k: 'str'; readonly text: string; readonly loc: SrcLoc }
  | { readonly k: 'bool'; readonly value: boolean; readonly loc: SrcLoc }
  | { readonly k: 'unary'; readonly op: string; readonly arg: SpecExpr; readonly loc: SrcLoc }
  | { readonly k: 'binary'; readonly op: string; readonly left: SpecExpr; readonly right: SpecExpr; readonly loc: SrcLoc }
  | { readonly k: 'cond'; readonly cond: SpecExpr; readonly then: SpecExpr; readonly else: SpecExpr; readonly loc: SrcLoc }
  | { readonly k: 'call'; readonly callee: SpecExpr; readonly args: readonly SpecExpr[]; readonly loc: SrcLoc }
  | { readonly k: 'member'; readonly base: SpecExpr; readonly name: string; readonly loc: SrcLoc }
  | { readonly k: 'index'; readonly base: SpecExpr; readonly index: SpecExpr; readonly loc: SrcLoc }
  | { readonly k: 'tuple'; readonly items: readonly SpecExpr[]; readonly loc: SrcLoc }
  | { readonly k: 'old'; readonly arg: SpecExpr; readonly loc: SrcLoc }
  | { readonly k: 'result'; readonly loc: SrcLoc }
  | { readonly k: 'let'; readonly name: string; readonly value: SpecExpr; readonly body: SpecExpr; readonly loc: SrcLoc };

type TokKind = 'ident' | 'num' | 'str' | 'punct' | 'eof';
export interface Token {
  readonly kind: TokKind;
  readonly text: string;
  /** Offset into the text being lexed. */
  readonly pos: number;
}

const PUNCT = ['==>', ':=', '==', '!=', '<=', '>=', '=', '&&', '||', '<<', '>>', '**', '+', '-', '*', '/', '%', '<', '>', '!', '~', '&', '|', '^', '?', ':', '.', ',', '(', ')', '[', ']', '{', '}', ';'];
const SUBDENOM = new Set(['wei', 'gwei', 'ether', 'seconds', 'minutes', 'hours', 'days', 'weeks']);

/** Tokens of `text`; `at` maps an offset to a source location for errors. */
export function lex(text: string, at: (pos: number) => SrcLoc): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) { i++; continue; }
    const start = i;
    if (/[A-Za-z_$]/.test(c)) {
      while (i < text.length && /[A-Za-z0-9_$]/.test(text[i]!)) i++;
      const word = text.slice(start, i);
      // `hex"…"` is one literal.
      if (word === 'hex' && (text[i] === '"' || text[i] === "'")) {
        i = endOfString(text, i, at);
        out.push({ kind: 'str', text: text.slice(start, i), pos: start });
      } else out.push({ kind: 'ident', text: word, pos: start });
      continue;
    }
    if (/[0-9]/.test(c)) {
      if (c === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X')) { i += 2; while (i < text.length && /[0-9a-fA-F_]/.test(text[i]!)) i++; }
      else {
        while (i < text.length && /[0-9_.]/.test(text[i]!)) i++;
        if (text[i] === 'e' || text[i] === 'E') { i++; if (text[i] === '-') i++; while (i < text.length && /[0-9_]/.test(text[i]!)) i++; }
      }
      out.push({ kind: 'num', text: text.slice(start, i), pos: start });
      continue;
    }
    if (c === '"' || c === "'") {
      i = endOfString(text, i, at);
      out.push({ kind: 'str', text: text.slice(start, i), pos: start });
      continue;
    }
    const p = PUNCT.find((q) => text.startsWith(q, i));
    if (p === undefined) throw new SpecError(at(i), `unexpected character '${c}' in a spec expression`);
    out.push({ kind: 'punct', text: p, pos: i });
    i += p.length;
  }
  out.push({ kind: 'eof', text: '', pos: text.length });
  return out;
}

function endOfString(text: string, i: number, at: (pos: number) => SrcLoc): number {
  const q = text[i]!;
  let j = i + 1;
  while (j < text.length && text[j] !== q) j += text[j] === '\\' ? 2 : 1;
  if (j >= text.length) throw new SpecError(at(i), 'unterminated string literal (expected a closing quote)');
  return j + 1;
}

/** Binary operators by binding power (higher binds tighter); `**` and `==>` associate to the right. */
const BINARY: Readonly<Record<string, number>> = {
  '==>': 1, '||': 3, '&&': 4, '==': 5, '!=': 5, '<': 6, '>': 6, '<=': 6, '>=': 6,
  '|': 7, '^': 8, '&': 9, '<<': 10, '>>': 10, '+': 11, '-': 11, '*': 12, '/': 12, '%': 12, '**': 13,
};
const TERNARY_POWER = 2;
const RIGHT_ASSOC = new Set(['==>', '**']);

/** A recursive-descent/Pratt parser over one token list; `parseExpr` stops at the first token it cannot use. */
export class ExprParser {
  private i = 0;
  constructor(private readonly toks: readonly Token[], private readonly at: (pos: number) => SrcLoc) {}

  peek(): Token {
    return this.toks[this.i] ?? this.toks[this.toks.length - 1]!;
  }
  next(): Token {
    const t = this.peek();
    if (this.i < this.toks.length - 1) this.i++;
    return t;
  }
  isPunct(p: string): boolean {
    const t = this.peek();
    return t.kind === 'punct' && t.text === p;
  }
  expect(p: string, what: string): Token {
    const t = this.peek();
    if (t.kind !== 'punct' || t.text !== p) throw this.error(t, `expected '${p}' ${what}`);
    return this.next();
  }
  error(t: Token, msg: string): SpecError {
    return new SpecError(this.at(t.pos), `${msg}, found ${t.kind === 'eof' ? 'the end of the annotation' : `'${t.text}'`}`);
  }

  parseExpr(minPower = 0): SpecExpr {
    let left = this.parseUnary();
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'punct') break;
      if (t.text === '?' && TERNARY_POWER >= minPower) {
        this.next();
        const then = this.parseExpr(0);
        this.expect(':', "after the 'then' branch of '?'");
        const els = this.parseExpr(TERNARY_POWER);
        left = { k: 'cond', cond: left, then, else: els, loc: left.loc };
        continue;
      }
      const power = BINARY[t.text];
      if (power === undefined || power < minPower) break;
      this.next();
      const right = this.parseExpr(RIGHT_ASSOC.has(t.text) ? power : power + 1);
      left = { k: 'binary', op: t.text, left, right, loc: left.loc };
    }
    return left;
  }

  private parseUnary(): SpecExpr {
    const t = this.peek();
    if (t.kind === 'punct' && (t.text === '!' || t.text === '-' || t.text === '~')) {
      this.next();
      return { k: 'unary', op: t.text, arg: this.parseUnary(), loc: this.at(t.pos) };
    }
    return this.parsePostfix(this.parsePrimary());
  }

  private parsePostfix(e: SpecExpr): SpecExpr {
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'punct') return e;
      if (t.text === '.') {
        this.next();
        const m = this.next();
        if (m.kind !== 'ident') throw this.error(m, "expected a member name after '.'");
        e = { k: 'member', base: e, name: m.text, loc: this.at(m.pos) };
      } else if (t.text === '[') {
        this.next();
        const index = this.parseExpr();
        this.expect(']', 'to close the index');
        e = { k: 'index', base: e, index, loc: this.at(t.pos) };
      } else if (t.text === '(') {
        this.next();
        const args = this.parseList(')', 'to close the argument list');
        if (e.k === 'ident' && e.name === 'old') {
          const a = args[0];
          if (args.length !== 1 || a === undefined) throw new SpecError(e.loc, `old(...) takes exactly one expression, found ${args.length}`);
          e = { k: 'old', arg: a, loc: e.loc };
        } else e = { k: 'call', callee: e, args, loc: e.loc };
      } else return e;
    }
  }

  private parseList(close: string, what: string): SpecExpr[] {
    const items: SpecExpr[] = [];
    if (this.isPunct(close)) { this.next(); return items; }
    for (;;) {
      items.push(this.parseExpr());
      if (this.isPunct(',')) { this.next(); continue; }
      this.expect(close, `or ',' ${what}`);
      return items;
    }
  }

  private parsePrimary(): SpecExpr {
    const t = this.next();
    const loc = this.at(t.pos);
    switch (t.kind) {
      case 'num': {
        const s = this.peek();
        if (s.kind === 'ident' && SUBDENOM.has(s.text)) { this.next(); return { k: 'num', text: `${t.text} ${s.text}`, loc }; }
        return { k: 'num', text: t.text, loc };
      }
      case 'str':
        return { k: 'str', text: t.text, loc };
      case 'ident':
        if (t.text === 'true' || t.text === 'false') return { k: 'bool', value: t.text === 'true', loc };
        if (t.text === '$result') return { k: 'result', loc };
        if (t.text === 'let') return this.parseLet(loc);
        if (t.text === 'forall' || t.text === 'exists') throw new SpecError(loc, `quantifier '${t.text}' is not supported (see the spec README: properties are checked at the keys an entry point receives)`);
        return { k: 'ident', name: t.text, loc };
      case 'punct':
        if (t.text === '(') {
          const items = this.parseList(')', 'to close the parenthesis');
          const first = items[0];
          if (items.length === 1 && first !== undefined) return { k: 'tuple', items, loc };
          throw new SpecError(loc, items.length === 0 ? 'expected an expression inside ()' : 'tuples are not supported in spec expressions');
        }
        throw new SpecError(loc, `expected an expression, found '${t.text}'`);
      case 'eof':
        throw new SpecError(loc, 'expected an expression, found the end of the annotation');
      default:
        return assertNever(t.kind, 'token kind');
    }
  }

  private parseLet(loc: SrcLoc): SpecExpr {
    const name = this.next();
    if (name.kind !== 'ident') throw this.error(name, "expected a name after 'let'");
    this.expect(':=', `after 'let ${name.text}'`);
    const value = this.parseExpr(TERNARY_POWER);
    const kw = this.next();
    if (kw.kind !== 'ident' || kw.text !== 'in') throw this.error(kw, `expected 'in' after the value of 'let ${name.text} := …'`);
    // The body of a let extends as far as possible, like a lambda's.
    const body = this.parseExpr(0);
    return { k: 'let', name: name.text, value, body, loc };
  }
}

/** Every `old(…)` in evaluation order (outermost first; nested `old` inside `old` is refused). */
export function oldsOf(e: SpecExpr, out: SpecExpr[] = [], inOld = false): SpecExpr[] {
  if (e.k === 'old') {
    if (inOld) throw new SpecError(e.loc, 'old(...) inside old(...) has no meaning: the inner expression is already evaluated on the pre-state');
    out.push(e);
    oldsOf(e.arg, [], true);
    return out;
  }
  for (const c of children(e)) oldsOf(c, out, inOld);
  return out;
}

export function children(e: SpecExpr): readonly SpecExpr[] {
  switch (e.k) {
    case 'ident': case 'num': case 'str': case 'bool': case 'result': return [];
    case 'unary': return [e.arg];
    case 'binary': return [e.left, e.right];
    case 'cond': return [e.cond, e.then, e.else];
    case 'call': return [e.callee, ...e.args];
    case 'member': return [e.base];
    case 'index': return [e.base, e.index];
    case 'tuple': return e.items;
    case 'old': return [e.arg];
    case 'let': return [e.value, e.body];
    default: return assertNever(e, 'spec expression');
  }
}

/** How names in a printed expression are resolved. */
export interface PrintEnv {
  /** `old(e)` nodes to the local holding their pre-state value. */
  readonly olds: ReadonlyMap<SpecExpr, string>;
  /** `$result`'s Solidity name; undefined where it has no meaning (invariants, no return value). */
  readonly result?: string;
  /** Printed values of let-bound names in scope. */
  readonly lets?: ReadonlyMap<string, string>;
}

/** A span of printed text and the spec location it came from, to map solc's messages back. */
export interface Span {
  readonly start: number;
  readonly end: number;
  readonly loc: SrcLoc;
}

/**
 * Prints a spec expression as Solidity. Every compound is parenthesised, so precedence never depends on
 * the printer; `a ==> b` becomes `(!(a) || (b))`; `let x := v in b` substitutes `(v)` for `x` (spec
 * expressions have no side effects, and `v` has no type annotation to declare a local with).
 */
export function printSolidity(e: SpecExpr, env: PrintEnv, spans: Span[] = [], offset = 0): string {
  const parts: string[] = [];
  let len = offset;
  const emit = (s: string) => { parts.push(s); len += s.length; };
  const sub = (x: SpecExpr, scope: PrintEnv = env) => {
    const start = len;
    emit(printSolidity(x, scope, spans, start));
  };
  const start = offset;
  switch (e.k) {
    case 'ident': {
      const bound = env.lets?.get(e.name);
      emit(bound ?? e.name);
      break;
    }
    case 'num': case 'str': emit(e.text); break;
    case 'bool': emit(String(e.value)); break;
    case 'result':
      if (env.result === undefined) throw new SpecError(e.loc, '$result is only defined in #if_succeeds of a function with exactly one return value (name the return values to use them)');
      emit(env.result);
      break;
    case 'unary': emit(`${e.op}(`); sub(e.arg); emit(')'); break;
    case 'binary':
      if (e.op === '==>') { emit('(!('); sub(e.left); emit(') || ('); sub(e.right); emit('))'); }
      else { emit('(('); sub(e.left); emit(`) ${e.op} (`); sub(e.right); emit('))'); }
      break;
    case 'cond': emit('(('); sub(e.cond); emit(') ? ('); sub(e.then); emit(') : ('); sub(e.else); emit('))'); break;
    case 'call':
      sub(e.callee); emit('(');
      e.args.forEach((a, i) => { if (i > 0) emit(', '); sub(a); });
      emit(')');
      break;
    case 'member': sub(e.base); emit(`.${e.name}`); break;
    case 'index': sub(e.base); emit('['); sub(e.index); emit(']'); break;
    case 'tuple': emit('('); sub(e.items[0]!); emit(')'); break;
    case 'old': {
      const local = env.olds.get(e);
      if (local === undefined) throw new SpecError(e.loc, 'old(...) is only meaningful in #if_succeeds');
      emit(local);
      break;
    }
    case 'let': {
      const value = printSolidity(e.value, env, [], 0);
      const lets = new Map(env.lets ?? []);
      lets.set(e.name, `(${value})`);
      sub(e.body, { ...env, lets });
      break;
    }
    default:
      return assertNever(e, 'spec expression');
  }
  spans.push({ start, end: len, loc: e.loc });
  return parts.join('');
}

/** The innermost span containing `pos` (spans are pushed innermost first). */
export function spanAt(spans: readonly Span[], pos: number): Span | undefined {
  let best: Span | undefined;
  for (const s of spans) if (s.start <= pos && pos < s.end && (best === undefined || s.end - s.start < best.end - best.start)) best = s;
  return best;
}
