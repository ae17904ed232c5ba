import { describe, expect, it } from 'vitest';
import { pairChecker } from './pairs.ts';

/**
 * Known answers for emptying and copying dynamic storage arrays, struct and fixed-size array parameters
 * and pointer-returning helpers: each `equivalent` must be proven, each `different` must be found (a
 * wrong `equivalent` here would be a soundness bug).
 */
const check = pairChecker(
  'storarr',
  `uint256[] a; uint256[] b; uint8[] small; mapping(uint256 => uint256) m;
   struct P { uint128 x; uint64 y; } mapping(uint256 => P) ps;
   function _sum() internal view returns (uint256) { return a.length + (a.length > 0 ? a[0] : 0) + (b.length > 0 ? b[0] : 0); }
   function _p(uint256 k) internal view returns (P storage) { require(k != 0, "zero"); return ps[k]; }
`,
);

describe('dynamic storage arrays: delete, new T[](0), copies', () => {
  it('delete and assigning an empty array are the same', async () => {
    const v = await check('del-new', { old: 'function f(uint256 x) external { delete small; small.push(uint8(x)); }', new: 'function f(uint256 x) external { small = new uint8[](0); small.push(uint8(x)); }' }, 'f(uint256)');
    expect(v.kind).toBe('equivalent');
  });

  it('emptying one array is not emptying another', async () => {
    const v = await check('del-other', { old: 'function f() external { delete a; }', new: 'function f() external { delete b; }' }, 'f()');
    expect(v.kind).toBe('different');
  });

  it('a copy takes the source as it is at the copy', async () => {
    const v = await check('copy-order', { old: 'function f() external { a = b; if (b.length > 0) b[0] = 7; }', new: 'function f() external { if (b.length > 0) b[0] = 7; a = b; }' }, 'f()');
    expect(v.kind).toBe('different');
  });

  it('an unchanged helper after different clears is not summarised as equal', async () => {
    const v = await check('summary-clear', { old: 'function f() external returns (uint256) { delete a; return _sum(); }', new: 'function f() external returns (uint256) { delete b; return _sum(); }' }, 'f()');
    expect(v.kind).toBe('different');
  });

  it('an unchanged helper after the same copy is equal', async () => {
    const v = await check('summary-copy', { old: 'function f(uint256[] calldata xs) external returns (uint256) { a = xs; return _sum(); }', new: 'function f(uint256[] calldata xs) external returns (uint256) { delete a; a = xs; return _sum(); }' }, 'f(uint256[])');
    expect(v.kind).toBe('equivalent');
  });
});

describe('struct parameters and pointer-returning helpers', () => {
  it('a calldata member is validated only where it is read', async () => {
    const v = await check('cd-struct', { old: 'function f(P calldata p) external pure returns (uint256) { return p.x; }', new: 'function f(P calldata p) external pure returns (uint256) { return p.y > 0 ? p.x : p.x; }' }, 'f((uint128,uint64))');
    expect(v.kind).toBe('different');
  });

  it('a reassigned pointer is the place of the path taken', async () => {
    const body = (tail: string) => `function f(uint256 a, uint256 b, bool c) external { P storage p = ps[a]; if (c) p = ps[b]; ${tail} }`;
    const eq = await check('reassign-eq', { old: body('p.x = 1;'), new: 'function f(uint256 a, uint256 b, bool c) external { if (c) ps[b].x = 1; else ps[a].x = 1; }' }, 'f(uint256,uint256,bool)');
    expect(eq.kind).toBe('equivalent');
    const ne = await check('reassign-ne', { old: body('p.x = 1;'), new: 'function f(uint256 a, uint256 b, bool c) external { ps[a].x = 1; }' }, 'f(uint256,uint256,bool)');
    expect(ne.kind).toBe('different');
  });

  it('a helper returning a pointer is the place it returns', async () => {
    const eq = await check('ptr-eq', { old: 'function f(uint256 k) external view returns (uint128) { require(k != 0, "zero"); return ps[k].x; }', new: 'function f(uint256 k) external view returns (uint128) { return _p(k).x; }' }, 'f(uint256)');
    expect(eq.kind).toBe('equivalent');
    const ne = await check('ptr-ne', { old: 'function f(uint256 k) external view returns (uint128) { return _p(k).x; }', new: 'function f(uint256 k) external view returns (uint128) { require(k != 0, "zero"); return ps[k + 1].x; }' }, 'f(uint256)');
    expect(ne.kind).toBe('different');
  });
});
