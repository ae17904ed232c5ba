import { LineIndex, type SrcLoc } from '../util/loc.ts';
import { ExprParser, lex, type SpecExpr, type Token } from './expr.ts';
import { SpecError, type Property, type UnsupportedProperty } from './types.ts';

/*
 * Scribble-style annotations in NatSpec comments: `/// #invariant e;` on a contract, `/// #if_succeeds e;`
 * on a function, also `/// @custom:scribble #…` and inside `/** … *\/` blocks, spanning several lines.
 * solc attaches the comment to the node as `documentation` (StructuredDocumentation with its `src`); we
 * read the raw comment from the source at that range so every position maps back exactly.
 */

/** Maps char offsets (not solc's byte offsets) of one source text to 1-based line and column. */
export class CharLines {
  private readonly index: LineIndex;
  private readonly ascii: boolean;
  constructor(readonly file: string, private readonly text: string) {
    this.index = LineIndex.of(text);
    // eslint-disable-next-line no-control-regex
    this.ascii = /^[\x00-\x7f]*$/.test(text);
  }
  loc(offset: number): SrcLoc {
    const bytes = this.ascii ? offset : Buffer.byteLength(this.text.slice(0, offset), 'utf8');
    return { file: this.file, ...this.index.position(bytes), astId: -1 };
  }
}

/** A comment's text without its comment markers, with the source offset of every character kept. */
export interface DocText {
  readonly text: string;
  readonly offsets: readonly number[];
}

/** Strips `///`, `/**`, `*\/` and leading ` * ` from a raw comment that starts at `base` in its source. */
export function docText(raw: string, base: number): DocText {
  let text = '';
  const offsets: number[] = [];
  const lines = raw.split('\n');
  let pos = base;
  for (const line of lines) {
    let m = /^\s*(\/\/\/|\/\*\*|\*(?!\/))?/.exec(line);
    let skip = m?.[0].length ?? 0;
    let body = line.slice(skip);
    m = /\*\/\s*$/.exec(body);
    if (m) body = body.slice(0, m.index);
    for (let i = 0; i < body.length; i++) { text += body[i]; offsets.push(pos + skip + i); }
    // The line break stays (as a space-like separator) so tokens never glue across lines.
    text += '\n';
    offsets.push(pos + line.length);
    pos += line.length + 1;
    skip = 0;
  }
  return { text, offsets };
}

const CHECKED = new Set(['invariant', 'if_succeeds']);
const KNOWN = new Set(['invariant', 'if_succeeds', 'if_updated', 'if_assigned', 'assert', 'try', 'require', 'limit', 'hint', 'macro', 'define', 'import']);

/** One annotation found in a comment, before it is turned into a Property. */
export interface RawAnnotation {
  readonly keyword: 'invariant' | 'if_succeeds';
  readonly expr: SpecExpr;
  readonly source: string;
  readonly msg?: string;
  readonly loc: SrcLoc;
}

/**
 * Finds every `#keyword … ;` in a comment. Scribble keywords we do not check become UnsupportedProperty;
 * a malformed annotation throws SpecError at the offending token.
 */
export function annotationsIn(doc: DocText, lines: CharLines): { found: RawAnnotation[]; unsupported: UnsupportedProperty[] } {
  const found: RawAnnotation[] = [];
  const unsupported: UnsupportedProperty[] = [];
  const at = (i: number) => lines.loc(doc.offsets[Math.min(i, doc.offsets.length - 1)] ?? 0);
  const re = /(^|[\s])#([A-Za-z_]+)/g;
  for (let m = re.exec(doc.text); m !== null; m = re.exec(doc.text)) {
    const kw = m[2]!;
    const start = m.index + m[1]!.length;
    if (!KNOWN.has(kw)) continue; // A `#` in prose (issue numbers, "#1") is not an annotation.
    const end = terminator(doc.text, start + 1 + kw.length);
    if (end < 0) throw new SpecError(at(start), `expected ';' to end the #${kw} annotation`);
    if (!CHECKED.has(kw)) {
      unsupported.push({ kind: 'unsupported', what: `#${kw} annotation`, loc: at(start) });
      re.lastIndex = end + 1;
      continue;
    }
    const bodyStart = start + 1 + kw.length;
    const body = doc.text.slice(bodyStart, end);
    const toks = lex(body, (i) => at(bodyStart + i));
    const p = new ExprParser(toks, (i) => at(bodyStart + i));
    const msg = parseMsg(p);
    const exprTok = p.peek();
    const expr = p.parseExpr();
    const rest = p.peek();
    if (rest.kind !== 'eof') throw p.error(rest, `expected ';' or an operator after the #${kw} expression`);
    found.push({
      keyword: kw as RawAnnotation['keyword'],
      expr,
      source: body.slice(exprTok.pos).replace(/\s+/g, ' ').trim(),
      ...(msg === undefined ? {} : { msg }),
      loc: at(start),
    });
    re.lastIndex = end + 1;
  }
  return { found, unsupported };
}

/** `{:msg "text"}` before an expression (Scribble's message attribute). */
export function parseMsg(p: ExprParser): string | undefined {
  if (!p.isPunct('{')) return undefined;
  p.next();
  p.expect(':', "to start an attribute such as {:msg \"…\"}");
  const name: Token = p.next();
  if (name.kind !== 'ident' || name.text !== 'msg') throw p.error(name, "expected the attribute 'msg' after '{:'");
  const s = p.next();
  if (s.kind !== 'str') throw p.error(s, 'expected a string literal after {:msg');
  p.expect('}', 'to close the {:msg …} attribute');
  return s.text.slice(1, -1);
}

/** Index of the `;` ending an annotation that starts at `from`: outside strings and brackets. */
export function terminator(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
      i = j;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ';' && depth <= 0) return i;
  }
  return -1;
}

/** Turns raw annotations into numbered properties. */
export function toProperty(a: RawAnnotation, n: number, fn: Property['fn'], origin: Property['origin']): Property {
  return {
    id: `${a.keyword === 'invariant' ? 'inv' : 'if_succeeds'}#${n}`,
    kind: a.keyword,
    source: a.source,
    expr: a.expr,
    ...(a.msg === undefined ? {} : { msg: a.msg }),
    loc: a.loc,
    ...(fn === undefined ? {} : { fn }),
    origin,
  };
}
