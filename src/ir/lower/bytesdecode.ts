import type { SrcLoc } from '../../util/loc.ts';
import { BOOL, U256, type ValueId } from '../types.ts';
import { unsupported, type AstNode } from './context.ts';
import { EMPTY_REVERT, panicData, type FunctionLowerer, type Val } from './function.ts';
import { byteValueTable } from './bytes.ts';

/**
 * ABI decoding of the dynamic parameters of an entry point (split from bytes.ts): a `string`/`bytes`
 * parameter, the checks every dynamic parameter's head word and length go through, and the memory
 * copies' free-pointer bookkeeping (Panic 0x41).
 */

/**
 * Decodes a `string`/`bytes` parameter of an entry point as solc's ABI decoder does, with its checks in
 * its order (all empty reverts, except that a `memory` copy too large for memory panics with 0x41):
 *   offset > 2^64-1; !(4 + offset + 31 <s calldatasize); length = calldataload(4 + offset);
 *   calldata: length > 2^64-1; memory: length > 2^64-1, then the allocation of 32 + roundup32(length)
 *   bytes (Panic 0x41, see `allocDecoded`); 4 + offset + 32 + length > calldatasize.
 * Returns the raw offset word as a placeholder for the argument list; the byte string is bound to the
 * parameter when the body is inlined (`bindBytesParam`).
 */
export function decodeBytesParam(L: FunctionLowerer, raw: Val, def: AstNode, index: number, loc: SrcLoc): Val {
  const decl: AstNode | undefined = def.parameters?.parameters?.[index];
  // A public getter's `string`/`bytes` key is decoded into memory, like a `memory` parameter.
  const location: string | undefined = def.nodeType === 'VariableDeclaration' ? 'memory' : decl?.storageLocation;
  if (location !== 'calldata' && location !== 'memory') unsupported(`string/bytes parameter in ${location ?? 'this'} location`, loc);
  const c = (x: bigint) => L.const(U256, x, loc);
  const { size, at, len } = decodeTailStart(L, raw, loc);
  if (location === 'calldata') L.guardNotOp(L.binOp('gt', len, c(MAX64), loc, BOOL), EMPTY_REVERT, loc);
  else {
    L.guardNotOp(L.binOp('gt', len, c(MAX64), loc, BOOL), panicData(0x41), loc);
    const padded = L.binOp('and', L.binOp('add', len, c(31n), loc), c(~31n), loc);
    allocDecoded(L, L.binOp('add', padded, c(32n), loc), loc);
  }
  const start = L.binOp('add', at, c(32n), loc);
  L.guardNotOp(L.binOp('gt', L.binOp('add', start, len, loc), size, loc, BOOL), EMPTY_REVERT, loc);
  const data = L.b.def({ kind: 'cdbytes', start: start.v, len: len.v, loc });
  byteValueTable(L).set(raw.v, { len, words: [{ kind: 'bytes', value: data }], calldata: start });
  calldataStarts(L).set(data, start);
  return raw;
}

export const MAX64 = (1n << 64n) - 1n;

/** The free memory pointer as the entry point's ABI decoder has left it so far (0x80 before any copy). */
const freePointers = new WeakMap<FunctionLowerer, Val>();

/**
 * The memory copy of a decoded `memory` parameter (a byte string or a dynamic array), `size` bytes (its
 * length word and data, at most 32 + 32 * (2^64 - 1)): solc's `finalize_allocation` panics with 0x41 when
 * the new free pointer exceeds 2^64 - 1. Parameters are decoded in order, so each allocation starts where
 * the one before ended (checked on the EVM, test/diff/contracts/MemoryParams.sol).
 */
export function allocDecoded(L: FunctionLowerer, size: Val, loc: SrcLoc): void {
  const next = L.binOp('add', freePointers.get(L) ?? L.const(U256, 0x80n, loc), size, loc);
  L.guardNotOp(L.binOp('gt', next, L.const(U256, MAX64, loc), loc, BOOL), panicData(0x41), loc);
  freePointers.set(L, next);
}

/** Where each calldata byte string's bytes start (its `cdbytes` value to the offset value). */
const cdStarts = new WeakMap<FunctionLowerer, Map<ValueId, Val>>();

export function calldataStarts(L: FunctionLowerer): Map<ValueId, Val> {
  let x = cdStarts.get(L);
  if (!x) cdStarts.set(L, (x = new Map()));
  return x;
}

/**
 * The checks solc's ABI decoder makes on the head word `raw` of a dynamic parameter (byte string or
 * array), then its length word: offset > 2^64-1 and !(4 + offset + 31 <s calldatasize) revert with empty
 * data. Returns calldatasize, the tail's position (4 + offset) and the length read there.
 */
export function decodeTailStart(L: FunctionLowerer, raw: Val, loc: SrcLoc): { size: Val; at: Val; len: Val } {
  const c = (x: bigint) => L.const(U256, x, loc);
  const size: Val = { v: L.b.def({ kind: 'env', name: 'calldatasize', type: U256, loc }), t: U256 };
  L.guardNotOp(L.binOp('gt', raw, c(MAX64), loc, BOOL), EMPTY_REVERT, loc);
  const at = L.binOp('add', raw, c(4n), loc);
  const I256 = { kind: 'int', bits: 256 } as const;
  const signed = (x: Val): Val => ({ v: L.b.def({ kind: 'conv', a: x.v, from: U256, to: I256, loc }), t: I256 });
  L.guardOp(L.binOp('lt', signed(L.binOp('add', at, c(31n), loc)), signed(size), loc, BOOL), EMPTY_REVERT, loc);
  const len: Val = { v: L.b.def({ kind: 'cdload', offset: at.v, loc }), t: U256 };
  return { size, at, len };
}

