import { assertNever } from '../util/assert.ts';
import type { Sort, Term } from './term.ts';

export interface Declaration {
  readonly name: string;
  readonly args: readonly Sort[];
  readonly sort: Sort;
}

/**
 * Prints `(assert goal)` as a self-contained SMT-LIB2 script. Shared subterms become numbered
 * `define-fun`s in order of first use, so the text depends only on the term's structure — the same
 * obligation always prints the same bytes, which is what the certificate hashes.
 *
 * With `abstractNonlinear`, multiplication, division and remainder of two non-constant operands (and
 * the multiplication-overflow predicates) become uninterpreted functions: sound for proving (UNSAT of the
 * abstraction implies UNSAT of the exact query), much cheaper for Z3; a SAT answer must be confirmed.
 */
export function toSmtLib(goal: Term, opts: { abstractNonlinear: boolean }): { text: string; declarations: Declaration[] } {
  const refs = new Map<number, number>();
  const count = (t: Term): void => {
    const n = (refs.get(t.id) ?? 0) + 1;
    refs.set(t.id, n);
    if (n > 1) return;
    if (t.tag === 'app' || t.tag === 'uf') for (const a of t.args) count(a);
  };
  count(goal);
  const decls = new Map<string, Declaration>();
  const defs: string[] = [];
  const names = new Map<number, string>();
  const print = (t: Term): string => {
    const named = names.get(t.id);
    if (named) return named;
    let s: string;
    switch (t.tag) {
      case 'const':
        s = t.sort.k === 'bool' ? (t.value ? 'true' : 'false') : `(_ bv${t.value} ${t.sort.w})`;
        return s;
      case 'var':
        decls.set(t.name, { name: t.name, args: [], sort: t.sort });
        return quote(t.name);
      case 'uf': {
        decls.set(t.name, { name: t.name, args: t.args.map((a) => a.sort), sort: t.sort });
        s = `(${quote(t.name)} ${t.args.map(print).join(' ')})`;
        break;
      }
      case 'app':
        s = printApp(t, print, opts.abstractNonlinear, decls);
        break;
      default:
        return assertNever(t, 'term');
    }
    if ((refs.get(t.id) ?? 0) > 1) {
      const name = `t${names.size}`;
      defs.push(`(define-fun ${name} () ${sortText(t.sort)} ${s})`);
      names.set(t.id, name);
      return name;
    }
    return s;
  };
  const body = print(goal);
  const header = [...decls.values()]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((d) => `(declare-fun ${quote(d.name)} (${d.args.map(sortText).join(' ')}) ${sortText(d.sort)})`);
  const text = ['(set-logic QF_UFBV)', ...header, ...defs, `(assert ${body})`, '(check-sat)', ''].join('\n');
  return { text, declarations: [...decls.values()] };
}

export function sortText(s: Sort): string {
  return s.k === 'bool' ? 'Bool' : `(_ BitVec ${s.w})`;
}

function quote(name: string): string {
  return `|${name}|`;
}

const NONLINEAR = new Set(['bvmul', 'bvudiv', 'bvsdiv', 'bvurem', 'bvsrem', 'umulo', 'smulo']);

function printApp(t: Extract<Term, { tag: 'app' }>, print: (t: Term) => string, abstract: boolean, decls: Map<string, Declaration>): string {
  const args = t.args.map(print);
  // Multiplication is abstracted when both operands are symbolic; division and remainder whenever the
  // divisor is (or is a constant other than a power of two, which the factory already turned into shifts).
  const abstractThis = t.fn === 'bvmul' || t.fn === 'umulo' || t.fn === 'smulo' ? t.args.every((a) => a.tag !== 'const') : t.args[0]!.tag !== 'const';
  if (abstract && NONLINEAR.has(t.fn) && abstractThis) {
    const name = `abs.${t.fn}.${t.args[0]!.sort.k === 'bv' ? t.args[0]!.sort.w : 0}`;
    decls.set(name, { name, args: t.args.map((a) => a.sort), sort: t.sort });
    return `(${quote(name)} ${args.join(' ')})`;
  }
  switch (t.fn) {
    case 'extract':
      return `((_ extract ${t.params[0]} ${t.params[1]}) ${args[0]})`;
    case 'zext':
      return `((_ zero_extend ${t.params[0]}) ${args[0]})`;
    case 'sext':
      return `((_ sign_extend ${t.params[0]}) ${args[0]})`;
    case 'eq':
      return `(= ${args.join(' ')})`;
    // SMT-LIB 2.7 overflow predicates (true when the product does not fit); Z3 and cvc5 both read them.
    case 'umulo':
      return `(bvumulo ${args.join(' ')})`;
    case 'smulo':
      return `(bvsmulo ${args.join(' ')})`;
    default:
      return `(${t.fn} ${args.join(' ')})`;
  }
}
