import type { ContractOutput, SourceUnit } from '../frontend/compile.ts';
import { invariant } from '../util/assert.ts';
import { oldsOf, printSolidity, type SpecExpr, type Span } from './expr.ts';
import { SpecError, type Property } from './types.ts';

/*
 * Instrumentation, as Scribble does it: a property becomes Solidity. Each wrapped function `g` keeps its
 * body as `__pp_orig_g_<id>` (internal, same modifiers) and gets a wrapper with g's external interface
 * that captures the `old(…)` values, calls the original, and then checks. Every property is checked by
 * comparing two copies of the contract with the existing equivalence machinery:
 *
 *   base  — wrappers with the captures (and an invariant's assumption `if (!inv) revert __pp_assume()`);
 *   check — the same, plus `if (!pred) revert __pp_violation(k)` after the call;
 *   vac   — the same as base, plus `revert __pp_reached(k)` after the call (and an invariant's
 *           satisfiability probe `__pp_sat()`), for the vacuity checks.
 *
 * base and check agree on every input exactly when, wherever the function succeeds (from a state that
 * satisfies the assumption), the predicate evaluates to true without reverting: an `equivalent` verdict
 * is the proof, a `different` one is a counterexample the EVM replays (check reverts, base does not).
 * The captures and the assumption are the same code in both copies, so an input on which they revert is
 * one on which neither copy succeeds: it is outside what is claimed (see specs/README.md).
 */

export type Mode = 'base' | 'check' | 'vac';

/** Char offsets of solc's byte offsets into one source text. */
export function byteToChar(content: string): (b: number) => number {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(content)) return (b) => b;
  const bytes = Buffer.from(content, 'utf8');
  return (b) => bytes.subarray(0, b).toString('utf8').length;
}

export function srcRange(src: string, toChar: (b: number) => number): { start: number; end: number } {
  const [s, l] = src.split(':').map(Number);
  invariant(s !== undefined && l !== undefined, `bad src ${src}`);
  return { start: toChar(s), end: toChar(s + l) };
}

type Node = Record<string, unknown> & { nodeType?: string; id?: number; src?: string };

/** Every AST node under `root` (depth first). */
export function* walk(root: unknown): Generator<Node> {
  if (Array.isArray(root)) for (const x of root) yield* walk(x);
  else if (root !== null && typeof root === 'object') {
    const n = root as Node;
    if (typeof n.nodeType === 'string') yield n;
    for (const v of Object.values(n)) if (v !== null && typeof v === 'object') yield* walk(v);
  }
}

/** What a property's wrapper needs about one function. */
export interface FnInfo {
  readonly node: any;
  readonly name: string;
  readonly origName: string;
  readonly signature: string;
  readonly mutability: string;
  readonly params: readonly { readonly decl: string; readonly name: string }[];
  readonly returns: readonly { readonly decl: string; readonly name: string }[];
}

export function fnInfo(fd: any, content: string, toChar: (b: number) => number, signature: string): FnInfo {
  const text = (n: any) => { const r = srcRange(n.src, toChar); return content.slice(r.start, r.end); };
  const decls = (list: any[], prefix: string) => list.map((p: any, i: number) => {
    const name: string = p.name !== '' ? p.name : `${prefix}${i}`;
    return { decl: p.name !== '' ? text(p) : `${text(p)} ${name}`, name };
  });
  return {
    node: fd,
    name: fd.name,
    origName: `__pp_orig_${fd.name}_${fd.id}`,
    signature,
    mutability: fd.stateMutability,
    params: decls(fd.parameters.parameters, '__pp_arg'),
    returns: decls(fd.returnParameters.parameters, '__pp_ret'),
  };
}

/** A piece of generated code and the spans of spec expressions printed into it (relative to `text`). */
export interface Code {
  readonly text: string;
  readonly spans: readonly Span[];
}

/** Statements a wrapper runs before and after the original body. */
export interface WrapCode {
  readonly pre: readonly Code[];
  readonly post: readonly Code[];
}

/** A textual edit of the original source (char offsets). */
interface Edit { readonly start: number; readonly end: number; readonly text: string; readonly spans: readonly Span[] }

/** The generated text of one contract copy, and which generated ranges are original text. */
export interface Copy {
  readonly name: string;
  readonly text: string;
  /** Unchanged runs: generated offset (relative to the copy) -> original char offset. */
  readonly runs: readonly { readonly gen: number; readonly orig: number; readonly len: number }[];
  /** Spans of printed spec expressions (relative to the copy). */
  readonly spans: readonly Span[];
}

export interface CopyInput {
  readonly unit: SourceUnit;
  readonly contract: ContractOutput;
  readonly name: string;
  readonly wrap: ReadonlyMap<FnInfo, WrapCode>;
  /** Extra members (errors, the satisfiability probe). */
  readonly members: readonly Code[];
}

/** Joins code pieces with `sep`, keeping their spans. */
export function joinCode(parts: readonly Code[], sep: string, prefix = ''): Code {
  let text = prefix;
  const spans: Span[] = [];
  parts.forEach((p, i) => {
    if (i > 0) text += sep;
    for (const s of p.spans) spans.push({ start: s.start + text.length, end: s.end + text.length, loc: s.loc });
    text += p.text;
  });
  return { text, spans };
}

const plain = (text: string): Code => ({ text, spans: [] });

/** One instrumented copy of the contract, renamed, with every wrapped function split in two. */
export function makeCopy(inp: CopyInput): Copy {
  const content = inp.unit.content;
  const toChar = byteToChar(content);
  const def = inp.contract.ast;
  const whole = srcRange(def.src, toChar);
  const edits: Edit[] = [];
  const nameAt = srcRange(def.nameLocation, toChar);
  edits.push({ start: nameAt.start, end: nameAt.end, text: inp.name, spans: [] });
  const ids = new Map<number, FnInfo>();
  const headers: { start: number; end: number }[] = [];
  // Headers are regenerated from their text; the contract's own name in them must name the copy too.
  const renameSelf = (t: string) => t.replace(new RegExp(`\\b${def.name}\\.`, 'g'), `${inp.name}.`);
  const text = (n: any) => { const r = srcRange(n.src, toChar); return content.slice(r.start, r.end); };
  for (const [f, code] of inp.wrap) {
    ids.set(f.node.id, f);
    const fr = srcRange(f.node.src, toChar);
    const body = srcRange(f.node.body.src, toChar);
    const mods = (f.node.modifiers as any[]).map((m) => ' ' + text(m)).join('');
    const view = f.mutability === 'view' || f.mutability === 'pure' ? ` ${f.mutability}` : '';
    const origRets = f.returns.length > 0 ? ` returns ${text(f.node.returnParameters)}` : '';
    const origHeader = `function ${f.origName}${text(f.node.parameters)} internal${view}${mods}${origRets} `;
    const call = `${f.origName}(${f.params.map((p) => p.name).join(', ')})`;
    const assign = f.returns.length === 0 ? `${call};` : f.returns.length === 1 ? `${f.returns[0]!.name} = ${call};` : `(${f.returns.map((r) => r.name).join(', ')}) = ${call};`;
    const mut = f.mutability === 'nonpayable' ? '' : ` ${f.mutability}`;
    const virt = f.node.virtual ? ' virtual' : '';
    const over = f.node.overrides ? ' ' + text(f.node.overrides) : '';
    const rets = f.returns.length > 0 ? ` returns (${f.returns.map((r) => r.decl).join(', ')})` : '';
    const head = `function ${f.name}(${f.params.map((p) => p.decl).join(', ')}) ${f.node.visibility}${mut}${virt}${over}${rets} {\n    `;
    const wrapper = joinCode([...code.pre, plain(assign), ...code.post, plain('}\n  ')], '\n    ', head);
    edits.push({ start: fr.start, end: fr.start, ...wrapper, text: renameSelf(wrapper.text) });
    edits.push({ start: fr.start, end: body.start, text: renameSelf(origHeader), spans: [] });
    headers.push({ start: fr.start, end: body.start });
  }
  // Calls to a wrapped function from inside the contract keep calling the original: the property is
  // about the entry point, and a check inside another function's execution would be a different claim.
  for (const n of walk(def)) {
    // The contract naming itself (`C.Pos`, `C.E.A`) names the copy.
    const self = (n.nodeType === 'IdentifierPath' && typeof n.name === 'string' && n.name.startsWith(`${def.name}.`))
      || (n.nodeType === 'Identifier' && n.referencedDeclaration === def.id);
    if (self) { const r = srcRange(n.src as string, toChar); if (!headers.some((h) => h.start <= r.start && r.start < h.end)) edits.push({ start: r.start, end: r.start + def.name.length, text: inp.name, spans: [] }); continue; }
    if (n.nodeType !== 'Identifier' || typeof n.referencedDeclaration !== 'number') continue;
    const f = ids.get(n.referencedDeclaration);
    if (f !== undefined) { const r = srcRange(n.src as string, toChar); edits.push({ start: r.start, end: r.end, text: f.origName, spans: [] }); }
  }
  edits.push({ start: whole.end - 1, end: whole.end - 1, ...joinCode(inp.members, '\n  ', '\n  ') });
  // Insertions at one offset keep their order (the wrapper before the renamed header).
  const ordered = edits.map((e, i) => ({ e, i })).sort((a, b) => a.e.start - b.e.start || a.i - b.i).map((x) => x.e);
  let out = '';
  const runs: { gen: number; orig: number; len: number }[] = [];
  const spans: Span[] = [];
  let pos = whole.start;
  for (const e of ordered) {
    invariant(e.start >= pos, 'overlapping instrumentation edits');
    runs.push({ gen: out.length, orig: pos, len: e.start - pos });
    out += content.slice(pos, e.start);
    for (const s of e.spans) spans.push({ start: s.start + out.length, end: s.end + out.length, loc: s.loc });
    out += e.text;
    pos = e.end;
  }
  runs.push({ gen: out.length, orig: pos, len: whole.end - pos });
  out += content.slice(pos, whole.end);
  return { name: inp.name, text: out, runs, spans };
}

/** `prefix + e + suffix` as code, with `olds` naming its old() locals and `result` standing for $result. */
export function printCode(e: SpecExpr, olds: ReadonlyMap<SpecExpr, string>, result: string | undefined, prefix: string, suffix: string): Code {
  const spans: Span[] = [];
  const text = printSolidity(e, { olds, ...(result === undefined ? {} : { result }) }, spans, prefix.length);
  return { text: prefix + text + suffix, spans };
}

/** The Solidity type to declare a captured old() value with, from solc's typeString; refused otherwise. */
export function captureType(typeString: string, contractName: string, at: SpecExpr): string | null {
  if (/^(int_const|rational_const|literal_string)/.test(typeString)) return null; // a constant: no capture needed
  if (/^(u?int\d*|bool|address( payable)?|bytes\d+)$/.test(typeString)) return typeString;
  const m = /^(enum|contract|struct) (.*)$/.exec(typeString);
  if (m && m[1] !== 'struct') return m[2]!.startsWith(`${contractName}.`) ? m[2]!.slice(contractName.length + 1) : m[2]!;
  throw new SpecError(at.loc, `old(...) of type ${typeString} is not supported: only value types (integers, bool, address, bytesN, enums, contracts) can be captured`);
}

/** Names every old() of a property gets in the wrapper, in order. */
export function oldNames(p: Property, k: number): Map<SpecExpr, string> {
  return new Map(oldsOf(p.expr).map((o, j) => [o, `__pp_old_${k}_${j}`]));
}
