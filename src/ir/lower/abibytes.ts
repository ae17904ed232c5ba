import type { SrcLoc } from '../../util/loc.ts';
import { BOOL, U256, type KeccakPart, type ValueType, type Word } from '../types.ts';
import { isBuiltinRef, unsupported, type AstNode } from './context.ts';
import { abiEncoding } from './exprs.ts';
import { EMPTY_REVERT, type FunctionLowerer, type Val } from './function.ts';
import type { ByteStringData } from './bytes.ts';

/**
 * ABI encodings and decodings as byte strings (checked on the EVM by the differential harness):
 * - `abi.encode…(…)` of value types is a `bytes memory` value of constant length whose data words are
 *   computed from its exact bytes (its parts), so it can be held in a local, passed to internal functions,
 *   emitted, returned and hashed later; hashing it hashes the same parts as `keccak256(abi.encode…(…))`.
 * - `abi.decode(b, (T1, …))` of such a value, of a calldata or memory byte string decoded from calldata
 *   (entry parameters, `msg.data`, calldata slices): fewer bytes than the head words, or a dirty word,
 *   revert with empty data, as solc's decoder does.
 * - `msg.data` and calldata slices `b[s:e]` (empty revert when s > e or e > b.length).
 */

const M256 = (1n << 256n) - 1n;
const mask = (bytes: number): bigint => (1n << BigInt(8 * bytes)) - 1n;

/** `abi.encode…(…)` of value-type arguments (evaluated left to right) as a byte string. */
export function encodedBytes(L: FunctionLowerer, call: AstNode, loc: SrcLoc): ByteStringData {
  const parts = abiEncoding(L, call, loc);
  if (L.b.dead) return { len: { v: -1, t: U256 }, words: [], parts };
  const n = parts.reduce((s, p) => s + p.bytes, 0);
  return { len: L.const(U256, BigInt(n), loc), words: packWords(L, parts, loc), parts };
}

/**
 * The 32-byte data words the parts spell (the last one zero-padded). An ABI encoding of whole words is
 * its own words; packed and selector-prefixed encodings are assembled with shifts (constant bytes are
 * folded), as they lie in memory.
 */
function packWords(L: FunctionLowerer, parts: readonly KeccakPart[], loc: SrcLoc): Word[] {
  if (parts.every((p) => p.bytes === 32)) return parts.map((p) => p.word);
  const words: { c: bigint; vals: Val[] }[] = [];
  const slot = (i: number) => (words[i] ??= { c: 0n, vals: [] });
  let at = 0;
  for (const p of parts) {
    const w = Math.floor(at / 32);
    const end = (at % 32) + p.bytes;
    at += p.bytes;
    // The part's bytes lie in the low `bytes` bytes of x; place them at [pos, end) of word w (and w + 1).
    const place = (i: number, shift: number, left: boolean) => {
      if (p.word.kind === 'const') {
        const x = p.word.word & mask(p.bytes);
        slot(i).c |= (left ? x << BigInt(shift) : x >> BigInt(shift)) & M256;
        return;
      }
      const x = partWord(L, p, loc);
      slot(i).vals.push(shift === 0 ? x : L.binOp(left ? 'shl' : 'shr', x, L.const(U256, BigInt(shift), loc), loc));
    };
    if (end <= 32) place(w, 8 * (32 - end), true);
    else {
      place(w, 8 * (end - 32), false);
      place(w + 1, 8 * (64 - end), true);
    }
  }
  return Array.from(words, (x) => {
    const w = x ?? { c: 0n, vals: [] };
    let acc: Val | null = w.c === 0n && w.vals.length > 0 ? null : L.const(U256, w.c, loc);
    for (const v of w.vals) acc = acc === null ? v : L.binOp('or', acc, v, loc);
    return { kind: 'value', value: acc!.v, type: U256 } as const;
  });
}

/** A value part's bytes as the low bytes of a uint256: its ABI word (32 bytes) or its packed bytes. */
function partWord(L: FunctionLowerer, p: KeccakPart, loc: SrcLoc): Val {
  const w = p.word;
  if (w.kind !== 'value') unsupported('a byte string inside an ABI encoding', loc);
  if (p.bytes === 32) return abiWordOf(L, w, loc);
  const v: Val = { v: w.value, t: w.type };
  switch (v.t.kind) {
    case 'bool':
      return boolWord(L, v, loc);
    case 'int':
      return L.convert(L.convert(v, { kind: 'uint', bits: v.t.bits }, loc), U256, loc);
    case 'bytes':
      return L.convert(L.convert(v, { kind: 'uint', bits: 8 * v.t.size }, loc), U256, loc);
    case 'uint':
    case 'address':
      return L.convert(v, U256, loc);
  }
}

function boolWord(L: FunctionLowerer, v: Val, loc: SrcLoc): Val {
  return { v: L.b.def({ kind: 'select', cond: v.v, a: L.const(U256, 1n, loc).v, b: L.const(U256, 0n, loc).v, type: U256, loc }), t: U256 };
}

/** The 32-byte ABI word of a value or constant Word, as a uint256. */
function abiWordOf(L: FunctionLowerer, w: Word, loc: SrcLoc): Val {
  if (w.kind === 'const') return L.const(U256, w.word, loc);
  if (w.kind !== 'value') unsupported('abi.decode of a byte string whose words are not known one by one', loc);
  const v: Val = { v: w.value, t: w.type };
  switch (v.t.kind) {
    case 'bool':
      return boolWord(L, v, loc);
    case 'bytes':
      return L.convert(L.convert(v, { kind: 'bytes', size: 32 }, loc), U256, loc);
    case 'int':
    case 'uint':
    case 'address':
      // Integers widen with their sign, as their ABI words do.
      return L.convert(v, U256, loc);
  }
}

/**
 * `abi.decode(b, (T1, …))` of a byte string into static value types: b.length < 32·n reverts with
 * empty data; then each word is read and checked for its type (dirty bits, enum members) in order.
 * Null when the data's words are not available (a stored byte string).
 */
export function decodeByteString(L: FunctionLowerer, data: ByteStringData, types: readonly ValueType[], members: readonly (number | null)[], loc: SrcLoc): Val[] | null {
  const c = (x: bigint) => L.const(U256, x, loc);
  let read: (i: number) => Val;
  if (data.calldata !== undefined) {
    const start = data.calldata;
    read = (i) => ({ v: L.b.def({ kind: 'cdload', offset: L.binOp('add', start, c(32n * BigInt(i)), loc).v, loc }), t: U256 });
  } else if (data.parts !== undefined) {
    const words = data.words;
    read = (i) => (words[i] ? abiWordOf(L, words[i]!, loc) : c(0n));
  } else return null;
  L.guardNotOp(L.binOp('lt', data.len, c(32n * BigInt(types.length)), loc, BOOL), EMPTY_REVERT, loc);
  return decodeRawWords(L, types.map((_, i) => read(i)), types, members, loc);
}

/** Checks raw ABI words for their types (dirty bits or non-members revert with empty data) and decodes them. */
export function decodeRawWords(L: FunctionLowerer, raws: readonly Val[], types: readonly ValueType[], members: readonly (number | null)[], loc: SrcLoc): Val[] {
  return types.map((t, i) => {
    const raw = raws[i]!;
    const m = members[i] ?? null;
    if (m !== null) L.guardOp(L.binOp('lt', raw, L.const(U256, BigInt(m), loc), loc, BOOL), EMPTY_REVERT, loc);
    else if (!(t.kind === 'uint' && t.bits === 256)) L.guardOp({ v: L.b.def({ kind: 'abiok', a: raw.v, type: t, loc }), t: BOOL }, EMPTY_REVERT, loc);
    return L.decodeWord(raw, t, loc);
  });
}

/** `msg.data`: the whole calldata. */
export function isMsgData(e: AstNode): boolean {
  return e?.nodeType === 'MemberAccess' && e.memberName === 'data' && e.expression?.nodeType === 'Identifier' && e.expression.name === 'msg' && isBuiltinRef(e.expression.referencedDeclaration);
}

export function msgData(L: FunctionLowerer, loc: SrcLoc): ByteStringData {
  const size: Val = { v: L.b.def({ kind: 'env', name: 'calldatasize', type: U256, loc }), t: U256 };
  const start = L.const(U256, 0n, loc);
  const data = L.b.def({ kind: 'cdbytes', start: start.v, len: size.v, loc });
  return { len: size, words: [{ kind: 'bytes', value: data }], calldata: start };
}

/**
 * `b[s:e]` of a calldata byte string: the base, then s, then e are evaluated, then s > e or e > b.length
 * reverts with empty data (the order checked on the EVM with bounds that revert or have effects, e.g.
 * ERC2771Context's `msg.data[:msg.data.length - 20]`: test/diff/contracts/MsgDataContext.sol).
 */
export function calldataSlice(L: FunctionLowerer, e: AstNode, base: ByteStringData, loc: SrcLoc): ByteStringData {
  if (base.calldata === undefined) unsupported('slice of a byte string not in calldata', loc);
  const s = e.startExpression ? L.expr(e.startExpression, U256) : L.const(U256, 0n, loc);
  const end = e.endExpression ? L.expr(e.endExpression, U256) : base.len;
  if (L.b.dead) return { len: L.const(U256, 0n, loc), words: [], literal: new Uint8Array() };
  L.guardNotOp(L.binOp('gt', s, end, loc, BOOL), EMPTY_REVERT, loc);
  L.guardNotOp(L.binOp('gt', end, base.len, loc, BOOL), EMPTY_REVERT, loc);
  const start = L.binOp('add', base.calldata, s, loc);
  const len = L.binOp('sub', end, s, loc);
  const data = L.b.def({ kind: 'cdbytes', start: start.v, len: len.v, loc });
  return { len, words: [{ kind: 'bytes', value: data }], calldata: start };
}

/**
 * `bytesN(b)` of a calldata byte string (`bytes20(msg.data[msg.data.length - 20:])` in ERC2771Context):
 * as solc's conversion does it, the word at b's calldata start (zeros past the calldata), cut to N bytes,
 * with the bytes from b.length on zeroed when b is shorter than N. Null when `b` is not in calldata.
 */
export function calldataToFixedBytes(L: FunctionLowerer, data: ByteStringData, to: ValueType, loc: SrcLoc): Val | null {
  if (data.calldata === undefined || to.kind !== 'bytes') return null;
  const c = (x: bigint): Val => L.const(U256, x, loc);
  const word: Val = { v: L.b.def({ kind: 'cdload', offset: data.calldata.v, loc }), t: U256 };
  const n = BigInt(to.size);
  const kept = { v: L.b.def({ kind: 'select', cond: L.binOp('lt', data.len, c(n), loc, BOOL).v, a: data.len.v, b: c(n).v, type: U256, loc }), t: U256 };
  // The top `kept` bytes: not(MAX >> 8·kept) (0 when kept is 0).
  const keep = L.binOp('xor', L.binOp('shr', c(M256), L.binOp('mul', kept, c(8n), loc), loc), c(M256), loc);
  const value = L.convert(L.binOp('and', word, keep, loc), { kind: 'bytes', size: 32 }, loc);
  return L.convert(value, to, loc);
}
