import type { SrcLoc } from '../../util/loc.ts';
import { invariant } from '../../util/assert.ts';
import { BOOL, U256, type ValueType } from '../types.ts';
import { unsupported, type AstNode } from './context.ts';
import { panicData, type FunctionLowerer, type Val } from './function.ts';
import { parseTypeString } from './soltypes.ts';

/**
 * Memory array locals of value types whose length is a compile-time constant: `uint256[3] memory w`,
 * `uint256[] memory xs = new uint256[](4)`, `[a, b, c]` literals, copies of fixed-size storage arrays.
 * Like memory structs (aggregates.ts), such an array is held element by element in the SSA environment,
 * so branches and loops merge it with ordinary phis; a non-constant index selects among the elements
 * (reads) or updates each element with a select (writes), after the bounds check (Panic 0x32).
 *
 * Only one variable may refer to an array: a second reference (`b = a`, passing it to a function,
 * returning it) would alias it and stays unsupported, as do a length that is not a constant, more than
 * MAX_ELEMENTS elements, and copies of dynamic storage arrays.
 */

interface MemArray {
  readonly elem: ValueType;
  readonly length: bigint;
}

const MAX_ELEMENTS = 32n;

const states = new WeakMap<FunctionLowerer, Map<number, MemArray>>();
function arrays(L: FunctionLowerer): Map<number, MemArray> {
  let s = states.get(L);
  if (!s) states.set(L, (s = new Map()));
  return s;
}

function key(declId: number, i: bigint): string {
  return `marr:${declId}:${i}`;
}

/** Element type and constant length (null: dynamic) of a memory array of value types, from its type string. */
function shapeOf(typeString: string | undefined): { elem: ValueType; length: bigint | null } | null {
  const m = typeString?.match(/^(.+)\[(\d*)\]( memory)?$/);
  if (!m || m[1]!.startsWith('enum ') || m[1]!.includes(' ')) return null;
  const st = parseTypeString(m[1]!);
  return st.kind === 'value' ? { elem: st.type, length: m[2] ? BigInt(m[2]) : null } : null;
}

/** The compile-time constant length of `new T[](n)`, or null when `e` is no such expression. */
function newLength(L: FunctionLowerer, e: AstNode, loc: SrcLoc): bigint | null {
  if (e?.nodeType !== 'FunctionCall' || e.expression?.nodeType !== 'NewExpression') return null;
  const n = e.arguments?.[0];
  if (parseTypeString(n?.typeDescriptions?.typeString ?? '').kind !== 'const') unsupported('new T[](n) with a length that is not a constant', loc);
  return L.consts.valueAs(n, U256, loc);
}

/** Lowers the declaration of a memory array local of value types; false for any other declaration. */
export function memArrayDecl(L: FunctionLowerer, s: AstNode, loc: SrcLoc): boolean {
  const decls: (AstNode | null)[] = s.declarations;
  const d = decls.length === 1 ? decls[0] : null;
  if (!d || d.storageLocation !== 'memory') return false;
  const shape = shapeOf(d.typeDescriptions?.typeString);
  if (!shape) return false;
  const init: AstNode | null = s.initialValue ?? null;
  let values: Val[];
  if (!init) values = [];
  else if (newLength(L, init, loc) !== null) values = [];
  else if (init.nodeType === 'TupleExpression' && init.isInlineArray) values = (init.components as AstNode[]).map((c) => L.expr(c, shape.elem));
  else if (/\[\d+\] storage/.test(init.typeDescriptions?.typeString ?? '') && shape.length !== null) values = L.aggregateFixedValues(init, shape.elem, shape.length, loc);
  else unsupported(`memory array from ${init.nodeType} (${init.typeDescriptions?.typeString ?? '?'})`, loc);
  if (L.b.dead) return true;
  const length = shape.length ?? (init ? (newLength(L, init, loc) ?? BigInt(values.length)) : 0n);
  if (length > MAX_ELEMENTS) unsupported(`memory array of more than ${MAX_ELEMENTS} elements`, loc);
  arrays(L).set(d.id, { elem: shape.elem, length });
  for (let i = 0n; i < length; i++) {
    const v = values[Number(i)] ?? L.const(shape.elem, 0n, loc);
    L.b.env.set(key(d.id, i), L.convert(v, shape.elem, loc));
  }
  return true;
}

function arrayOf(L: FunctionLowerer, e: AstNode): { id: number; a: MemArray } | null {
  if (e?.nodeType === 'TupleExpression' && e.components?.length === 1 && e.components[0]) return arrayOf(L, e.components[0]);
  if (e?.nodeType !== 'Identifier') return null;
  const a = arrays(L).get(e.referencedDeclaration);
  return a ? { id: e.referencedDeclaration, a } : null;
}

function element(L: FunctionLowerer, id: number, i: bigint): Val {
  const b = L.b.env.get(key(id, i));
  invariant(b !== undefined, 'memory array element');
  return { v: b.v, t: b.t };
}

/** The index of `x[i]` (evaluated, bounds-checked with Panic 0x32), with its array; null when `e` is not such an access. */
function indexInto(L: FunctionLowerer, e: AstNode, loc: SrcLoc): { id: number; a: MemArray; i: Val } | null {
  if (e?.nodeType !== 'IndexAccess') return null;
  const arr = arrayOf(L, e.baseExpression);
  if (!arr) return null;
  if (!e.indexExpression) unsupported('index access without index', loc);
  const i = L.expr(e.indexExpression, U256);
  if (!L.b.dead) L.guardOp(L.binOp('lt', i, L.const(U256, arr.a.length, loc), loc, BOOL), panicData(0x32), loc);
  return { ...arr, i };
}

function load(L: FunctionLowerer, id: number, a: MemArray, i: Val, loc: SrcLoc): Val {
  // The index is in range here, so the last element stands for itself.
  let acc = element(L, id, a.length - 1n);
  for (let j = a.length - 2n; j >= 0n; j--) {
    const hit = L.binOp('eq', i, L.const(U256, j, loc), loc, BOOL);
    acc = { v: L.b.def({ kind: 'select', cond: hit.v, a: element(L, id, j).v, b: acc.v, type: a.elem, loc }), t: a.elem };
  }
  return acc;
}

/** `x.length` or `x[i]` of a memory array local; null when `e` is neither. */
export function memArrayRead(L: FunctionLowerer, e: AstNode, loc: SrcLoc): Val | null {
  if (e.nodeType === 'MemberAccess' && e.memberName === 'length') {
    const arr = arrayOf(L, e.expression);
    return arr ? L.const(U256, arr.a.length, loc) : null;
  }
  const x = indexInto(L, e, loc);
  if (!x) return null;
  if (L.b.dead) return x.i;
  return load(L, x.id, x.a, x.i, loc);
}

/** The l-value of `x[i]` for a memory array local (index evaluated and checked now); null for other expressions. */
export function memArrayLValue(L: FunctionLowerer, e: AstNode): { kind: 'custom'; t: ValueType; load: (loc: SrcLoc) => Val; store: (v: Val, loc: SrcLoc) => void } | null {
  const loc = L.ctx.loc(e);
  const x = indexInto(L, e, loc);
  if (!x) return null;
  const { id, a, i } = x;
  return {
    kind: 'custom',
    t: a.elem,
    load: (at) => load(L, id, a, i, at),
    store: (v, at) => {
      const nv = L.convert(v, a.elem, at);
      for (let j = 0n; j < a.length; j++) {
        const hit = L.binOp('eq', i, L.const(U256, j, at), at, BOOL);
        L.b.env.set(key(id, j), { v: L.b.def({ kind: 'select', cond: hit.v, a: nv.v, b: element(L, id, j).v, type: a.elem, loc: at }), t: a.elem });
      }
    },
  };
}
