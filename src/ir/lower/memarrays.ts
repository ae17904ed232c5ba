import type { SrcLoc } from '../../util/loc.ts';
import { ADDRESS, BOOL, U256, typeBits, typeName, type ValueType } from '../types.ts';
import { unsupported, type AstNode } from './context.ts';
import { EMPTY_REVERT, panicData, type FunctionLowerer, type Val } from './function.ts';
import { parseTypeString } from './soltypes.ts';
import { arrayOf, isArrayParamRef } from './arrays.ts';
import type { AbiItem } from './bytes.ts';

/**
 * Memory arrays of value types (`uint256[] memory`, `address[3] memory`) with Solidity's reference
 * semantics. Each array is an allocation on a heap (the `alloc`, `mlen`, `mload`, `mstore` instructions):
 * `new T[](n)`, an array literal, a copy of a storage array. A memory array variable holds a reference
 * (environment key `mref:<declaration id>:`, so `identifier` never hands it out as a value): `b = a`,
 * passing an array to an internal function and returning one from it copy the reference, and a write
 * through any of them is seen through all, as in Solidity.
 *
 * Not modelled (unsupported): memory arrays of structs, arrays, byte strings or enums (contracts are addresses);
 * references in a conditional expression, in a tuple declaration, or as a modifier's parameter; entry-point
 * `memory` parameters used as references (they are read-only calldata views, arrays.ts); `delete` of a
 * whole memory array.
 */

export interface MemShape {
  readonly elem: ValueType;
  /** Null for a dynamic array. */
  readonly length: bigint | null;
}

const MAX64 = (1n << 64n) - 1n;

/** Element type and length of a memory array of value types, from its type string; null for any other type. */
export function memArrayShape(typeString: string | undefined): MemShape | null {
  // Contract-typed elements are addresses (stored, compared and encoded as one).
  const c = typeString?.match(/^contract [\w$]+\[(\d*)\]( memory)?$/);
  if (c) return { elem: ADDRESS, length: c[1] ? BigInt(c[1]) : null };
  const m = typeString?.match(/^([a-z0-9]+)\[(\d*)\]( memory)?$/);
  if (!m) return null;
  const st = parseTypeString(m[1]!);
  return st.kind === 'value' ? { elem: st.type, length: m[2] ? BigInt(m[2]) : null } : null;
}

function shapeOfExpr(e: AstNode): MemShape | null {
  return memArrayShape(e?.typeDescriptions?.typeString);
}

/** The environment key of a memory array variable's reference. */
export function refKey(declId: number): string {
  return `mref:${declId}:`;
}

function def(L: FunctionLowerer, i: Parameters<FunctionLowerer['b']['def']>[0]): Val {
  return { v: L.b.def(i), t: U256 };
}

/** A fresh zeroed array of `len` elements. */
function alloc(L: FunctionLowerer, elem: ValueType, len: Val, loc: SrcLoc): Val {
  return def(L, { kind: 'alloc', len: len.v, elem, loc });
}

/** A fresh array holding `values`. */
function allocOf(L: FunctionLowerer, elem: ValueType, values: readonly Val[], loc: SrcLoc): Val {
  const ref = alloc(L, elem, L.const(U256, BigInt(values.length), loc), loc);
  values.forEach((v, j) => L.b.effect({ kind: 'mstore', ref: ref.v, index: L.const(U256, BigInt(j), loc).v, value: L.convert(v, elem, loc).v, type: elem, loc }));
  return ref;
}

/**
 * The reference an expression of memory array type evaluates to, allocating for `new T[](n)`, literals
 * and copies of storage arrays.
 */
export function memArrayRef(L: FunctionLowerer, e: AstNode, shape: MemShape, loc: SrcLoc): Val {
  if (e?.nodeType === 'TupleExpression' && !e.isInlineArray && e.components?.length === 1 && e.components[0]) return memArrayRef(L, e.components[0], shape, loc);
  if (e?.nodeType === 'Identifier') {
    const b = L.b.env.get(refKey(e.referencedDeclaration));
    if (b) return { v: b.v, t: U256 };
    if (isArrayParamRef(L, e)) unsupported('an entry point\'s memory array parameter used as a reference (copied, assigned or passed on as memory)', loc);
  }
  if (e?.nodeType === 'FunctionCall' && e.expression?.nodeType === 'NewExpression') {
    const n = L.expr(e.arguments[0], U256);
    if (L.b.dead) return n;
    // Legacy code generator: only a length above 2^64 - 1 panics; a smaller one too large for memory
    // runs out of gas zeroing it (gas is not modelled, see README).
    L.guardNotOp(L.binOp('gt', n, L.const(U256, MAX64, loc), loc, BOOL), panicData(0x41), loc);
    return alloc(L, shape.elem, n, loc);
  }
  if (e?.nodeType === 'TupleExpression' && e.isInlineArray) {
    const own = shapeOfExpr(e) ?? shape;
    const values = (e.components as AstNode[]).map((c) => L.expr(c, own.elem));
    return L.b.dead ? values[0]! : allocOf(L, own.elem, values, loc);
  }
  const text: string = e?.typeDescriptions?.typeString ?? '';
  if (/\] storage (ref|pointer)$/.test(text)) {
    if (shape.length !== null) {
      const values = L.aggregateFixedValues(e, shape.elem, shape.length, loc);
      return L.b.dead ? L.const(U256, 0n, loc) : allocOf(L, shape.elem, values, loc);
    }
    const arr = L.aggregateDynamicArray(e, loc);
    if (L.b.dead) return arr.len;
    return def(L, { kind: 'alloc', len: arr.len.v, elem: shape.elem, src: arr.slot, loc });
  }
  if (e?.nodeType === 'FunctionCall' && e.kind === 'functionCall') {
    const r = L.call(e, loc);
    if (r.length !== 1 || !r[0]) unsupported('call used as a single value', loc);
    return r[0];
  }
  unsupported(`memory array from ${e?.nodeType} (${text || '?'})`, loc);
}

/** Lowers the declaration of a memory array local of value types; false for any other declaration. */
export function memArrayDecl(L: FunctionLowerer, s: AstNode, loc: SrcLoc): boolean {
  const decls: (AstNode | null)[] = s.declarations;
  const d = decls.length === 1 ? decls[0] : null;
  if (!d || d.storageLocation !== 'memory') return false;
  const shape = memArrayShape(d.typeDescriptions?.typeString);
  if (!shape) return false;
  const ref = s.initialValue ? memArrayRef(L, s.initialValue, shape, loc) : initialRef(L, shape, loc);
  if (!L.b.dead) L.b.env.set(refKey(d.id), ref);
  return true;
}

/**
 * What an uninitialised memory array variable refers to: a zeroed fixed-size array, or an empty dynamic
 * one (solc points it at the zero slot, an empty array no write can reach: the same behaviour).
 */
export function initialRef(L: FunctionLowerer, shape: MemShape, loc: SrcLoc): Val {
  return alloc(L, shape.elem, L.const(U256, shape.length ?? 0n, loc), loc);
}

/** `x = y` for a memory array variable `x`: the reference is copied; false for any other assignment. */
export function memArrayAssign(L: FunctionLowerer, e: AstNode, loc: SrcLoc): boolean {
  const lhs = e.leftHandSide;
  const shape = shapeOfExpr(lhs);
  if (!shape || lhs?.nodeType !== 'Identifier' || !L.b.env.has(refKey(lhs.referencedDeclaration))) return false;
  if (e.operator !== '=') unsupported(`${e.operator} on a memory array`, loc);
  const ref = memArrayRef(L, e.rightHandSide, shape, loc);
  if (!L.b.dead) L.b.env.set(refKey(lhs.referencedDeclaration), ref);
  return true;
}

/** For an argument passed to an internal function's memory array parameter: the reference; null for other parameters. */
export function memArrayArg(L: FunctionLowerer, a: AstNode, param: AstNode): Val | null {
  const shape = param?.storageLocation === 'memory' ? memArrayShape(param.typeDescriptions?.typeString) : null;
  if (!shape || isArrayParamRef(L, a)) return null;
  const loc = L.ctx.loc(a);
  if (L.ctx.node(param.scope)?.nodeType !== 'FunctionDefinition') unsupported('memory array parameter of a modifier', loc);
  const ref = memArrayRef(L, a, shape, loc);
  refArgs(L).add(ref.v);
  return ref;
}

/** Binds an internal function's memory array parameter to the reference passed; false for other parameters. */
export function bindMemArrayParam(L: FunctionLowerer, p: AstNode, a: Val): boolean {
  if (!refArgs(L).has(a.v)) return false;
  L.b.env.set(refKey(p.id), a);
  return true;
}

const args = new WeakMap<FunctionLowerer, Set<number>>();
function refArgs(L: FunctionLowerer): Set<number> {
  let s = args.get(L);
  if (!s) args.set(L, (s = new Set()));
  return s;
}

/** The array an expression of memory array type refers to, with its length (a constant for fixed-size arrays). */
function target(L: FunctionLowerer, base: AstNode, loc: SrcLoc): { ref: Val; shape: MemShape; len: Val } | null {
  const shape = shapeOfExpr(base);
  if (!shape || isArrayParamRef(L, base)) return null;
  const ref = memArrayRef(L, base, shape, loc);
  if (L.b.dead) return { ref, shape, len: ref };
  const len = shape.length !== null ? L.const(U256, shape.length, loc) : def(L, { kind: 'mlen', ref: ref.v, loc });
  return { ref, shape, len };
}

/** `x[i]` of a memory array: the array, then the index, checked (Panic 0x32); null when `e` is no such access. */
function indexInto(L: FunctionLowerer, e: AstNode, loc: SrcLoc): { ref: Val; elem: ValueType; i: Val } | null {
  if (e?.nodeType !== 'IndexAccess') return null;
  const x = target(L, e.baseExpression, loc);
  if (!x) return null;
  if (!e.indexExpression) unsupported('index access without index', loc);
  const i = L.b.dead ? x.ref : L.expr(e.indexExpression, U256);
  if (!L.b.dead) L.guardOp(L.binOp('lt', i, x.len, loc, BOOL), panicData(0x32), loc);
  return { ref: x.ref, elem: x.shape.elem, i };
}

function load(L: FunctionLowerer, ref: Val, i: Val, elem: ValueType, loc: SrcLoc): Val {
  return { v: L.b.def({ kind: 'mload', ref: ref.v, index: i.v, type: elem, loc }), t: elem };
}

/** `x.length` or `x[i]` of a memory array; null when `e` is neither. */
export function memArrayRead(L: FunctionLowerer, e: AstNode, loc: SrcLoc): Val | null {
  if (e.nodeType === 'MemberAccess' && e.memberName === 'length') {
    const x = target(L, e.expression, loc);
    return x ? x.len : null;
  }
  const x = indexInto(L, e, loc);
  if (!x) return null;
  if (L.b.dead) return x.i;
  return load(L, x.ref, x.i, x.elem, loc);
}

/** The l-value of `x[i]` for a memory array (array and index evaluated and checked now); null for other expressions. */
export function memArrayLValue(L: FunctionLowerer, e: AstNode): { kind: 'custom'; t: ValueType; load: (loc: SrcLoc) => Val; store: (v: Val, loc: SrcLoc) => void } | null {
  const x = indexInto(L, e, L.ctx.loc(e));
  if (!x) return null;
  const { ref, elem, i } = x;
  return {
    kind: 'custom',
    t: elem,
    load: (at) => load(L, ref, i, elem, at),
    store: (v, at) => {
      if (!L.b.dead) L.b.effect({ kind: 'mstore', ref: ref.v, index: i.v, value: L.convert(v, elem, at).v, type: elem, loc: at });
    },
  };
}

/**
 * A memory array as an ABI item (return data, event data, error arguments): its length and its element
 * words as they are now (`mwords`, an output-only value).
 */
export function memArrayItem(L: FunctionLowerer, ref: Val, elem: ValueType, loc: SrcLoc): AbiItem {
  const len = def(L, { kind: 'mlen', ref: ref.v, loc });
  const words = L.b.def({ kind: 'mwords', ref: ref.v, elem, loc });
  return { kind: 'array', len, data: { kind: 'bytes', value: words } };
}

/** Whether an ABI parameter (event, error, return) is a dynamic array of value types, by its declaration. */
export function isValueArrayDecl(p: AstNode): boolean {
  return memArrayShape(p?.typeDescriptions?.typeString)?.length === null;
}

/**
 * Argument `a` for the dynamic value-array parameter `param` of an event or error, evaluated in its turn:
 * the reference of a memory array; null for a storage array (solc evaluates a storage reference there and
 * reads the elements when encoding, so its keys must be free of effects) and for an entry point's array
 * parameter (its calldata words).
 */
export function arrayArgRef(L: FunctionLowerer, a: AstNode, param: AstNode, loc: SrcLoc): Val | null {
  const shape = memArrayShape(param.typeDescriptions?.typeString);
  if (!shape || shape.length !== null) unsupported(`argument for a parameter of type ${param.typeDescriptions?.typeString}`, loc);
  if (isArrayParamRef(L, a)) return null;
  if (/\] storage (ref|pointer)$/.test(a?.typeDescriptions?.typeString ?? '')) {
    if (!L.isPure(a)) unsupported('storage array argument whose keys have effects or can revert', loc);
    return null;
  }
  return memArrayRef(L, a, shape, loc);
}

/**
 * The ABI item of such an argument (`ref` from `arrayArgRef`), its elements read now, when encoding: a
 * memory array's as they are; a storage array's straight from storage (the words a copy to memory
 * gives); an entry point's array parameter's calldata words (`cdbytes`) when its elements are whole
 * words (narrower calldata elements are validated one by one as they are encoded: not modelled).
 */
export function arrayArgItem(L: FunctionLowerer, a: AstNode, param: AstNode, ref: Val | undefined, loc: SrcLoc): AbiItem {
  const shape = memArrayShape(param.typeDescriptions?.typeString)!;
  const dead: AbiItem = { kind: 'array', len: L.const(U256, 0n, loc), data: { kind: 'const', word: 0n } };
  if (L.b.dead) return dead;
  const view = arrayOf(L, a);
  if (view) {
    if (view.enumMembers !== undefined) unsupported(`${view.location} array of enums encoded from calldata`, loc);
    if (view.location === 'memory' && typeBits(view.elem) !== 256) unsupported(`memory array parameter of ${typeName(view.elem)} encoded`, loc);
    // The encoder validates each element of a calldata array (empty revert); then its words are the output.
    if (typeBits(view.elem) !== 256) L.guardOp({ v: L.b.def({ kind: 'cdclean', start: view.start.v, len: view.len.v, type: view.elem, loc }), t: BOOL }, EMPTY_REVERT, loc);
    if (L.b.dead) return dead;
    const bytes = L.binOp('shl', view.len, L.const(U256, 5n, loc), loc);
    const data = L.b.def({ kind: 'cdbytes', start: view.start.v, len: bytes.v, loc });
    return { kind: 'array', len: view.len, data: { kind: 'bytes', value: data } };
  }
  const r = ref ?? memArrayRef(L, a, shape, loc);
  return L.b.dead ? dead : memArrayItem(L, r, shape.elem, loc);
}
