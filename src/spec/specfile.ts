import { CharLines, parseMsg } from './annotations.ts';
import { ExprParser, lex, type Token } from './expr.ts';
import {
  SpecError, type ConditionText, type IntendedChange, type Property, type RelationEntry, type RelationKind, type SpecFile, type StateMapping,
} from './types.ts';

/*
 * The spec file format (specs/*.spec), documented in specs/README.md:
 *
 *   contract Vault;                                  // optional: which contract the spec is about
 *   invariant {:msg "solvent"} totalDeposits <= address(this).balance;
 *   function withdraw(uint256) {                     // the parameter types are optional
 *     if_succeeds balances[msg.sender] == old(balances[msg.sender]) - amount;
 *     relation refines;                              // equivalent | refines
 *     relation blocks amount > balances[msg.sender];           // new reverts whenever …
 *     relation differs-only-when amount > balances[msg.sender];
 *   }
 *   rename balances -> balanceOf;                    // state mapping old -> new
 *   added pause;  removed emergencyWithdraw(uint256);
 *
 * Comments are `//` and `/* … *\/`. Expressions are spec expressions (src/spec/expr.ts).
 */

const RELATIONS: readonly RelationKind[] = ['equivalent', 'refines', 'blocks', 'differs-only-when'];

export function parseSpecFile(file: string, content: string, firstId = 0): SpecFile {
  const lines = new CharLines(file, content);
  const toks = lex(stripComments(content, lines), (i) => lines.loc(i));
  const p = new ExprParser(toks, (i) => lines.loc(i));
  let contract: string | undefined;
  const properties: Property[] = [];
  const relations: RelationEntry[] = [];
  const stateMappings: StateMapping[] = [];
  const intended: IntendedChange[] = [];
  let n = firstId;
  const expressionProperty = (kind: Property['kind'], kwTok: Token, fn: Property['fn']) => {
    const msg = parseMsg(p);
    const first = p.peek();
    const expr = p.parseExpr();
    const semi = p.expect(';', `or an operator after the ${kind} expression`);
    properties.push({
      id: `${kind === 'invariant' ? 'inv' : 'if_succeeds'}#${n++}`,
      kind,
      source: content.slice(first.pos, semi.pos).replace(/\s+/g, ' ').trim(),
      expr,
      ...(msg === undefined ? {} : { msg }),
      loc: lines.loc(kwTok.pos),
      ...(fn === undefined ? {} : { fn }),
      origin: 'spec-file',
    });
  };
  for (;;) {
    const t = p.next();
    if (t.kind === 'eof') break;
    if (t.kind !== 'ident') throw p.error(t, "expected 'contract', 'invariant', 'function', 'rename', 'added' or 'removed'");
    switch (t.text) {
      case 'contract': {
        const name = identifier(p, "after 'contract'");
        if (contract !== undefined) throw new SpecError(lines.loc(t.pos), `a spec file names one contract; already '${contract}'`);
        contract = name.text;
        p.expect(';', "after the contract's name");
        break;
      }
      case 'invariant':
        expressionProperty('invariant', t, undefined);
        break;
      case 'function': {
        const name = identifier(p, "after 'function'");
        let signature: string | undefined;
        if (p.isPunct('(')) signature = `${name.text}(${typeList(p)})`;
        p.expect('{', `to open the block of function ${name.text}`);
        while (!p.isPunct('}')) {
          const item = p.next();
          if (item.kind === 'ident' && item.text === 'if_succeeds') {
            expressionProperty('if_succeeds', item, { name: name.text, ...(signature === undefined ? {} : { signature }) });
          } else if (item.kind === 'ident' && item.text === 'relation') {
            relations.push(relation(p, content, lines, signature ?? name.text, item));
          } else throw p.error(item, `expected 'if_succeeds', 'relation' or '}' in the block of function ${name.text}`);
        }
        p.next();
        break;
      }
      case 'rename': {
        const from = identifier(p, "after 'rename'");
        p.expect('-', `and '>' (write 'rename ${from.text} -> newName;')`);
        p.expect('>', `after '-' (write 'rename ${from.text} -> newName;')`);
        const to = identifier(p, "after '->'");
        p.expect(';', 'after the state mapping');
        stateMappings.push({ oldName: from.text, newName: to.text, loc: lines.loc(t.pos) });
        break;
      }
      case 'added':
      case 'removed': {
        const name = identifier(p, `after '${t.text}'`);
        const entryPoint = p.isPunct('(') ? `${name.text}(${typeList(p)})` : name.text;
        p.expect(';', `after '${t.text} ${entryPoint}'`);
        intended.push({ kind: t.text, entryPoint, loc: lines.loc(t.pos) });
        break;
      }
      default:
        throw p.error(t, "expected 'contract', 'invariant', 'function', 'rename', 'added' or 'removed'");
    }
  }
  return { file, ...(contract === undefined ? {} : { contract }), properties, unsupported: [], relations, stateMappings, intended };
}

function identifier(p: ExprParser, what: string): Token {
  const t = p.next();
  if (t.kind !== 'ident') throw p.error(t, `expected a name ${what}`);
  return t;
}

/** `(uint256, address)` as canonical text `uint256,address`: names and data locations are dropped. */
function typeList(p: ExprParser): string {
  p.expect('(', 'to open the parameter types');
  const types: string[] = [];
  let cur: string[] = [];
  for (;;) {
    const t = p.next();
    if (t.kind === 'punct' && (t.text === ',' || t.text === ')')) {
      const ty = cur.filter((w) => !['memory', 'calldata', 'storage'].includes(w));
      if (ty.length > 0) types.push(ty[0]!);
      else if (t.text === ',' || types.length > 0) throw p.error(t, 'expected a parameter type');
      cur = [];
      if (t.text === ')') return types.join(',');
      continue;
    }
    if (t.kind === 'eof') throw p.error(t, "expected ')' to close the parameter types");
    // Array suffixes glue onto the type: uint256[] -> one word.
    if (t.kind === 'punct' && (t.text === '[' || t.text === ']') && cur.length > 0) cur[cur.length - 1] += t.text;
    else if (t.kind === 'num' && cur.length > 0 && cur[cur.length - 1]!.endsWith('[')) cur[cur.length - 1] += t.text;
    else cur.push(t.text);
  }
}

function relation(p: ExprParser, content: string, lines: CharLines, entryPoint: string, kw: Token): RelationEntry {
  const first = p.next();
  if (first.kind !== 'ident') throw p.error(first, `expected a relation (${RELATIONS.join(', ')})`);
  let word = first.text;
  // `differs-only-when` is three words joined by '-' to the lexer.
  while (p.isPunct('-')) {
    p.next();
    const w = p.next();
    if (w.kind !== 'ident') throw p.error(w, `expected a relation (${RELATIONS.join(', ')})`);
    word += `-${w.text}`;
  }
  const kind = RELATIONS.find((r) => r === word);
  if (kind === undefined) throw new SpecError(lines.loc(first.pos), `unknown relation '${word}'; expected one of ${RELATIONS.join(', ')}`);
  let condition: ConditionText | undefined;
  if (kind === 'blocks' || kind === 'differs-only-when') {
    const start = p.peek();
    if (start.kind === 'punct' && start.text === ';') throw p.error(start, `expected the condition of 'relation ${kind}'`);
    p.parseExpr();
    const semi = p.expect(';', `or an operator after the condition of 'relation ${kind}'`);
    condition = { text: content.slice(start.pos, semi.pos).trim(), loc: lines.loc(start.pos) };
  } else p.expect(';', `after 'relation ${kind}' (it takes no condition)`);
  return { entryPoint, relation: kind, ...(condition === undefined ? {} : { condition }), loc: lines.loc(kw.pos) };
}

/** Blanks out comments (keeping every offset and line break) so the lexer never sees them. */
function stripComments(s: string, lines: CharLines): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < s.length && s[j] !== c && s[j] !== '\n') j += s[j] === '\\' ? 2 : 1;
      out += s.slice(i, j + 1);
      i = j;
    } else if (c === '/' && s[i + 1] === '/') {
      while (i < s.length && s[i] !== '\n') { out += ' '; i++; }
      if (i < s.length) out += '\n';
    } else if (c === '/' && s[i + 1] === '*') {
      const end = s.indexOf('*/', i + 2);
      if (end < 0) throw new SpecError(lines.loc(i), "unterminated comment (expected '*/')");
      for (; i < end + 2; i++) out += s[i] === '\n' ? '\n' : ' ';
      i--;
    } else out += c;
  }
  return out;
}
