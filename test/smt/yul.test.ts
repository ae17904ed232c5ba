import { describe, expect, it } from 'vitest';
import { pairChecker } from './pairs.ts';

/**
 * The Yul subset (src/ir/lower/yul.ts) against hand-known answers: the EVM's own corner cases (division
 * and modulo by zero give 0, addmod/mulmod are exact, sar and signextend fill with the sign) must be
 * proved equal to Solidity spelling them out, and told apart from Solidity's checked operators.
 */
const verdictOf = pairChecker('yul');
const fn = (body: string, params = 'uint256 x, uint256 y') => `function f(${params}) external pure returns (uint256 r) { ${body} }`;

describe('inline assembly: EVM semantics of the pure builtins', () => {
  it('div and mod by zero are 0, not a Panic', async () => {
    const v = await verdictOf('div0', {
      old: fn('assembly { r := add(div(x, y), mod(x, y)) }'),
      new: fn('if (y == 0) return 0; unchecked { r = x / y + x % y; }'),
    }, 'f(uint256,uint256)');
    expect(v.kind).toBe('equivalent');
  });

  it('Yul div where Solidity would revert with Panic(0x12)', async () => {
    const v = await verdictOf('div0panic', {
      old: fn('assembly { r := div(x, y) }'),
      new: fn('r = x / y;'),
    }, 'f(uint256,uint256)');
    expect(v.kind).toBe('different');
    if (v.kind === 'different') expect(v.counterexample?.new.revert?.description).toBe('Panic(0x12)');
  });

  it('mulmod by zero is 0', async () => {
    const v = await verdictOf('mulmod0', {
      old: fn('assembly { r := mulmod(x, y, 0) }'),
      new: fn('r = 0;'),
    }, 'f(uint256,uint256)');
    expect(v.kind).toBe('equivalent');
  });

  it('addmod keeps the carry that mod(add(..)) loses', async () => {
    const v = await verdictOf('addmod', {
      old: fn('assembly { r := addmod(x, y, 10) }'),
      new: fn('assembly { r := mod(add(x, y), 10) }'),
    }, 'f(uint256,uint256)');
    expect(v.kind).toBe('different');
  });

  it('sar is the signed shift, byte the big-endian byte, signextend the sign fill', async () => {
    const sar = await verdictOf('sar', {
      old: 'function f(int256 x, uint256 s) external pure returns (int256 r) { assembly { r := sar(s, x) } }',
      new: 'function f(int256 x, uint256 s) external pure returns (int256 r) { r = x >> s; }',
    }, 'f(int256,uint256)');
    expect(sar.kind).toBe('equivalent');
    const byte = await verdictOf('byte', {
      old: fn('assembly { r := byte(x, y) }'),
      new: fn('r = x < 32 ? (y >> (8 * (31 - x))) & 0xff : 0;'),
    }, 'f(uint256,uint256)');
    expect(byte.kind).toBe('equivalent');
    const ext = await verdictOf('signextend', {
      old: fn('assembly { r := signextend(0, x) }'),
      new: fn('r = uint256(int256(int8(uint8(x))));'),
    }, 'f(uint256,uint256)');
    expect(ext.kind).toBe('equivalent');
  });

  it('slt compares signed words', async () => {
    const v = await verdictOf('slt', {
      old: fn('assembly { r := slt(x, y) }'),
      new: fn('assembly { r := lt(x, y) }'),
    }, 'f(uint256,uint256)');
    expect(v.kind).toBe('different');
  });
});

describe('inline assembly in loops', () => {
  const loop = (step: string, after = '') => `function f(uint256 n) external pure returns (uint256 acc) { for (uint256 i = 0; i < n; i++) { assembly { acc := add(acc, ${step}) } } ${after} }`;

  it('a changed assembly step is a difference', async () => {
    const v = await verdictOf('loop-diff', { old: loop('i'), new: loop('add(i, 1)') }, 'f(uint256)');
    expect(v.kind).toBe('different');
  });

  it('an unchanged loop with assembly is proved for any trip count', async () => {
    const v = await verdictOf('loop-same', { old: loop('i', 'acc = acc + 0;'), new: loop('i') }, 'f(uint256)');
    expect(v.kind).toBe('equivalent');
    if (v.kind === 'equivalent') expect(v.bound).toBeUndefined();
  });
});

describe('inline assembly outside the subset stays unsupported', () => {
  it('a narrow Solidity variable (its high bits are undefined in assembly)', async () => {
    const v = await verdictOf('narrow', {
      old: 'function f(uint256 x) external pure returns (uint8 r) { assembly { r := x } }',
      new: 'function f(uint256 x) external pure returns (uint8 r) { assembly { r := x } }',
    }, 'f(uint256)');
    expect(v.kind).toBe('unsupported');
    if (v.kind === 'unsupported') expect(v.construct).toContain('narrower than 256 bits');
  });

  it('memory, storage and Yul functions', async () => {
    for (const [name, body] of [['mload', 'r := mload(0x40)'], ['sload', 'r := sload(0)'], ['function', 'function g(a) -> b { b := a } r := g(1)']] as const) {
      const v = await verdictOf(`out-${name}`, { old: `function f() external view returns (uint256 r) { assembly { ${body} } }`, new: `function f() external view returns (uint256 r) { assembly { ${body} } }` }, 'f()');
      expect(v.kind, name).toBe('unsupported');
      if (v.kind === 'unsupported') expect(v.construct, name).toContain('inline assembly');
    }
  });
});
