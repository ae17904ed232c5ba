import type { SrcLoc } from '../../util/loc.ts';
import { BOOL, U256, type ValueId, type ValueType } from '../types.ts';
import type { AstNode } from './context.ts';
import { panicData, type FunctionLowerer, type Val } from './function.ts';

/**
 * Solidity's `addmod(x, y, k)` and `mulmod(x, y, k)` (0.8 only; pre08.ts refuses them before 0.8).
 *
 * solc's legacy code generator evaluates k first, then checks it (k == 0: Panic 0x12, before x and y
 * are evaluated), then y, then x, and executes ADDMOD/MULMOD (checked on the EVM with side-effecting
 * arguments, test/diff/contracts/ModArith.sol). The sum or product is computed exactly at a width that
 * holds it, then reduced: at 256 bits when the operands' known widths make it fit (constants, values
 * converted from narrower unsigned types, masked values), else at the least width that holds it (at most
 * 512 bits). The divisor is non-zero past the guard, so the plain `mod` is used.
 */
export function lowerModArith(L: FunctionLowerer, name: 'addmod' | 'mulmod', args: readonly AstNode[], loc: SrcLoc): Val {
  const k = L.expr(args[2], U256);
  if (L.b.dead) return k;
  L.guardNotOp(L.binOp('eq', k, L.const(U256, 0n, loc), loc, BOOL), panicData(0x12), loc);
  const y = L.expr(args[1], U256);
  const x = L.expr(args[0], U256);
  if (L.b.dead) return x;
  const [bx, by] = [knownBits(L, x.v), knownBits(L, y.v)];
  const need = name === 'addmod' ? Math.max(bx, by) + 1 : bx + by;
  const t: ValueType = need <= 256 ? U256 : { kind: 'uint', bits: need };
  const wide = (v: Val): Val => L.convert(v, t, loc);
  const full = L.binOp(name === 'addmod' ? 'add' : 'mul', wide(x), wide(y), loc);
  return L.convert(L.binOp('mod', full, wide(k), loc), U256, loc);
}

/** An upper bound on the bit length of a uint256 value, from how it was made (256 when nothing is known). */
function knownBits(L: FunctionLowerer, id: ValueId, depth = 0): number {
  const d = L.b.definition(id);
  if (!d || depth > 8) return 256;
  switch (d.kind) {
    case 'const':
      return d.type.kind === 'uint' ? bitLength(d.value) : 256;
    case 'conv':
      // Zero extension from a narrower unsigned integer.
      return d.from.kind === 'uint' && d.to.kind === 'uint' && d.from.bits <= d.to.bits ? d.from.bits : 256;
    case 'bin':
      if (d.type.kind !== 'uint') return 256;
      if (d.op === 'and') return Math.min(knownBits(L, d.a, depth + 1), knownBits(L, d.b, depth + 1));
      if (d.op === 'mod' || d.op === 'mod0') return knownBits(L, d.b, depth + 1);
      return 256;
    default:
      return 256;
  }
}

function bitLength(v: bigint): number {
  return v <= 0n ? 0 : v.toString(2).length;
}
