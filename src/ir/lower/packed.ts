import type { SrcLoc } from '../../util/loc.ts';
import { BOOL, U256, typeBits, type SlotPath, type ValueType } from '../types.ts';
import type { FunctionLowerer, Val } from './function.ts';

/**
 * Elements of storage arrays of value types narrower than 17 bytes, packed several to a slot as solc
 * lays them out: element i of an array whose elements take `bytes` bytes is in slot base + i / perSlot
 * (perSlot = floor(32 / bytes)) at byte offset (i % perSlot) * bytes, counted from the low end. With a
 * non-constant index the offset is symbolic, so reads and writes go through the whole word with shifts
 * and masks (existing instructions only); the word is read, modified and written back, as solc does.
 */

/** Elements of `bytes` bytes per slot. */
export function perSlot(bytes: number): bigint {
  return BigInt(Math.floor(32 / bytes));
}

/** Bytes a value type takes in storage. */
export function storageBytesOf(t: ValueType): number {
  return t.kind === 'bool' ? 1 : typeBits(t) / 8;
}

/** True when elements of this type are packed several per slot (arrays of them need this file). */
export function isPackedElem(t: ValueType): boolean {
  return storageBytesOf(t) <= 16;
}

/** The element's bits, low-aligned, as a uint of the element's width (two's complement, bytesN as stored). */
function asBits(L: FunctionLowerer, v: Val, loc: SrcLoc): Val {
  if (v.t.kind === 'bool') return { v: L.b.def({ kind: 'select', cond: v.v, a: L.const(U256, 1n, loc).v, b: L.const(U256, 0n, loc).v, type: U256, loc }), t: U256 };
  const bits = typeBits(v.t);
  const u: ValueType = { kind: 'uint', bits };
  return L.convert(L.convert(v, u, loc), U256, loc);
}

/** Reads the element of type `t` at bit `shift` of the word at `slot`. */
export function loadPacked(L: FunctionLowerer, slot: SlotPath, shift: Val, t: ValueType, loc: SrcLoc): Val {
  const word: Val = { v: L.b.def({ kind: 'sload', slot, offset: 0, type: U256, loc }), t: U256 };
  const bytes = storageBytesOf(t);
  const low = L.binOp('and', L.binOp('shr', word, shift, loc), L.const(U256, (1n << BigInt(8 * bytes)) - 1n, loc), loc);
  // A stored bool is true when any bit of its byte is set (solc's cleanup of a storage load).
  if (t.kind === 'bool') return L.binOp('ne', low, L.const(U256, 0n, loc), loc, BOOL);
  const u: ValueType = { kind: 'uint', bits: typeBits(t) };
  return L.convert(L.convert(low, u, loc), t, loc);
}

/** Writes `v` (already of the element type) as the element at bit `shift` of the word at `slot`, keeping the other bytes. */
export function storePacked(L: FunctionLowerer, slot: SlotPath, shift: Val, v: Val, loc: SrcLoc): void {
  const bytes = storageBytesOf(v.t);
  const bits = asBits(L, v, loc);
  const word: Val = { v: L.b.def({ kind: 'sload', slot, offset: 0, type: U256, loc }), t: U256 };
  const mask = L.binOp('shl', L.const(U256, (1n << BigInt(8 * bytes)) - 1n, loc), shift, loc);
  const kept = L.binOp('and', word, { v: L.b.def({ kind: 'un', op: 'bnot', a: mask.v, type: U256, loc }), t: U256 }, loc);
  const next = L.binOp('or', kept, L.binOp('shl', bits, shift, loc), loc);
  L.b.effect({ kind: 'sstore', slot, offset: 0, type: U256, value: next.v, loc });
}
