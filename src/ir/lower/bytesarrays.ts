import type { SrcLoc } from '../../util/loc.ts';
import { BOOL, U256, typeBits, type CdAbiItem, type Param, type ValueId } from '../types.ts';
import { abiEncoderOf, enumMembersOf } from './exprs.ts';
import { arrayOf } from './arrays.ts';
import { parseTypeString } from './soltypes.ts';
import { unsupported, type AstNode } from './context.ts';
import { EMPTY_REVERT, panicData, type FunctionLowerer, type Val } from './function.ts';
import { MAX64, byteStringExpr, byteValueTable, calldataStarts, decodeTailStart, type ByteStringData } from './bytes.ts';

/**
 * `bytes[] calldata` and `string[] calldata` parameters of entry points (OpenZeppelin's
 * `scheduleBatch(…, bytes[] calldata payloads, …)`, multicall's `bytes[] calldata data`), lowered onto
 * calldata reads like arrays of value types (arrays.ts): the array is its length and the calldata
 * position of its head area (one offset word per element, relative to that position), and `xs[i]` is a
 * calldata byte string found through its offset word, with the checks solc makes when it reads it. No
 * new IR instruction: the checks are guards, the reads `cdload`s and the bytes a `cdbytes` token.
 *
 * Modelled: `xs.length`, `xs[i]` wherever a calldata byte string is accepted (bytes.ts: hashing,
 * `.length`, `abi.decode`, forwarding, event data, locals), passing `xs` on to an internal function whose
 * parameter is `bytes[] calldata` too (a reference: nothing is copied). Everything else (`memory`
 * parameters, whose decoder validates every element up front; encoding the array; slices; writes)
 * stays unsupported with its location.
 */

export interface BytesArrayParam {
  /** The raw head word (the offset), which stands for the array in argument lists. */
  readonly raw: Val;
  readonly len: Val;
  /** Calldata position of the head area: element k's offset word is at start + 32 k, relative to start. */
  readonly start: Val;
  readonly text: 'string' | 'bytes';
}

const ARRAY_OF_BYTES = /^(string|bytes)\[\]( calldata| memory)?$/;

/** `string[]`/`bytes[]` in calldata or memory, by the declaration (null for anything else). */
export function bytesArrayDecl(decl: AstNode | undefined): { text: 'string' | 'bytes'; location: 'calldata' | 'memory' } | null {
  const m = (decl?.typeDescriptions?.typeString as string | undefined)?.match(ARRAY_OF_BYTES);
  const location: unknown = decl?.storageLocation;
  if (!m || (location !== 'calldata' && location !== 'memory')) return null;
  return { text: m[1] as 'string' | 'bytes', location };
}

/** The IR parameter of such a declaration: its head word, typed `bytes[]`/`string[]`. */
export function bytesArrayParam(decl: AstNode, fallbackName: string): Param | null {
  const shape = bytesArrayDecl(decl);
  return shape ? { name: decl.name || fallbackName, type: U256, typeName: `${shape.text}[]` } : null;
}

/** True for an IR parameter type name this file decodes. */
export function isBytesArrayTypeName(name: string): boolean {
  return name === 'bytes[]' || name === 'string[]';
}

const decoded = new WeakMap<FunctionLowerer, Map<ValueId, BytesArrayParam>>();
const bound = new WeakMap<FunctionLowerer, Map<number, BytesArrayParam>>();

function mapOf<K, V>(m: WeakMap<FunctionLowerer, Map<K, V>>, L: FunctionLowerer): Map<K, V> {
  let x = m.get(L);
  if (!x) m.set(L, (x = new Map()));
  return x;
}

/**
 * Decodes a `bytes[] calldata` parameter as solc's ABI decoder does (the same checks as for an array of
 * value types, the head area holding one word per element): offset > 2^64-1; !(4 + offset + 31 <s
 * calldatasize); length > 2^64-1; 4 + offset + 32 + 32 * length > calldatasize (all empty reverts). The
 * elements are not looked at until they are read. A `memory` parameter is unsupported: its decoder
 * checks and copies every element up front, a loop over a symbolic count.
 */
export function decodeBytesArrayParam(L: FunctionLowerer, raw: Val, def: AstNode, index: number, loc: SrcLoc): Val {
  const decl: AstNode | undefined = def.parameters?.parameters?.[index];
  const shape = bytesArrayDecl(decl);
  if (!shape || shape.location !== 'calldata') unsupported(`parameter of type ${decl?.typeDescriptions?.typeString ?? '?'} (the memory decoder validates and copies every element)`, loc);
  const c = (x: bigint) => L.const(U256, x, loc);
  const { size, at, len } = decodeTailStart(L, raw, loc);
  L.guardNotOp(L.binOp('gt', len, c(MAX64), loc, BOOL), EMPTY_REVERT, loc);
  const start = L.binOp('add', at, c(32n), loc);
  L.guardNotOp(L.binOp('gt', L.binOp('add', start, L.binOp('shl', len, c(5n), loc), loc), size, loc, BOOL), EMPTY_REVERT, loc);
  mapOf(decoded, L).set(raw.v, { raw, len, start, text: shape.text });
  return raw;
}

/** Binds a `bytes[] calldata` parameter (of the entry point or an inlined function) to the array passed for it; false for other parameters. */
export function bindBytesArrayParam(L: FunctionLowerer, p: AstNode, arg: Val, loc: SrcLoc): boolean {
  const shape = bytesArrayDecl(p);
  if (!shape) return false;
  const a = mapOf(decoded, L).get(arg.v);
  if (!a) unsupported(`argument for a parameter of type ${p.typeDescriptions?.typeString}`, loc);
  // A calldata array passed as `memory` would be copied and validated element by element: not modelled.
  if (shape.location !== 'calldata' || shape.text !== a.text) unsupported(`calldata ${a.text}[] passed as ${p.typeDescriptions?.typeString}`, loc);
  mapOf(bound, L).set(p.id, a);
  return true;
}

/** The array a parameter identifier is bound to, or null. */
export function bytesArrayOf(L: FunctionLowerer, e: AstNode | undefined): BytesArrayParam | null {
  if (e?.nodeType === 'TupleExpression' && e.components?.length === 1 && e.components[0]) return bytesArrayOf(L, e.components[0]);
  if (e?.nodeType !== 'Identifier') return null;
  return mapOf(bound, L).get(e.referencedDeclaration) ?? null;
}

/** For an argument passed to an internal function's `bytes[]`/`string[]` parameter: its placeholder; null for other parameters. */
export function bytesArrayArg(L: FunctionLowerer, a: AstNode, param: AstNode | undefined): Val | null {
  if (!bytesArrayDecl(param)) return null;
  const arr = bytesArrayOf(L, a);
  if (!arr) unsupported(`${param?.typeDescriptions?.typeString} argument of this form (${a?.nodeType})`, L.ctx.loc(a));
  return arr.raw;
}

/** `xs.length` of such an array; null when `e` is not one. */
export function bytesArrayLength(L: FunctionLowerer, e: AstNode): Val | null {
  if (e.nodeType !== 'MemberAccess' || e.memberName !== 'length') return null;
  return bytesArrayOf(L, e.expression)?.len ?? null;
}

/** True when `e` is `xs[i]` of such an array. */
export function isBytesArrayElement(L: FunctionLowerer, e: AstNode | undefined): boolean {
  return e?.nodeType === 'IndexAccess' && bytesArrayOf(L, e.baseExpression) !== null;
}

/**
 * `xs[i]`: element i as a calldata byte string, read as solc does (`calldata_array_index_access` then
 * `access_calldata_tail`, checked on the EVM by test/diff/contracts/BytesArrays.sol): i >= length panics
 * with 0x32; the offset word rel at start + 32 i must satisfy rel <s calldatasize - start - 31; the
 * length word at start + rel must be at most 2^64-1; and start + rel + 32 >s calldatasize - length
 * reverts (all three with empty data). Null when `e` is not an element of such an array.
 */
export function bytesArrayElement(L: FunctionLowerer, e: AstNode, loc: SrcLoc): ByteStringData | null {
  if (e?.nodeType !== 'IndexAccess') return null;
  const arr = bytesArrayOf(L, e.baseExpression);
  if (!arr) return null;
  if (!e.indexExpression) unsupported('index access without index', loc);
  const c = (x: bigint) => L.const(U256, x, loc);
  const i = L.expr(e.indexExpression, U256);
  if (L.b.dead) return { len: c(0n), words: [] };
  L.guardOp(L.binOp('lt', i, arr.len, loc, BOOL), panicData(0x32), loc);
  const I256 = { kind: 'int', bits: 256 } as const;
  const signed = (x: Val): Val => ({ v: L.b.def({ kind: 'conv', a: x.v, from: U256, to: I256, loc }), t: I256 });
  const size: Val = { v: L.b.def({ kind: 'env', name: 'calldatasize', type: U256, loc }), t: U256 };
  const head = L.binOp('add', arr.start, L.binOp('shl', i, c(5n), loc), loc);
  const rel: Val = { v: L.b.def({ kind: 'cdload', offset: head.v, loc }), t: U256 };
  const room = L.binOp('sub', L.binOp('sub', size, arr.start, loc), c(31n), loc);
  L.guardOp(L.binOp('lt', signed(rel), signed(room), loc, BOOL), EMPTY_REVERT, loc);
  const at = L.binOp('add', arr.start, rel, loc);
  // CALLDATALOAD past the end is zero. The model's calldata words are free there (see smt/bytes.ts),
  // and the checks below let an element start anywhere from 2^255 on (a negative offset): say so here.
  const word: Val = { v: L.b.def({ kind: 'cdload', offset: at.v, loc }), t: U256 };
  const past = L.binOp('ge', at, size, loc, BOOL);
  const len: Val = { v: L.b.def({ kind: 'select', cond: past.v, a: c(0n).v, b: word.v, type: U256, loc }), t: U256 };
  L.guardNotOp(L.binOp('gt', len, c(MAX64), loc, BOOL), EMPTY_REVERT, loc);
  const data = L.binOp('add', at, c(32n), loc);
  L.guardNotOp(L.binOp('gt', signed(data), signed(L.binOp('sub', size, len, loc)), loc, BOOL), EMPTY_REVERT, loc);
  const token = L.b.def({ kind: 'cdbytes', start: data.v, len: len.v, loc });
  const out: ByteStringData = { len, words: [{ kind: 'bytes', value: token }], calldata: data };
  byteValueTable(L).set(token, out);
  calldataStarts(L).set(token, data);
  return out;
}

/**
 * `keccak256(abi.encode(a, …))` where some argument is an array parameter read from calldata (`address[]
 * calldata targets`, `uint256[] calldata values`, `bytes[] calldata payloads`; `T[] memory` parameters of
 * 256-bit words are their calldata words too) and the others are value types: OpenZeppelin's
 * `hashOperationBatch`. The arguments are evaluated in order, then solc's encoder validates the elements
 * as it copies them (a dirty element, or a `bytes[]` element failing the checks of `bytesArrayElement`:
 * empty revert, whichever comes first: all alike), then hashes the encoding (`cdabihash`). Null when the
 * argument is not such an encoding. With two or more arguments, a calldata byte string (`bytes calldata
 * data`, `payloads[i]`) goes in the same way (`hashOperation`). Enums and other arguments stay unsupported.
 */
export function keccakOfCalldataEncoding(L: FunctionLowerer, arg: AstNode, loc: SrcLoc): Val | null {
  if (abiEncoderOf(arg) !== 'encode') return null;
  const args: AstNode[] = arg.arguments;
  const calldataBytes = (a: AstNode): boolean => /^(bytes|string) calldata$/.test(a.typeDescriptions?.typeString ?? '');
  if (!args.some((a) => bytesArrayOf(L, a) !== null || arrayOf(L, a) !== null) && !(args.length > 1 && args.some(calldataBytes))) return null;
  const c = (x: bigint) => L.const(U256, x, loc);
  const items: CdAbiItem[] = [];
  const checks: Val[] = [];
  for (const a of args) {
    const ba = bytesArrayOf(L, a);
    if (ba) {
      items.push({ kind: 'bytesarray', start: ba.start.v, len: ba.len.v });
      checks.push({ v: L.b.def({ kind: 'cdbytesok', start: ba.start.v, len: ba.len.v, loc }), t: BOOL });
      continue;
    }
    const arr = arrayOf(L, a);
    if (arr) {
      // A fixed-size array is encoded in place, without offset and length: not this form.
      if (arr.enumMembers !== undefined || /\[\d+\]( calldata| memory)?$/.test(a.typeDescriptions?.typeString ?? '')) unsupported(`abi.encode of ${a.typeDescriptions?.typeString} next to calldata arrays`, L.ctx.loc(a));
      items.push({ kind: 'words', start: arr.start.v, len: arr.len.v });
      // A memory copy was validated when it was decoded; calldata elements are validated as they are encoded.
      if (arr.location === 'calldata' && typeBits(arr.elem) !== 256) checks.push({ v: L.b.def({ kind: 'cdclean', start: arr.start.v, len: arr.len.v, type: arr.elem, loc }), t: BOOL });
      continue;
    }
    if (calldataBytes(a)) {
      // A calldata byte string (a parameter, an element, a slice): checked when it was decoded or read.
      const data = byteStringExpr(L, a);
      if (L.b.dead) return c(0n);
      if (data.calldata === undefined || data.words.length !== 1) unsupported(`abi.encode of this ${a.typeDescriptions?.typeString}`, L.ctx.loc(a));
      items.push({ kind: 'bytes', start: data.calldata.v, len: data.len.v });
      continue;
    }
    const st = parseTypeString(a.typeDescriptions?.typeString ?? '');
    if (st.kind !== 'value' || enumMembersOf(L.ctx, a) !== null) unsupported(`abi.encode of ${a.typeDescriptions?.typeString ?? a.nodeType} next to calldata arrays`, L.ctx.loc(a));
    const v = L.expr(a, st.type);
    if (L.b.dead) return c(0n);
    items.push({ kind: 'value', value: v.v, type: st.type });
  }
  for (const ok of checks) L.guardOp(ok, EMPTY_REVERT, loc);
  const B32 = { kind: 'bytes', size: 32 } as const;
  return { v: L.b.def({ kind: 'cdabihash', items, loc }), t: B32 };
}
