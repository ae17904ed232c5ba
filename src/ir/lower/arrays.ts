import type { SrcLoc } from '../../util/loc.ts';
import { ADDRESS, BOOL, U256, typeBits, typeName, type ValueId, type ValueType } from '../types.ts';
import { enumMembersOf, guardEnumDecodable } from './exprs.ts';
import { unsupported, type AstNode } from './context.ts';
import { EMPTY_REVERT, panicData, type FunctionLowerer, type Val } from './function.ts';
import { parseTypeString } from './soltypes.ts';
import { MAX64, allocDecoded, decodeTailStart } from './bytes.ts';

/**
 * Dynamic arrays of value types passed to an entry point (`address[] calldata to`, `uint256[] memory xs`),
 * lowered onto calldata reads: the array is its decoded length and the calldata position of its first
 * element, and `a[i]` is the word at start + 32 * i. No new IR instruction is needed: the decoder's checks
 * are guards, the reads `cdload`s (see bytes.ts for the same treatment of `string`/`bytes`).
 *
 * Modelled: `a.length`, `a[i]` (Panic 0x32 out of range; a calldata element is validated when it is read,
 * a memory copy's elements when it is decoded), passing the parameter on to an internal function whose
 * parameter has the same location (a reference: nothing is copied). Everything else done with such an
 * array (writing an element, assigning the array, slices, encoding it, other element types, fixed-size
 * arrays) stays unsupported.
 *
 * A `memory` parameter is read from calldata: it is a copy nobody writes (writes are refused), and the
 * decoder checked every element up front — which is why only element types the decoder never rejects
 * (256-bit words) are accepted there: validating a symbolic number of elements is not modelled.
 */

/** A decoded array parameter. */
export interface ArrayParam {
  /** The raw head word (the offset), which stands for the array in argument lists. */
  readonly raw: Val;
  readonly len: Val;
  /** Calldata position of element 0. */
  readonly start: Val;
  readonly elem: ValueType;
  readonly location: 'calldata' | 'memory';
  /** For an array of enums (elements typed uint8): the member count each element read checks. */
  readonly enumMembers?: number;
}

/**
 * The element type of a parameter declared as a dynamic array of value types in calldata or memory; null
 * for any other declaration. Contracts are addresses (the same decoding check); enums are uint8 with
 * `isEnum` set (their range is checked too, see `decodeArrayParam`).
 */
export function valueArrayElem(decl: AstNode): { elem: ValueType; location: 'calldata' | 'memory'; isEnum?: true } | null {
  const location: unknown = decl?.storageLocation;
  const m = (decl?.typeDescriptions?.typeString as string | undefined)?.match(/^(.+)\[\]( calldata| memory)?$/);
  if (!m || (location !== 'calldata' && location !== 'memory')) return null;
  if (/^contract [\w.]+$/.test(m[1]!)) return { elem: ADDRESS, location };
  if (/^enum [\w.]+$/.test(m[1]!)) return { elem: { kind: 'uint', bits: 8 }, location, isEnum: true };
  if (m[1]!.includes(' ')) return null;
  const st = parseTypeString(m[1]!);
  return st.kind === 'value' ? { elem: st.type, location } : null;
}

/** The canonical ABI type name of such a parameter (`uint256[]`). */
export function arrayParamTypeName(elem: ValueType): string {
  return `${typeName(elem)}[]`;
}

/** Element type of an IR parameter's type name (`uint256[]`), or null when it is not a dynamic value array. */
export function arrayTypeNameElem(name: string): ValueType | null {
  const m = name.match(/^(.+)\[\]$/);
  if (!m) return null;
  const st = parseTypeString(m[1]!);
  return st.kind === 'value' ? st.type : null;
}

const decoded = new WeakMap<FunctionLowerer, Map<ValueId, ArrayParam>>();
const bound = new WeakMap<FunctionLowerer, Map<number, ArrayParam>>();

function mapOf<K, V>(m: WeakMap<FunctionLowerer, Map<K, V>>, L: FunctionLowerer): Map<K, V> {
  let x = m.get(L);
  if (!x) m.set(L, (x = new Map()));
  return x;
}

/**
 * Decodes an array parameter as solc's ABI decoder does, with its checks in its order:
 *   offset > 2^64-1; !(4 + offset + 31 <s calldatasize); length = calldataload(4 + offset);
 *   calldata: length > 2^64-1; 4 + offset + 32 + 32 * length > calldatasize (all empty reverts);
 *   memory: length > 2^64-1, then the allocation of 32 + 32 * length bytes (Panic 0x41, see
 *   `allocDecoded`), then the end check (empty revert). Checked on the EVM (test/diff/contracts/ArrayParams.sol).
 * Returns the raw offset word: the array is bound to the parameter when the body is inlined.
 */
export function decodeArrayParam(L: FunctionLowerer, raw: Val, def: AstNode, index: number, loc: SrcLoc): Val {
  const decl: AstNode | undefined = def.parameters?.parameters?.[index];
  const shape = valueArrayElem(decl);
  if (!shape) unsupported(`parameter of type ${decl?.typeDescriptions?.typeString ?? '?'}`, loc);
  const { elem, location } = shape;
  // An array of enums: each element read checks the range (the base type names the enum).
  const enumMembers = shape.isEnum ? enumMembersOf(L.ctx, decl?.typeName?.baseType) : null;
  if (shape.isEnum && enumMembers === null) unsupported(`parameter of type ${decl?.typeDescriptions?.typeString}`, loc);
  if (location === 'memory') {
    if (typeBits(elem) !== 256) unsupported(`memory array parameter of ${typeName(elem)} (the decoder validates every element)`, loc);
  }
  const c = (x: bigint) => L.const(U256, x, loc);
  const { size, at, len } = decodeTailStart(L, raw, loc);
  const bytes = L.binOp('shl', len, c(5n), loc);
  if (location === 'calldata') L.guardNotOp(L.binOp('gt', len, c(MAX64), loc, BOOL), EMPTY_REVERT, loc);
  else {
    L.guardNotOp(L.binOp('gt', len, c(MAX64), loc, BOOL), panicData(0x41), loc);
    allocDecoded(L, L.binOp('add', bytes, c(32n), loc), loc);
  }
  const start = L.binOp('add', at, c(32n), loc);
  L.guardNotOp(L.binOp('gt', L.binOp('add', start, bytes, loc), size, loc, BOOL), EMPTY_REVERT, loc);
  mapOf(decoded, L).set(raw.v, { raw, len, start, elem, location, ...(enumMembers === null ? {} : { enumMembers }) });
  return raw;
}

/** True when the declaration's type is an array parameter type this file models. */
export function isArrayParamDecl(p: AstNode): boolean {
  return valueArrayElem(p) !== null;
}

/**
 * Binds a fixed-size array parameter of an entry point (structparams.ts) whose first element is head word
 * `first`: its length is constant and its elements are the head words from there on.
 */
export function bindFixedArrayParam(L: FunctionLowerer, declId: number, first: number, n: number, elem: ValueType, location: 'calldata' | 'memory', raw: Val, loc: SrcLoc): void {
  const c = (x: bigint): Val => L.const(U256, x, loc);
  mapOf(bound, L).set(declId, { raw, len: c(BigInt(n)), start: c(4n + 32n * BigInt(first)), elem, location });
}

/** Binds an array parameter of an inlined function to the array its argument evaluated to. */
export function bindArrayParam(L: FunctionLowerer, p: AstNode, arg: Val, loc: SrcLoc): void {
  const a = mapOf(decoded, L).get(arg.v);
  const shape = valueArrayElem(p);
  if (!a || !shape) unsupported(`argument for a parameter of type ${p.typeDescriptions?.typeString}`, loc);
  // A calldata array passed as `memory` would be copied (and validated): not modelled.
  if (shape.location !== a.location || typeName(shape.elem) !== typeName(a.elem)) unsupported(`${a.location} array passed as ${p.typeDescriptions?.typeString}`, loc);
  mapOf(bound, L).set(p.id, a);
}

/** The array a parameter identifier is bound to, or null. */
export function arrayOf(L: FunctionLowerer, e: AstNode): ArrayParam | null {
  if (e?.nodeType === 'TupleExpression' && e.components?.length === 1 && e.components[0]) return arrayOf(L, e.components[0]);
  if (e?.nodeType !== 'Identifier') return null;
  return mapOf(bound, L).get(e.referencedDeclaration) ?? null;
}

/** True when `e` is an array parameter of the entry point (or bound to one): a view of calldata, not a memory array reference. */
export function isArrayParamRef(L: FunctionLowerer, e: AstNode): boolean {
  return arrayOf(L, e) !== null;
}

/**
 * For an argument passed to an internal function's array parameter: the placeholder standing for the
 * array (bound by `bindArrayParam`); null when the parameter is not such an array.
 */
export function arrayParamArg(L: FunctionLowerer, a: AstNode, param: AstNode): Val | null {
  if (!isArrayParamDecl(param)) return null;
  const arr = arrayOf(L, a);
  if (!arr) unsupported(`array argument of this form (${a?.nodeType})`, L.ctx.loc(a));
  return arr.raw;
}

/** `a.length` or `a[i]` of an array parameter; null when `e` is neither. */
export function arrayParamRead(L: FunctionLowerer, e: AstNode, loc: SrcLoc): Val | null {
  if (e.nodeType === 'MemberAccess' && e.memberName === 'length') {
    const arr = arrayOf(L, e.expression);
    return arr ? arr.len : null;
  }
  if (e.nodeType !== 'IndexAccess') return null;
  const arr = arrayOf(L, e.baseExpression);
  if (!arr) return null;
  if (!e.indexExpression) unsupported('index access without index', loc);
  const i = L.expr(e.indexExpression, U256);
  if (L.b.dead) return i;
  L.guardOp(L.binOp('lt', i, arr.len, loc, BOOL), panicData(0x32), loc);
  const at = L.binOp('add', arr.start, L.binOp('shl', i, L.const(U256, 5n, loc), loc), loc);
  const raw: Val = { v: L.b.def({ kind: 'cdload', offset: at.v, loc }), t: U256 };
  // A calldata element is validated where it is read (checked on the EVM); a memory copy's were at decoding.
  if (arr.location === 'calldata' && typeBits(arr.elem) !== 256) L.guardOp({ v: L.b.def({ kind: 'abiok', a: raw.v, type: arr.elem, loc }), t: BOOL }, EMPTY_REVERT, loc);
  if (arr.location === 'calldata') guardEnumDecodable(L, raw, arr.enumMembers, loc);
  return L.decodeWord(raw, arr.elem, loc);
}

/** True when `e` (an index access or assignment target) is an element of an array parameter. */
export function isArrayParamElement(L: FunctionLowerer, e: AstNode): boolean {
  return e?.nodeType === 'IndexAccess' && arrayOf(L, e.baseExpression) !== null;
}
