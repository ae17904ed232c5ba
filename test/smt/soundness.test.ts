import { describe, expect, it } from 'vitest';
import { pairChecker } from './pairs.ts';

/**
 * Small pairs whose right answer is known by hand. The "different" ones differ only on rare inputs or
 * through aliasing, so a model that drops a case would wrongly say "equivalent" — the worst bug.
 */
const verdictOf = pairChecker('sound');

describe('differences that are easy to miss', () => {
  it('a single magic input', async () => {
    const v = await verdictOf('magic', {
      old: 'function f(uint256 x) external pure returns (uint256) { return x; }',
      new: 'function f(uint256 x) external pure returns (uint256) { if (x == 0xdeadbeefcafe) revert(); return x; }',
    }, 'f(uint256)');
    expect(v.kind).toBe('different');
    if (v.kind === 'different') expect(v.counterexample?.args[0]?.value).toBe(String(0xdeadbeefcafen));
  });

  it('mapping aliasing: writes reordered across two keys that may be equal', async () => {
    const v = await verdictOf('alias', {
      old: 'mapping(address => uint256) m; function f(address a, address b) external returns (uint256) { m[a] = 1; m[b] = 2; return m[a]; }',
      new: 'mapping(address => uint256) m; function f(address a, address b) external returns (uint256) { m[b] = 2; m[a] = 1; return m[a]; }',
    }, 'f(address,address)');
    expect(v.kind).toBe('different');
    if (v.kind === 'different') expect(v.counterexample?.args[0]?.value).toBe(v.counterexample?.args[1]?.value);
  });

  it('checked narrow arithmetic vs unchecked', async () => {
    const v = await verdictOf('narrow', {
      old: 'uint8 public c; function inc() external { c = c + 1; }',
      new: 'uint8 public c; function inc() external { unchecked { c = c + 1; } }',
    }, 'inc()');
    expect(v.kind).toBe('different');
  });

  it('a shift instead of a checked multiplication loses the overflow revert', async () => {
    const v = await verdictOf('shift', {
      old: 'function f(uint256 x) external pure returns (uint256) { return x * 2; }',
      new: 'function f(uint256 x) external pure returns (uint256) { return x << 1; }',
    }, 'f(uint256)');
    expect(v.kind).toBe('different');
  });

  it('a packed neighbour clobbered by a wider write', async () => {
    const v = await verdictOf('packed', {
      old: 'uint128 a; uint128 b; function set(uint128 x) external { a = x; } function get() external view returns (uint128, uint128) { return (a, b); }',
      new: 'uint128 a; uint128 b; function set(uint128 x) external { a = x; b = b; } function get() external view returns (uint128, uint128) { return (a, b); }',
    }, 'set(uint128)');
    expect(v.kind).toBe('equivalent');
  });

  it('dirty calldata for a narrow parameter reverts in both', async () => {
    const v = await verdictOf('dirty', {
      old: 'function f(uint8 x) external pure returns (uint256) { return x; }',
      new: 'function f(uint8 x) external pure returns (uint256) { return uint256(x) & 0xff; }',
    }, 'f(uint8)');
    expect(v.kind).toBe('equivalent');
  });

  it('signed division overflow', async () => {
    const v = await verdictOf('sdiv', {
      old: 'function f(int256 x) external pure returns (int256) { return x / -1; }',
      new: 'function f(int256 x) external pure returns (int256) { return -x; }',
    }, 'f(int256)');
    // Both revert with Panic(0x11) exactly at type(int256).min.
    expect(v.kind).toBe('equivalent');
  });

  it('different revert data at the same condition', async () => {
    const v = await verdictOf('panic', {
      old: 'function f(uint256 x) external pure returns (uint256) { return 10 / x; }',
      new: 'function f(uint256 x) external pure returns (uint256) { require(x != 0); return 10 / x; }',
    }, 'f(uint256)');
    expect(v.kind).toBe('different');
    if (v.kind === 'different') expect(v.counterexample?.old.revert?.description).toBe('Panic(0x12)');
  });
});

describe('equivalences the tool must prove', () => {
  it('x * 2 == x + x under checked arithmetic', async () => {
    const v = await verdictOf('double', {
      old: 'function f(uint256 x) external pure returns (uint256) { return x * 2; }',
      new: 'function f(uint256 x) external pure returns (uint256) { return x + x; }',
    }, 'f(uint256)');
    expect(v.kind).toBe('equivalent');
  });

  it('De Morgan in a require', async () => {
    const v = await verdictOf('demorgan', {
      old: 'bool p; bool q; function f() external view { require(!(p && q), "no"); }',
      new: 'bool p; bool q; function f() external view { require(!p || !q, "no"); }',
    }, 'f()');
    expect(v.kind).toBe('equivalent');
  });
});
