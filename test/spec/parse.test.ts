import { describe, expect, it } from 'vitest';
import { annotationsIn, CharLines, docText } from '../../src/spec/annotations.ts';
import { ExprParser, lex, printSolidity, type SpecExpr } from '../../src/spec/expr.ts';
import { parseSpecFile } from '../../src/spec/specfile.ts';
import { SpecError } from '../../src/spec/types.ts';

const lines = (text: string) => new CharLines('C.sol', text);

function parse(text: string): SpecExpr {
  const l = lines(text);
  const p = new ExprParser(lex(text, (i) => l.loc(i)), (i) => l.loc(i));
  const e = p.parseExpr();
  if (p.peek().kind !== 'eof') throw p.error(p.peek(), 'expected the end');
  return e;
}

const print = (text: string) => printSolidity(parse(text), { olds: new Map(), result: 'r' });

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof SpecError) return e.message;
    throw e;
  }
  throw new Error('no error');
}

describe('spec expressions', () => {
  it('follows Solidity precedence; ==> binds loosest and to the right', () => {
    expect(print('a + b * c == d')).toBe('((((a) + (((b) * (c))))) == (d))');
    expect(print('a && b ==> c || d')).toBe('(!(((a) && (b))) || (((c) || (d))))');
    expect(print('a ==> b ==> c')).toBe('(!(a) || ((!(b) || (c))))');
    expect(print('x ? 1 : 2 ==> y')).toBe('(!(((x) ? (1) : (2))) || (y))');
    expect(print('2 ** 3 ** 2')).toBe('((2) ** (((3) ** (2))))');
  });

  it('prints $result, members, indexes, calls and let (substituted)', () => {
    expect(print('$result == balances[msg.sender] + type(uint8).max')).toBe('((r) == (((balances[msg.sender]) + (type(uint8).max))))');
    expect(print('let x := a + 1 in x * x')).toBe('(((((a) + (1)))) * ((((a) + (1)))))');
    expect(print('1 ether + 2 days')).toBe('((1 ether) + (2 days))');
  });

  it('names the position and what was expected', () => {
    expect(errorOf(() => parse('a + '))).toBe('C.sol:1:5: expected an expression, found the end of the annotation');
    expect(errorOf(() => parse('f(a b)'))).toBe("C.sol:1:5: expected ')' or ',' to close the argument list, found 'b'");
    expect(errorOf(() => parse('let x = 1 in x'))).toMatch(/^C.sol:1:7: expected ':=' after 'let x'/);
    expect(errorOf(() => parse('old(a, b)'))).toBe('C.sol:1:1: old(...) takes exactly one expression, found 2');
    expect(errorOf(() => parse('forall (uint i) a[i] > 0'))).toMatch(/^C.sol:1:1: quantifier 'forall' is not supported/);
    expect(errorOf(() => parse('a # b'))).toBe("C.sol:1:3: unexpected character '#' in a spec expression");
  });
});

describe('annotations in NatSpec comments', () => {
  it('reads /// and /** */ forms, @custom:scribble, {:msg}, across lines, with source positions', () => {
    const src = [
      '/// #invariant {:msg "cap"} supply <= cap;',
      '/// @custom:scribble #if_succeeds x ==',
      '///     old(x) + 1;',
      '/**',
      ' * #if_succeeds $result > 0; see issue #12',
      ' */',
    ].join('\n');
    const { found, unsupported } = annotationsIn(docText(src, 0), lines(src));
    expect(unsupported).toEqual([]);
    expect(found.map((a) => [a.keyword, a.source, a.msg, `${a.loc.line}:${a.loc.col}`])).toEqual([
      ['invariant', 'supply <= cap', 'cap', '1:5'],
      ['if_succeeds', 'x == old(x) + 1', undefined, '2:22'],
      ['if_succeeds', '$result > 0', undefined, '5:4'],
    ]);
  });

  it('reports Scribble annotations it does not check, and a missing semicolon', () => {
    const src = '/// #if_updated x > 0;\n/// #assert y;';
    const r = annotationsIn(docText(src, 0), lines(src));
    expect(r.unsupported.map((u) => u.what)).toEqual(['#if_updated annotation', '#assert annotation']);
    const bad = '/// #invariant x > 0';
    expect(errorOf(() => annotationsIn(docText(bad, 0), lines(bad)))).toBe("C.sol:1:5: expected ';' to end the #invariant annotation");
  });
});

describe('spec files', () => {
  const spec = [
    '// comment',
    'contract Vault;',
    'invariant {:msg "solvent"} a <= b;',
    'function withdraw(uint256 amount, address[] memory to) {',
    '  if_succeeds x == old(x);',
    '  relation differs-only-when amount > balanceOf[msg.sender];',
    '  relation refines;',
    '}',
    'rename balances -> balanceOf;',
    'added pause;',
    'removed sweep(address);',
  ].join('\n');

  it('parses every entry with its location', () => {
    const f = parseSpecFile('v.spec', spec);
    expect(f.contract).toBe('Vault');
    expect(f.properties.map((p) => [p.id, p.kind, p.source, p.msg, p.fn?.signature, p.loc.line])).toEqual([
      ['inv#0', 'invariant', 'a <= b', 'solvent', undefined, 3],
      ['if_succeeds#1', 'if_succeeds', 'x == old(x)', undefined, 'withdraw(uint256,address[])', 5],
    ]);
    expect(f.relations).toEqual([
      { entryPoint: 'withdraw(uint256,address[])', relation: 'differs-only-when', condition: { text: 'amount > balanceOf[msg.sender]', loc: { file: 'v.spec', line: 6, col: 30, astId: -1 } }, loc: { file: 'v.spec', line: 6, col: 3, astId: -1 } },
      { entryPoint: 'withdraw(uint256,address[])', relation: 'refines', loc: { file: 'v.spec', line: 7, col: 3, astId: -1 } },
    ]);
    expect(f.stateMappings.map((m) => [m.oldName, m.newName])).toEqual([['balances', 'balanceOf']]);
    expect(f.intended.map((c) => [c.kind, c.entryPoint])).toEqual([['added', 'pause'], ['removed', 'sweep(address)']]);
  });

  it('names file, line, column and what was expected', () => {
    expect(errorOf(() => parseSpecFile('s.spec', 'invariant a <= ;'))).toBe("s.spec:1:16: expected an expression, found ';'");
    expect(errorOf(() => parseSpecFile('s.spec', 'invariant a <= b'))).toBe("s.spec:1:17: expected ';' or an operator after the invariant expression, found the end of the annotation");
    expect(errorOf(() => parseSpecFile('s.spec', 'function f { relation blocks; }'))).toBe("s.spec:1:29: expected the condition of 'relation blocks', found ';'");
    expect(errorOf(() => parseSpecFile('s.spec', 'function f { relation refines a > 0; }'))).toBe("s.spec:1:31: expected ';' after 'relation refines' (it takes no condition), found 'a'");
    expect(errorOf(() => parseSpecFile('s.spec', 'lemma x;'))).toBe("s.spec:1:1: expected 'contract', 'invariant', 'function', 'rename', 'added' or 'removed', found 'lemma'");
    expect(errorOf(() => parseSpecFile('s.spec', '/* open'))).toBe("s.spec:1:1: unterminated comment (expected '*/')");
  });
});
