import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFile, selectContract } from '../../src/frontend/compile.ts';
import { lowerContract } from '../../src/ir/lower/contract.ts';
import { callRegions, validateCalls } from '../../src/ir/summary.ts';
import { projectRoot } from '../cli/helpers.ts';
import { pairChecker } from './pairs.ts';

/**
 * Internal-call summaries: identical effect-free helpers are abstracted by shared uninterpreted
 * functions. These pairs check that a summary is shared only when the call's inputs (arguments and the
 * storage it reads) are provably equal, that a changed helper (or a changed callee of it) is never
 * summarised, and that a satisfiable summarised query falls back to full inlining.
 */
const verdictOf = pairChecker('summaries');

const HELPERS = `
  uint256 public rate;
  uint256 public total;
  function _scale(uint256 x, uint256 y) internal view returns (uint256) { require(y != 0, "zero"); return x * rate / y; }
`;

describe('internal-call summaries', () => {
  it('proves a caller refactor with an unchanged helper by summaries', async () => {
    const v = await verdictOf('sum-eq', {
      old: HELPERS + 'function f(uint256 a, uint256 b) external returns (uint256) { uint256 r = _scale(a, b); total += r; return r; }',
      new: HELPERS + 'function f(uint256 a, uint256 b) external returns (uint256 r) { uint256 t = total; r = _scale(a, b); total = r + t; }',
    }, 'f(uint256,uint256)');
    expect(v).toEqual({ kind: 'equivalent', how: 'summaries' });
  });

  it('--no-summaries proves the same pair by inlining', async () => {
    const v = await verdictOf('sum-off', {
      old: HELPERS + 'function f(uint256 a, uint256 b) external returns (uint256) { uint256 r = _scale(a, b); total += r; return r; }',
      new: HELPERS + 'function f(uint256 a, uint256 b) external returns (uint256 r) { r = _scale(a, b); total = total + r; }',
    }, 'f(uint256,uint256)', false);
    expect(v.kind).toBe('equivalent');
    if (v.kind === 'equivalent') expect(v.how).not.toBe('summaries');
  });

  it('swapped arguments to the same helper are different', async () => {
    const v = await verdictOf('sum-swap', {
      old: HELPERS + 'function f(uint256 a, uint256 b) external view returns (uint256) { return _scale(a, b); }',
      new: HELPERS + 'function f(uint256 a, uint256 b) external view returns (uint256) { return _scale(b, a); }',
    }, 'f(uint256,uint256)');
    expect(v.kind).toBe('different');
  });

  it('a write to storage the helper reads, moved before the call, is different', async () => {
    const v = await verdictOf('sum-store', {
      old: HELPERS + 'function f(uint256 a, uint256 r) external returns (uint256 x) { x = _scale(a, 7); rate = r; }',
      new: HELPERS + 'function f(uint256 a, uint256 r) external returns (uint256 x) { rate = r; x = _scale(a, 7); }',
    }, 'f(uint256,uint256)');
    expect(v.kind).toBe('different');
  });

  it('a write the helper does not read may move across the call', async () => {
    const v = await verdictOf('sum-slice', {
      old: HELPERS + 'function f(uint256 a, uint256 t) external returns (uint256 x) { x = _scale(a, 7); total = t; }',
      new: HELPERS + 'function f(uint256 a, uint256 t) external returns (uint256 x) { total = t; x = _scale(a, 7); }',
    }, 'f(uint256,uint256)');
    expect(v).toEqual({ kind: 'equivalent', how: 'summaries' });
  });

  it('a changed callee of an unchanged helper is found', async () => {
    const base = (k: string) => `uint256 public rate; function _k() internal pure returns (uint256) { return ${k}; }
      function _scale(uint256 x) internal view returns (uint256) { return x * rate / _k(); }`;
    const v = await verdictOf('sum-transitive', {
      old: base('100') + 'function f(uint256 a) external view returns (uint256) { return _scale(a); }',
      new: base('101') + 'function f(uint256 a) external view returns (uint256) { return _scale(a); }',
    }, 'f(uint256)');
    expect(v.kind).toBe('different');
  });

  it('a helper reading a different slot is not shared', async () => {
    const v = await verdictOf('sum-slot', {
      old: 'uint256 public a; uint256 public b; function _get() internal view returns (uint256) { return a; } function f() external view returns (uint256) { return _get() + 1; }',
      new: 'uint256 public b; uint256 public a; function _get() internal view returns (uint256) { return a; } function f() external view returns (uint256) { return 1 + _get(); }',
    }, 'f()');
    expect(v.kind).toBe('different');
  });

  it('the same helper in both versions, called twice with equal inputs, gives equal results', async () => {
    const v = await verdictOf('sum-twice', {
      old: HELPERS + 'function f(uint256 a) external view returns (uint256) { uint256 x = _scale(a, 3); return x + x; }',
      new: HELPERS + 'function f(uint256 a) external view returns (uint256) { return _scale(a, 3) + _scale(a, 3); }',
    }, 'f(uint256)');
    expect(v).toEqual({ kind: 'equivalent', how: 'summaries' });
  });

  it('a summarised query that is satisfiable but not a real difference falls back to inlining', async () => {
    // Packed slot: the write to `lo` changes the word `_hi` reads, so the summaries differ; inlining shows
    // that the bytes `_hi` reads are unchanged.
    const decl = 'uint128 public lo; uint128 public hi; function _hi() internal view returns (uint128) { return hi; }';
    const v = await verdictOf('sum-fallback', {
      old: decl + 'function f(uint128 v) external returns (uint128 x) { x = _hi(); lo = v; }',
      new: decl + 'function f(uint128 v) external returns (uint128 x) { lo = v; x = _hi(); }',
    }, 'f(uint128)');
    expect(v.kind).toBe('equivalent');
    if (v.kind === 'equivalent') expect(v.how).not.toBe('summaries');
  });

  it('a reverting helper keeps its revert data', async () => {
    const v = await verdictOf('sum-revert', {
      old: HELPERS + 'function f(uint256 a, uint256 b) external view returns (uint256) { if (b == 0) revert("zero"); return _scale(a, b); }',
      new: HELPERS + 'function f(uint256 a, uint256 b) external view returns (uint256) { return _scale(a, b); }',
    }, 'f(uint256,uint256)');
    expect(v.kind).toBe('equivalent');
  });
});

const LEDGER = `
  mapping(address => uint256) public bal;
  uint256 public total;
  uint256 public fees;
  event Credited(address indexed to, uint256 amount);
  event Noted(uint256 amount);
  function _credit(address to, uint256 amount) internal { bal[to] += amount; emit Credited(to, amount); }
`;

describe('summaries of internal calls with effects', () => {
  it('an unchanged writing helper moved across an unrelated write is proved by summaries', async () => {
    const v = await verdictOf('eff-eq', {
      old: LEDGER + 'function f(address a, uint256 x) external { _credit(a, x); total += x; }',
      new: LEDGER + 'function f(address a, uint256 x) external { total += x; _credit(a, x); }',
    }, 'f(address,uint256)');
    expect(v).toEqual({ kind: 'equivalent', how: 'summaries' });
  });

  it('reading what the helper wrote, before versus after the call, is different', async () => {
    const v = await verdictOf('eff-read', {
      old: LEDGER + 'function f(address a, uint256 x) external returns (uint256) { _credit(a, x); return bal[a]; }',
      new: LEDGER + 'function f(address a, uint256 x) external returns (uint256 r) { r = bal[a]; _credit(a, x); }',
    }, 'f(address,uint256)');
    expect(v.kind).toBe('different');
  });

  it('an event moved across the helper\'s event is different', { timeout: 60000 }, async () => {
    const v = await verdictOf('eff-log', {
      old: LEDGER + 'function f(address a, uint256 x) external { emit Noted(x); _credit(a, x); }',
      new: LEDGER + 'function f(address a, uint256 x) external { _credit(a, x); emit Noted(x); }',
    }, 'f(address,uint256)');
    expect(v.kind).toBe('different');
  });

  it('a helper writing what another summarised helper reads keeps their order', async () => {
    const v = await verdictOf('eff-order', {
      old: LEDGER + 'function _get(address a) internal view returns (uint256) { return bal[a]; } function f(address a, uint256 x) external returns (uint256 r) { r = _get(a); _credit(a, x); }',
      new: LEDGER + 'function _get(address a) internal view returns (uint256) { return bal[a]; } function f(address a, uint256 x) external returns (uint256 r) { _credit(a, x); r = _get(a); }',
    }, 'f(address,uint256)');
    expect(v.kind).toBe('different');
  });
});

describe('inlined-call invariants over the fixture corpus', () => {
  const fixturesDir = path.join(projectRoot, 'fixtures');
  const names = readdirSync(fixturesDir).filter((n) => !n.includes('.') && n !== 'shadow').sort();
  for (const name of names) {
    it(`every inlined call is single-entry, single-exit and analysable: ${name}`, async () => {
      for (const side of ['old', 'new']) {
        const comp = await compileFile(path.join(fixturesDir, name, `${side}.sol`), { cacheDir: path.join(projectRoot, 'node_modules/.cache/patchproof-test') });
        const ir = lowerContract(comp, selectContract(comp));
        for (const f of ir.functions) expect(validateCalls(f), `${name}/${side} ${f.signature}`).toEqual([]);
        if (name.startsWith('summary-')) expect(ir.functions.some((f) => (f.calls?.length ?? 0) > 2)).toBe(true);
      }
    }, 60000);
  }

  it('an identical helper hashes the same in both versions, a changed one does not', async () => {
    const hashes = async (side: string) => {
      const comp = await compileFile(path.join(fixturesDir, 'summary-helper-rounding-changed', `${side}.sol`), { cacheDir: path.join(projectRoot, 'node_modules/.cache/patchproof-test') });
      const f = lowerContract(comp, selectContract(comp)).functions.find((x) => x.signature === 'netValue(uint256)')!;
      return new Map(callRegions(f).map((r) => [`${r.call.callee}@${r.call.entry}`, r]));
    };
    const [o, n] = [await hashes('old'), await hashes('new')];
    const mulDivOld = [...o.values()].filter((r) => r.call.callee === '_mulDiv').map((r) => r.hash);
    const mulDivNew = [...n.values()].filter((r) => r.call.callee === '_mulDiv').map((r) => r.hash);
    expect(new Set([...mulDivOld, ...mulDivNew]).size).toBe(1);
    const fee = (m: typeof o) => [...m.values()].find((r) => r.call.callee === '_fee')!;
    expect(fee(o).hash).not.toBe(fee(n).hash);
    expect(fee(o).summarisable && fee(n).summarisable).toBe(true);
    expect(fee(o).reads).toEqual([0n]);
  });
});
