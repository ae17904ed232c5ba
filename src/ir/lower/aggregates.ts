import { bindFunctionPointer, functionPointerArg } from './fnptrs.ts';
import { isExternalLibraryFunction } from './libcalls.ts';
import { unsafeAccessShape } from './unsafeaccess.ts';
import type { SrcLoc } from '../../util/loc.ts';
import { invariant } from '../../util/assert.ts';
import { BOOL, U256, storageSlots, typeName, type SlotPath, type SlotStep, type StorageType, type StructMember, type ValueType } from '../types.ts';
import type { VarKey } from './builder.ts';
import { unsupported, type AstNode } from './context.ts';
import { FunctionLowerer, panicData, type Val } from './function.ts';
import { parseTypeString } from './soltypes.ts';
import { isPackedElem, loadPacked, perSlot, storageBytesOf, storePacked } from './packed.ts';
import { clearDynamicArray, copyToDynamicArray, isEmptyNewArray } from './storarrays.ts';
import { arrayOf, bindFixedArrayParam } from './arrays.ts';
import { bindCalldataStruct, calldataStructRead, takeStructParam } from './structparams.ts';
import { deleteBytesAt, writeBytes } from './bytewrites.ts';
import { enumMembersOf } from './exprs.ts';
import { isAggregateTypeString, memberValueType, stateVarType, storageTypeOf, structType, typeStringOf, valueStruct } from './storagetypes.ts';
export { checkLayoutsAgainstSolc, storageLayoutOf, storageTypeOf } from './storagetypes.ts';
import { bindBytesVar, byteStringExpr, loadStorageBytes, readBytesVar, readNow } from './bytes.ts';

/**
 * Structs and arrays: storage places (a root slot, steps, a byte offset and a storage type), storage
 * pointers (`Pos storage p = positions[id]` binds `p` to the place, evaluated once), memory structs with
 * value-type members (held member by member in the SSA environment, with copy semantics from and to
 * storage), dynamic storage arrays (`push`, `pop`, `.length`, bounds-checked indexing), fixed-size
 * arrays and `delete`. Storage types and their check against solc's layout are in storagetypes.ts,
 * public getters of struct mappings and arrays in getters.ts.
 *
 * Arrays of value types narrower than 17 bytes pack several elements per slot (see packed.ts).
 *
 * Emptying and copying dynamic arrays (`delete a`, `a = new T[](0)`, `a = b`, `a = xs`) are in storarrays.ts;
 * storage pointers returned by internal functions in `pointerCallPlace` below.
 *
 * Not modelled (unsupported): memory and calldata arrays (other than parameters, see arrays.ts), memory structs with non-value members or aliased by a second memory variable,
 * passing structs to internal functions, reassigning a storage pointer to another shape, `delete` of a dynamic array of
 * structs, non-constant indexes into a fixed-size array stored at a fixed slot.
 */

/** A storage location being lowered: `byteOffset` is meaningful for value types only. */
export interface Place {
  readonly root: bigint;
  readonly steps: readonly SlotStep[];
  readonly byteOffset: number;
  readonly type: StorageType;
  /**
   * A fixed-size array at a fixed slot indexed by a non-constant: one place per possible index (root and
   * steps above are then unused). Reads select among the options, writes write each option (the chosen
   * one with the new value, the others with their own value), so every slot stays a constant slot.
   */
  readonly choice?: { readonly index: Val; readonly options: readonly Place[] };
  /** A packed array element at a non-constant index: its bit offset in the word at (root, steps). */
  readonly packed?: { readonly shift: Val };
}

/** Most options a non-constant index into a fixed-size array at a fixed slot is expanded into. */
const MAX_CHOICES = 32n;

function mapPlace(p: Place, f: (q: Place) => Place): Place {
  if (!p.choice) return f(p);
  const options = p.choice.options.map((q) => mapPlace(q, f));
  const first = options[0]!;
  return { ...first, choice: { index: p.choice.index, options } };
}

/** The same place (every option of a choice) as a word or value of another type, from byte 0. */
function retype(p: Place, type: StorageType): Place {
  return mapPlace(p, (q) => ({ ...q, byteOffset: 0, type }));
}

type AggLValue =
  | { readonly kind: 'local'; readonly key: VarKey; readonly t: ValueType }
  | { readonly kind: 'storage'; readonly path: { root: bigint; keys: readonly SlotStep[] }; readonly offset: number; readonly t: ValueType }
  | { readonly kind: 'custom'; readonly t: ValueType; readonly load: (loc: SrcLoc) => Val; readonly store: (v: Val, loc: SrcLoc) => void };

interface State {
  /** Storage pointer locals by declaration id. */
  readonly ptrs: Map<number, Place>;
  /** Memory struct locals by declaration id. */
  readonly mems: Map<number, Extract<StorageType, { kind: 'struct' }>>;
  /**
   * Memory struct locals with `string`/`bytes` members, read-only (a copy of a storage struct or a
   * constructor): value members under `memKey`, byte strings as byte-string variables (`bytesMemKey`).
   */
  readonly bmems: Map<number, Extract<StorageType, { kind: 'struct' }>>;
  /** Storage places passed to storage pointer parameters, by parameter declaration id, until bound. */
  readonly args: Map<number, Place>;
  /** Member values of memory structs passed to external library functions (copies), by parameter id, until bound. */
  readonly libStructs: Map<number, { readonly st: Extract<StorageType, { kind: 'struct' }>; readonly values: () => Val[] }>;
}

const states = new WeakMap<FunctionLowerer, State>();
function state(L: FunctionLowerer): State {
  let s = states.get(L);
  if (!s) {
    s = { ptrs: new Map(), mems: new Map(), bmems: new Map(), args: new Map(), libStructs: new Map() };
    states.set(L, s);
  }
  return s;
}

const WORD: StorageType = { kind: 'value', type: U256, bytes: 32 };

/** Largest number of slots `delete` or a zeroing `push()` writes one by one. */
const MAX_CLEARED_SLOTS = 64n;

// ---------------------------------------------------------------- places

function stateVarDecl(L: FunctionLowerer, e: AstNode): AstNode | undefined {
  if (e.nodeType !== 'Identifier' && e.nodeType !== 'MemberAccess') return undefined;
  const d = L.ctx.node(e.referencedDeclaration);
  return d?.nodeType === 'VariableDeclaration' && d.stateVariable && !d.constant && d.mutability !== 'immutable' ? d : undefined;
}

/** The variable an access chain starts from (`positions` in `positions[id].amount`), without evaluating anything. */
function chainRoot(e: AstNode): AstNode {
  let x = e;
  for (;;) {
    if (x.nodeType === 'IndexAccess') x = x.baseExpression;
    else if (x.nodeType === 'MemberAccess' && x.referencedDeclaration == null) x = x.expression;
    else if (x.nodeType === 'MemberAccess' && x.expression?.typeDescriptions?.typeString?.startsWith('struct ')) x = x.expression;
    else if (x.nodeType === 'TupleExpression' && x.components?.length === 1 && x.components[0]) x = x.components[0];
    else return x;
  }
}

/** True when `e` is a storage access that goes through a struct, an array or a storage pointer. */
function involvesAggregate(L: FunctionLowerer, e: AstNode): boolean {
  const root = chainRoot(e);
  if (isPointerCall(root)) return true;
  if (root.nodeType === 'Identifier' && state(L).ptrs.has(root.referencedDeclaration)) return true;
  if (root.nodeType === 'Identifier' && state(L).mems.has(root.referencedDeclaration)) return true;
  // Anything but reading a member of a read-only memory struct with byte strings is then unsupported.
  if (root.nodeType === 'Identifier' && state(L).bmems.has(root.referencedDeclaration)) return true;
  const d = stateVarDecl(L, root);
  if (!d) return false;
  return isAggregateTypeString(typeStringOf(d)) || /\]|struct /.test(typeStringOf(d));
}

function addSlots(L: FunctionLowerer, p: Place, n: bigint | Val, type: StorageType, loc: SrcLoc): Place {
  if (p.choice) return mapPlace(p, (q) => addSlots(L, q, n, type, loc));
  if (typeof n === 'bigint') {
    if (n === 0n) return { ...p, byteOffset: 0, type };
    if (p.steps.length === 0) return { root: p.root + n, steps: [], byteOffset: 0, type };
    return { root: p.root, steps: [...p.steps, { kind: 'add', value: L.const(U256, n, loc).v }], byteOffset: 0, type };
  }
  if (p.steps.length === 0) unsupported('non-constant index into a fixed-size array at a fixed slot', loc);
  return { root: p.root, steps: [...p.steps, { kind: 'add', value: n.v }], byteOffset: 0, type };
}

export function memberOf(L: FunctionLowerer, p: Place, name: string, loc: SrcLoc): Place {
  invariant(p.type.kind === 'struct', 'member of a non-struct');
  const m = p.type.members.find((x) => x.name === name);
  invariant(m !== undefined, `struct member ${name}`);
  return mapPlace(addSlots(L, p, m.slot, m.type, loc), (q) => ({ ...q, byteOffset: m.offset }));
}

export function slotVal(L: FunctionLowerer, p: Place, loc: SrcLoc): { root: bigint; keys: readonly SlotStep[] } {
  void L;
  invariant(!p.choice, `single slot expected (${loc.line})`);
  return { root: p.root, keys: p.steps };
}

export function sloadAt(L: FunctionLowerer, p: Place, t: ValueType, loc: SrcLoc): Val {
  if (p.choice) {
    const { index, options } = p.choice;
    // The index is bounds-checked before, so the last option stands for itself.
    let acc = sloadAt(L, options[options.length - 1]!, t, loc);
    for (let j = options.length - 2; j >= 0; j--) {
      const here = sloadAt(L, options[j]!, t, loc);
      const hit = L.binOp('eq', index, L.const(U256, BigInt(j), loc), loc, BOOL);
      acc = { v: L.b.def({ kind: 'select', cond: hit.v, a: here.v, b: acc.v, type: t, loc }), t };
    }
    return acc;
  }
  if (p.packed) return loadPacked(L, slotVal(L, p, loc), p.packed.shift, t, loc);
  return { v: L.b.def({ kind: 'sload', slot: slotVal(L, p, loc), offset: p.byteOffset, type: t, loc }), t };
}

function sstoreAt(L: FunctionLowerer, p: Place, v: Val, loc: SrcLoc): void {
  invariant(p.type.kind === 'value', 'store of a non-value');
  const t = p.type.type;
  const x = L.convert(v, t, loc);
  if (p.choice) {
    const { index, options } = p.choice;
    options.forEach((q, j) => {
      const own = sloadAt(L, q, t, loc);
      const hit = L.binOp('eq', index, L.const(U256, BigInt(j), loc), loc, BOOL);
      sstoreAt(L, q, { v: L.b.def({ kind: 'select', cond: hit.v, a: x.v, b: own.v, type: t, loc }), t }, loc);
    });
    return;
  }
  if (p.packed) return storePacked(L, slotVal(L, p, loc), p.packed.shift, x, loc);
  L.b.effect({ kind: 'sstore', slot: slotVal(L, p, loc), offset: p.byteOffset, type: t, value: x.v, loc });
}

/** The array's length word (dynamic arrays) at the array's own slot. */
export function lengthOf(L: FunctionLowerer, arr: Place, loc: SrcLoc): Val {
  return sloadAt(L, retype(arr, WORD), U256, loc);
}

/** Element `i` of an array place (`constIndex` when the index is a compile-time constant), after the bounds check (Panic 0x32). */
export function elementOf(L: FunctionLowerer, arr: Place, i: Val, loc: SrcLoc, checked = true, constIndex: bigint | null = null): Place {
  invariant(arr.type.kind === 'array', 'element of a non-array');
  const { elem, length } = arr.type;
  if (checked) {
    const len = length === null ? lengthOf(L, arr, loc) : L.const(U256, length, loc);
    L.guardOp(L.binOp('lt', i, len, loc, BOOL), panicData(0x32), loc);
  }
  if (arr.choice) return mapPlace(arr, (q) => elementOf(L, q, i, loc, false, constIndex));
  if (elem.kind === 'value' && isPackedElem(elem.type)) return packedElementOf(L, arr, i, loc, constIndex);
  const size = storageSlots(elem);
  if (length === null) {
    // Array data always carries its offset step, also for index 0 (one canonical key per slot).
    const offset = size === 1n ? i : L.binOp('mul', i, L.const(U256, size, loc), loc);
    return { root: arr.root, steps: [...arr.steps, { kind: 'data' }, { kind: 'add', value: offset.v }], byteOffset: 0, type: elem };
  }
  const base: Place = { ...arr, byteOffset: 0, type: elem };
  if (constIndex !== null && base.steps.length === 0) return addSlots(L, base, constIndex * size, elem, loc);
  if (base.steps.length === 0 && length !== null) {
    if (length > MAX_CHOICES) unsupported(`non-constant index into a fixed-size array of more than ${MAX_CHOICES} elements at a fixed slot`, loc);
    const options: Place[] = [];
    for (let j = 0n; j < length; j++) options.push(addSlots(L, base, j * size, elem, loc));
    return { ...options[0]!, choice: { index: i, options } };
  }
  const offset = size === 1n ? i : L.binOp('mul', i, L.const(U256, size, loc), loc);
  return addSlots(L, base, offset, elem, loc);
}

/**
 * Element `i` of an array of packed value elements (bounds already checked): slot base + i / perSlot,
 * byte (i % perSlot) * bytes. A constant index (or one expanded over a fixed-size array at a fixed slot)
 * gives a constant byte offset; any other a symbolic bit shift (see packed.ts).
 */
function packedElementOf(L: FunctionLowerer, arr: Place, i: Val, loc: SrcLoc, constIndex: bigint | null): Place {
  invariant(arr.type.kind === 'array' && arr.type.elem.kind === 'value', 'packed array');
  const elem = arr.type.elem;
  const n = perSlot(elem.bytes);
  const c = (x: bigint) => L.const(U256, x, loc);
  const dynamic = arr.type.length === null;
  const base: Place = dynamic ? { root: arr.root, steps: [...arr.steps, { kind: 'data' }], byteOffset: 0, type: elem } : { ...arr, byteOffset: 0, type: elem };
  const at = (j: bigint): Place => {
    const q = dynamic ? { ...base, steps: [...base.steps, { kind: 'add' as const, value: c(j / n).v }] } : addSlots(L, base, j / n, elem, loc);
    return { ...q, byteOffset: Number(j % n) * elem.bytes, type: elem };
  };
  if (constIndex !== null) return at(constIndex);
  if (!dynamic && base.steps.length === 0) {
    const length = arr.type.length!;
    if (length > MAX_CHOICES) unsupported(`non-constant index into a fixed-size array of more than ${MAX_CHOICES} elements at a fixed slot`, loc);
    const options: Place[] = [];
    for (let j = 0n; j < length; j++) options.push(at(j));
    return { ...options[0]!, choice: { index: i, options } };
  }
  const slot = L.binOp('div', i, c(n), loc);
  const shift = L.binOp('mul', L.binOp('mod', i, c(n), loc), c(BigInt(8 * elem.bytes)), loc);
  const q = dynamic ? { ...base, steps: [...base.steps, { kind: 'add' as const, value: slot.v }] } : addSlots(L, base, slot, elem, loc);
  return { ...q, byteOffset: 0, type: elem, packed: { shift } };
}

/**
 * The entry for key `k` of a mapping place. A struct or fixed-size array value always gets an offset
 * step (0 here, members and elements add to it), so every slot inside it has one canonical key.
 */
export function keyStep(L: FunctionLowerer, p: Place, k: Val, loc: SrcLoc): Place {
  invariant(p.type.kind === 'mapping', 'key of a non-mapping');
  const value = p.type.value;
  const steps = (q: Place): SlotStep[] => {
    const key: SlotStep = { value: k.v, type: k.t };
    return value.kind === 'struct' || (value.kind === 'array' && value.length !== null) ? [...q.steps, key, { kind: 'add', value: L.const(U256, 0n, loc).v }] : [...q.steps, key];
  };
  return mapPlace(p, (q) => ({ root: q.root, steps: steps(q), byteOffset: 0, type: value }));
}

/** The storage place an access chain denotes, evaluating keys and indexes base first; null for non-storage chains. */
/**
 * `_pos(id)`: a call of an internal function returning a storage pointer, whose only `return` is its
 * last top-level statement and which has no modifiers: the place that statement evaluates to. Null for
 * other calls; other such functions (several returns, a return inside a branch, a named return variable
 * assigned instead) are unsupported: their pointer would depend on the path taken.
 */
function pointerCallPlace(L: FunctionLowerer, e: AstNode): Place | null {
  const loc = L.ctx.loc(e);
  if (!isPointerCall(e) || e.expression?.nodeType !== 'Identifier') return null;
  const decl = L.ctx.node(e.expression.referencedDeclaration);
  if (decl?.nodeType !== 'FunctionDefinition') return null;
  const def = decl.virtual ? L.resolveVirtual(decl) : decl;
  const unsafe = unsafeAccessShape(def);
  if (unsafe !== null) return unsafeElement(L, e, def, unsafe, loc);
  const statements: AstNode[] = def.body?.statements ?? [];
  const last = statements.at(-1);
  const returns = countReturns(def.body);
  if (def.modifiers?.length || def.returnParameters.parameters.length !== 1 || last?.nodeType !== 'Return' || !last.expression || returns !== 1) {
    unsupported(`storage pointer returned by ${def.name} other than by one final return`, loc);
  }
  const args = L.callArgs(e.arguments, def.parameters.parameters, e.names ?? [], loc);
  if (L.b.dead) unsupported(`storage pointer returned by ${def.name} after arguments that always revert`, loc);
  const p = L.inlineReturning(def, args, loc, (ret) => mustPlace(L, ret));
  if (!p) unsupported(`storage pointer returned by ${def.name}, which always reverts`, loc);
  return p;
}

/**
 * `_unsafeAccess(arr, pos)` (unsafeaccess.ts): element `pos` of the array without the bounds check, for
 * elements of exactly one slot (then `keccak256(slot) + pos` is that element's slot; larger or packed
 * elements would make it point elsewhere, and are refused). Arguments are evaluated in order, as for any
 * internal call.
 */
function unsafeElement(L: FunctionLowerer, e: AstNode, def: AstNode, shape: { array: number; index: number }, loc: SrcLoc): Place {
  if ((e.names ?? []).length > 0) unsupported(`${def.name} called with named arguments`, loc);
  const arr = mustPlace(L, e.arguments[shape.array]);
  if (!arr || arr.type.kind !== 'array' || arr.type.length !== null) unsupported(`${def.name} of something other than a dynamic storage array`, loc);
  const elem = arr.type.elem;
  if (storageSlots(elem) !== 1n || (elem.kind === 'value' && isPackedElem(elem.type))) unsupported(`${def.name} (assembly element access) of an array whose elements are not one slot each`, loc);
  const i = L.expr(e.arguments[shape.index], U256);
  return elementOf(L, arr, i, loc, false);
}

/**
 * `f(x).member` where internal function `f` returns a memory struct of value-type members: the call's
 * results are the members (structSource), of which one is read. Null for other member accesses.
 */
function callStructMember(L: FunctionLowerer, e: AstNode, loc: SrcLoc): Val | null {
  const call = e.nodeType === 'MemberAccess' ? e.expression : null;
  if (call?.nodeType !== 'FunctionCall' || call.kind !== 'functionCall' || !/^struct .* memory$/.test(typeStringOf(call))) return null;
  const callee = L.ctx.node(call.expression?.referencedDeclaration);
  const ret: AstNode | undefined = callee?.nodeType === 'FunctionDefinition' ? callee.returnParameters.parameters[0] : undefined;
  if (ret === undefined || callee.returnParameters.parameters.length !== 1) unsupported(`member access .${e.memberName} of a call's result`, loc);
  const st = valueStruct(storageTypeOf(L.ctx, ret.typeName, loc), loc, `member access .${e.memberName} of a call returning ${typeStringOf(call)}`);
  const i = st.members.findIndex((m) => m.name === e.memberName);
  invariant(i >= 0, `struct member ${e.memberName}`);
  const vals = structValue(L, call, st, true);
  return L.b.dead ? { v: -1, t: memberValueType(st.members[i]!) } : vals[i]!;
}

/** A call (not a conversion such as `bytes(s)`) returning a storage pointer to a struct or array. */
function isPointerCall(e: AstNode): boolean {
  return e?.nodeType === 'FunctionCall' && e.kind === 'functionCall' && /^(struct .*|.*\]) storage pointer$/.test(typeStringOf(e));
}

function countReturns(n: unknown): number {
  if (Array.isArray(n)) return n.reduce((k: number, x) => k + countReturns(x), 0);
  if (n === null || typeof n !== 'object') return 0;
  const o = n as Record<string, unknown>;
  return (o.nodeType === 'Return' ? 1 : 0) + Object.values(o).reduce((k: number, v) => k + (v !== null && typeof v === 'object' ? countReturns(v) : 0), 0);
}

/**
 * Storage pointer locals that may be reassigned keep the values of their slot steps (mapping keys,
 * offsets) in the SSA environment under `ptr:<declaration id>:<step>`, so joins merge them with phis
 * and loops carry them; the place's shape (root, step kinds, offset, type) is fixed at the declaration.
 */
function ptrKey(declId: number, k: number): VarKey {
  return `ptr:${declId}:${k}`;
}

function setPointerSteps(L: FunctionLowerer, declId: number, p: Place): void {
  if (p.choice || p.packed) return;
  p.steps.forEach((s, k) => {
    invariant(s.kind !== 'bkey', 'a string mapping key in a storage place');
    if (s.kind !== 'data') L.b.env.set(ptrKey(declId, k), { v: s.value, t: s.kind === 'add' ? U256 : s.type });
  });
}

/** The place a pointer local denotes now: its shape with the step values the environment holds. */
function currentPointer(L: FunctionLowerer, declId: number, p: Place): Place {
  if (p.choice || p.packed) return p;
  const steps = p.steps.map((s, k): SlotStep => {
    if (s.kind === 'data' || s.kind === 'bkey') return s;
    const b = L.b.env.get(ptrKey(declId, k));
    return b === undefined ? s : { ...s, value: b.v };
  });
  return { ...p, steps };
}

const shapeText = (p: Place): string =>
  JSON.stringify([p.root, p.byteOffset, p.type, p.steps.map((s) => (s.kind === 'data' ? 'd' : s.kind === 'add' ? 'a' : s.kind === 'bkey' ? 's' : `k:${typeName(s.type)}`))], (_, x) => (typeof x === 'bigint' ? x.toString() : x));

/**
 * `p = positions[j]` for a storage pointer local `p`: allowed when the new place has the old one's shape
 * (the same variable, reached through the same kinds of steps): only step values change, and they are
 * SSA values merged at joins. A place of another variable or shape stays unsupported.
 */
function reassignPointer(L: FunctionLowerer, declId: number, rhs: AstNode, loc: SrcLoc): void {
  const old = state(L).ptrs.get(declId)!;
  const q = mustPlace(L, rhs);
  if (L.b.dead) return;
  if (old.choice || old.packed || q.choice || q.packed || shapeText(old) !== shapeText(q)) unsupported('reassignment of a storage pointer to another variable or shape', loc);
  setPointerSteps(L, declId, q);
}

function placeOf(L: FunctionLowerer, e: AstNode): Place | null {
  const loc = L.ctx.loc(e);
  switch (e.nodeType) {
    case 'TupleExpression':
      return e.components?.length === 1 && e.components[0] ? placeOf(L, e.components[0]) : null;
    case 'Identifier': {
      const p = state(L).ptrs.get(e.referencedDeclaration);
      if (p) return currentPointer(L, e.referencedDeclaration, p);
      break;
    }
    case 'IndexAccess': {
      const base = placeOf(L, e.baseExpression);
      if (!base) return null;
      if (!e.indexExpression) unsupported('index access without index', loc);
      if (base.type.kind === 'mapping') {
        const k = L.expr(e.indexExpression, base.type.key);
        return keyStep(L, base, k, loc);
      }
      if (base.type.kind === 'array') {
        const constIndex = parseTypeString(typeStringOf(e.indexExpression)).kind === 'const' ? L.consts.valueAs(e.indexExpression, U256, loc) : null;
        const i = L.expr(e.indexExpression, U256);
        return elementOf(L, base, i, loc, true, constIndex);
      }
      unsupported(`index access on ${typeStringOf(e.baseExpression)}`, loc);
    }
    case 'FunctionCall':
      return pointerCallPlace(L, e);
    case 'MemberAccess': {
      if (stateVarDecl(L, e)) break;
      const baseType = typeStringOf(e.expression);
      if (!baseType.startsWith('struct ') || !baseType.includes(' storage')) return null;
      const base = placeOf(L, e.expression);
      if (!base) return null;
      return memberOf(L, base, e.memberName, loc);
    }
  }
  const d = stateVarDecl(L, e);
  if (!d) return null;
  const at = L.ctx.storageOf(d.id);
  invariant(at !== undefined, `no storage slot for ${d.name}`);
  return { root: at.slot, steps: [], byteOffset: at.offset, type: stateVarType(L, d, loc) };
}

/** The `n` elements of type `elem` of the fixed-size storage array `e` (a copy to memory reads them in order). */
function fixedStorageArrayValues(L: FunctionLowerer, e: AstNode, elem: ValueType, n: bigint, loc: SrcLoc): Val[] {
  const p = mustPlace(L, e);
  if (p.type.kind !== 'array' || p.type.length !== n || p.type.elem.kind !== 'value') unsupported(`copy of ${typeStringOf(e)} to memory`, loc);
  const out: Val[] = [];
  for (let j = 0n; j < n; j++) out.push(L.convert(sloadAt(L, elementOf(L, p, L.const(U256, j, loc), loc, false, j), p.type.elem.type, loc), elem, loc));
  return out;
}

/** A storage place that must exist (the chain was classified as storage). */
function mustPlace(L: FunctionLowerer, e: AstNode): Place {
  const p = placeOf(L, e);
  if (!p) unsupported(`access to ${typeStringOf(e) || e.nodeType}`, L.ctx.loc(e));
  return p;
}

// ---------------------------------------------------------------- memory structs

function memKey(declId: number, i: number): string {
  return `mem:${declId}:${i}`;
}

/** `p.member` of a memory struct local: its environment key. */
function memMember(L: FunctionLowerer, e: AstNode): { key: VarKey; t: ValueType } | null {
  if (e.nodeType !== 'MemberAccess' || e.expression.nodeType !== 'Identifier') return null;
  const st = state(L).mems.get(e.expression.referencedDeclaration);
  if (!st) return null;
  const i = st.members.findIndex((m) => m.name === e.memberName);
  invariant(i >= 0, `struct member ${e.memberName}`);
  return { key: memKey(e.expression.referencedDeclaration, i), t: memberValueType(st.members[i]!) };
}

/**
 * The member values of a struct-typed expression, as a copy: a storage struct (read member by member),
 * a struct constructor, or a memory struct local when `allowMemoryVar` (its members are copied out).
 */
function structValue(L: FunctionLowerer, e: AstNode, st: Extract<StorageType, { kind: 'struct' }>, allowMemoryVar: boolean): Val[] {
  return structSource(L, e, st, allowMemoryVar)();
}

/**
 * A struct value in two steps, as solc evaluates it: the expression now (constructor arguments, or the
 * storage place), the members when the returned function is called. A copy into storage reads the
 * members only after the target place is evaluated, so effects of evaluating the target are seen.
 */
function structSource(L: FunctionLowerer, e: AstNode, st: Extract<StorageType, { kind: 'struct' }>, allowMemoryVar: boolean): () => Val[] {
  const loc = L.ctx.loc(e);
  if (e.nodeType === 'FunctionCall' && e.kind === 'structConstructorCall') {
    const names: string[] = e.names ?? [];
    const args: AstNode[] = e.arguments;
    if (names.length > 0 && !args.every((a) => L.isPure(a))) unsupported('named struct constructor arguments with side effects', loc);
    // Arguments are evaluated in source order; named ones are then placed by member name.
    const evaluated = args.map((a, j) => {
      const m = names.length > 0 ? st.members.find((x) => x.name === names[j]) : st.members[j];
      invariant(m !== undefined, 'struct constructor argument');
      return { m, v: L.expr(a, memberValueType(m)) };
    });
    const values = st.members.map((m) => {
      const found = evaluated.find((x) => x.m === m);
      invariant(found !== undefined, `struct constructor member ${m.name}`);
      return found.v;
    });
    return () => values;
  }
  if (e.nodeType === 'Identifier' && state(L).mems.has(e.referencedDeclaration)) {
    if (!allowMemoryVar) unsupported('a second reference to a memory struct (aliasing)', loc);
    return () =>
      st.members.map((m, i) => {
        const b = L.b.env.get(memKey(e.referencedDeclaration, i));
        invariant(b !== undefined, 'memory struct member');
        return { v: b.v, t: b.t };
      });
  }
  if (e.nodeType === 'TupleExpression' && e.components?.length === 1 && e.components[0]) return structSource(L, e.components[0], st, allowMemoryVar);
  // An internal function returning a memory struct of value-type members: its results are the members
  // (a fresh struct: the callee's return variable is gone once it returns).
  if (e.nodeType === 'FunctionCall' && e.kind === 'functionCall' && / memory$/.test(typeStringOf(e))) {
    const vals = L.call(e, loc);
    if (L.b.dead) return () => st.members.map((m) => ({ v: -1, t: memberValueType(m) }));
    if (vals.length !== st.members.length || vals.some((v) => v === null)) unsupported(`struct value from a call returning ${typeStringOf(e)}`, loc);
    return () => vals as Val[];
  }
  if (typeStringOf(e).includes(' storage')) {
    const p = mustPlace(L, e);
    return () => st.members.map((m) => sloadAt(L, memberOf(L, p, m.name, loc), memberValueType(m), loc));
  }
  unsupported(`struct value from ${e.nodeType}`, loc);
}

function writeStruct(L: FunctionLowerer, p: Place, values: readonly Val[], loc: SrcLoc): void {
  invariant(p.type.kind === 'struct', 'struct write');
  p.type.members.forEach((m, i) => sstoreAt(L, memberOf(L, p, m.name, loc), values[i]!, loc));
}

/** Zeroes a storage place as `delete` does: every value, member and fixed-size element; mappings are left alone. */
function clear(L: FunctionLowerer, p: Place, loc: SrcLoc, budget: { n: bigint }): void {
  const t = p.type;
  switch (t.kind) {
    case 'value':
      if (--budget.n < 0n) unsupported('delete of more than 64 storage values', loc);
      sstoreAt(L, p, L.const(t.type, 0n, loc), loc);
      return;
    case 'mapping':
      return;
    case 'bytes':
      // solc clears a byte string inside a struct or array as `delete s` does (bytewrites.ts).
      if (p.choice || p.packed) unsupported('delete of a byte string chosen by a non-constant index', loc);
      if (--budget.n < 0n) unsupported('delete of more than 64 storage values', loc);
      return deleteBytesAt(L, slotVal(L, p, loc), loc);
    case 'struct':
      for (const m of t.members) clear(L, memberOf(L, p, m.name, loc), loc, budget);
      return;
    case 'array':
      if (t.length === null) {
        if (p.choice || p.packed) unsupported('delete of a dynamic array chosen by a non-constant index', loc);
        return clearDynamicArray(L, slotVal(L, p, loc), t.elem, loc);
      }
      if (storageSlots(t) > MAX_CLEARED_SLOTS) unsupported('delete of a fixed-size array of more than 64 slots', loc);
      if (t.elem.kind === 'value') {
        // solc clears a fixed-size array of value types slot by slot (whole words, checked on the EVM).
        for (let s = 0n; s < storageSlots(t); s++) clear(L, addSlots(L, { ...p, type: WORD }, s, WORD, loc), loc, budget);
        return;
      }
      for (let i = 0n; i < t.length; i++) clear(L, addSlots(L, { ...p, type: t.elem }, i * storageSlots(t.elem), t.elem, loc), loc, budget);
      return;
  }
}

// ---------------------------------------------------------------- hooks called from function.ts / ops.ts

declare module './function.ts' {
  interface FunctionLowerer {
    /** The value of a struct member, array element or array length access; null when `e` is none of these. */
    aggregateRead(e: AstNode, loc: SrcLoc): Val | null;
    /** The l-value of a struct member or array element; null when `e` is none of these. */
    aggregateLValue(e: AstNode): AggLValue | null;
    /** Lowers a declaration of a struct or array local; false when the declaration is of another type. */
    aggregateDecl(s: AstNode, loc: SrcLoc): boolean;
    /** Lowers an assignment of a whole struct or array; false when the assigned type is another. */
    aggregateAssign(e: AstNode, loc: SrcLoc): boolean;
    /** Lowers `delete` of a struct or array; false when the operand is of another type. */
    aggregateDelete(e: AstNode, loc: SrcLoc): boolean;
    /** Lowers `a.push(…)`/`a.pop()` on a storage array; false when `e` is another call. */
    aggregateCall(e: AstNode, loc: SrcLoc): boolean;
    /**
     * Evaluates the argument of a storage pointer parameter (a struct or array `storage` parameter of an
     * internal function, library function or modifier) to its place; null for other parameters. The
     * returned value is a placeholder: the place is bound by `aggregateBindParam`.
     */
    aggregateArg(a: AstNode, param: AstNode): Val | null;
    /** Binds a storage pointer parameter to the place its argument evaluated to; false for other parameters. */
    aggregateBindParam(param: AstNode): boolean;
    /**
     * Declares an entry point's memory struct return variable `p` (members zero, an ordinary memory
     * struct local): its member keys and types; null when `p` is no memory struct.
     */
    aggregateStructReturn(p: AstNode): { key: VarKey; type: ValueType }[] | null;
    /** The member values `return e;` gives the struct return variable `declId`: a copy of e (nothing can write a memory local after the return). */
    aggregateReturnedStruct(declId: number, e: AstNode): Val[];
    /** The elements of a fixed-size storage array of value types, read in order (a copy to memory, see memarrays.ts). */
    aggregateFixedValues(e: AstNode, elem: ValueType, n: bigint, loc: SrcLoc): Val[];
    /** A dynamic storage array of value types copied to memory: its length (read now) and length slot (see memarrays.ts). */
    aggregateDynamicArray(e: AstNode, loc: SrcLoc): { len: Val; slot: SlotPath };
    /**
     * The slot of a `string`/`bytes` in storage reached through a struct, an array or a storage pointer
     * (`proposals[id].description`, `names[i]`, `p.uri`), evaluating keys and indexes (bounds-checked);
     * null for other expressions.
     */
    aggregateBytesPlace(e: AstNode): SlotPath | null;
    /** Whether `e` is such a place (nothing is evaluated), and whether evaluating it is pure (`placeIsPure`). */
    aggregateBytesProbe(e: AstNode): { readonly pure: boolean } | null;
    /** `p.description` of a read-only memory struct with byte-string members; null for other expressions. */
    aggregateMemBytes(e: AstNode): ReturnType<typeof byteStringExpr> | null;
  }
}

const P = FunctionLowerer.prototype;

P.aggregateFixedValues = function (this: FunctionLowerer, e: AstNode, elem: ValueType, n: bigint, loc: SrcLoc): Val[] {
  return fixedStorageArrayValues(this, e, elem, n, loc);
};

P.aggregateDynamicArray = function (this: FunctionLowerer, e: AstNode, loc: SrcLoc): { len: Val; slot: SlotPath } {
  const p = mustPlace(this, e);
  if (p.type.kind !== 'array' || p.type.length !== null || p.type.elem.kind !== 'value' || p.choice || p.packed) unsupported(`copy of ${typeStringOf(e)} to memory`, loc);
  return { len: lengthOf(this, p, loc), slot: { root: p.root, keys: p.steps } };
};

P.aggregateBytesPlace = function (this: FunctionLowerer, e: AstNode): SlotPath | null {
  if (!involvesAggregate(this, e)) return null;
  const loc = this.ctx.loc(e);
  const p = mustPlace(this, e);
  if (p.type.kind !== 'bytes' || p.choice || p.packed) unsupported(`${typeStringOf(e)} at a place of this form`, loc);
  return slotVal(this, p, loc);
};

P.aggregateMemBytes = function (this: FunctionLowerer, e: AstNode): ReturnType<typeof byteStringExpr> | null {
  const bm = bytesMemMember(this, e);
  if (!bm || bm.m.type.kind !== 'bytes') return null;
  const data = readBytesVar(this, bytesMemKey(bm.declId, bm.i));
  invariant(data !== undefined, 'memory struct byte string');
  return data;
};

P.aggregateBytesProbe = function (this: FunctionLowerer, e: AstNode): { readonly pure: boolean } | null {
  return involvesAggregate(this, e) ? { pure: placeIsPure(this, e) } : null;
};

/**
 * True when evaluating the storage place `e` can neither revert nor have effects: state variables,
 * storage pointers, struct members and mapping lookups with pure keys (no array index, whose bounds
 * check can revert). solc evaluates such a place where it stands but may read the bytes later.
 */
function placeIsPure(L: FunctionLowerer, e: AstNode): boolean {
  switch (e.nodeType) {
    case 'Identifier':
      return true;
    case 'TupleExpression':
      return e.components?.length === 1 && e.components[0] ? placeIsPure(L, e.components[0]) : false;
    case 'MemberAccess':
      return typeStringOf(e.expression).startsWith('struct ') && placeIsPure(L, e.expression);
    case 'IndexAccess':
      return parseTypeString(typeStringOf(e.baseExpression)).kind === 'mapping' && Boolean(e.indexExpression) && L.isPure(e.indexExpression) && enumMembersOf(L.ctx, e.indexExpression) === null && placeIsPure(L, e.baseExpression);
    default:
      return false;
  }
}

P.aggregateRead = function (this: FunctionLowerer, e: AstNode, loc: SrcLoc): Val | null {
  // `.length` of a stored byte string (or a memory struct's) is the byte string's (bytes.ts).
  if (e.nodeType === 'MemberAccess' && e.memberName === 'length' && /^(string|bytes)( storage (ref|pointer)| memory)$/.test(typeStringOf(e.expression))) return null;
  const bm = bytesMemMember(this, e);
  if (bm && bm.m.type.kind === 'value') {
    const b = this.b.env.get(memKey(bm.declId, bm.i));
    invariant(b !== undefined, 'memory struct member');
    return { v: b.v, t: b.t };
  }
  const cd = calldataStructRead(this, e, loc);
  if (cd) return cd;
  const fromCall = callStructMember(this, e, loc);
  if (fromCall) return fromCall;
  const mm = memMember(this, e);
  if (mm) {
    const b = this.b.env.get(mm.key);
    invariant(b !== undefined, 'memory struct member');
    return { v: b.v, t: b.t };
  }
  if (!involvesAggregate(this, e)) return null;
  if (e.nodeType === 'MemberAccess' && e.memberName === 'length' && /\]( storage|$)/.test(typeStringOf(e.expression))) {
    const arr = mustPlace(this, e.expression);
    invariant(arr.type.kind === 'array', 'length of a non-array');
    return arr.type.length === null ? lengthOf(this, arr, loc) : this.const(U256, arr.type.length, loc);
  }
  const p = mustPlace(this, e);
  if (p.type.kind !== 'value') unsupported(`${typeStringOf(e)} used as a value`, loc);
  return sloadAt(this, p, p.type.type, loc);
};

P.aggregateLValue = function (this: FunctionLowerer, e: AstNode): AggLValue | null {
  const loc = this.ctx.loc(e);
  const mm = memMember(this, e);
  if (mm) return { kind: 'local', key: mm.key, t: mm.t };
  if (!involvesAggregate(this, e)) return null;
  if (e.nodeType === 'Identifier' && state(this).ptrs.has(e.referencedDeclaration)) unsupported('reassignment of a storage pointer', loc);
  const p = mustPlace(this, e);
  if (p.type.kind !== 'value') unsupported(`assignment to ${typeStringOf(e)}`, loc);
  const t = p.type.type;
  if (p.choice || p.packed) return { kind: 'custom', t, load: (at) => sloadAt(this, p, t, at), store: (v, at) => sstoreAt(this, p, v, at) };
  return { kind: 'storage', path: slotVal(this, p, loc), offset: p.byteOffset, t };
};

P.aggregateDecl = function (this: FunctionLowerer, s: AstNode, loc: SrcLoc): boolean {
  const decls: (AstNode | null)[] = s.declarations;
  const d = decls.length === 1 ? decls[0] : null;
  if (!d || !isAggregateTypeString(typeStringOf(d))) return false;
  if (d.storageLocation === 'storage') {
    if (!s.initialValue) unsupported('storage pointer without initial value', loc);
    const p = placeOf(this, s.initialValue);
    if (!p) unsupported(`storage pointer to ${typeStringOf(s.initialValue)}`, loc);
    state(this).ptrs.set(d.id, p);
    setPointerSteps(this, d.id, p);
    return true;
  }
  if (d.storageLocation !== 'memory') unsupported(`${d.storageLocation} variable of type ${typeStringOf(d)}`, loc);
  if (memStructWithBytes(this, d, s.initialValue, loc)) return true;
  const st = valueStruct(storageTypeOf(this.ctx, d.typeName, loc), loc, `memory variable of type ${typeStringOf(d)}`);
  const values = s.initialValue ? structValue(this, s.initialValue, st, false) : st.members.map((m) => this.const(memberValueType(m), 0n, loc));
  if (this.b.dead) return true;
  state(this).mems.set(d.id, st);
  values.forEach((v, i) => this.b.env.set(memKey(d.id, i), this.convert(v, memberValueType(st.members[i]!), loc)));
  return true;
};

P.aggregateAssign = function (this: FunctionLowerer, e: AstNode, loc: SrcLoc): boolean {
  const lhs = e.leftHandSide;
  if (!isAggregateTypeString(typeStringOf(lhs))) return false;
  if (e.operator !== '=') unsupported(`${e.operator} on ${typeStringOf(lhs)}`, loc);
  if (lhs.nodeType === 'Identifier' && state(this).ptrs.has(lhs.referencedDeclaration)) {
    reassignPointer(this, lhs.referencedDeclaration, e.rightHandSide, loc);
    return true;
  }
  if (isEmptyNewArray(e.rightHandSide) && /\[\] storage ref$/.test(typeStringOf(lhs))) {
    // `a = new T[](0)`: the (empty) memory array is made first, then it is copied over the storage array:
    // with no element to copy, that is exactly `delete a` (see storarrays.ts).
    const p = mustPlace(this, lhs);
    if (this.b.dead) return true;
    invariant(p.type.kind === 'array' && p.type.length === null, 'assignment of an empty array to a dynamic array');
    if (p.choice || p.packed) unsupported('assignment to a dynamic array chosen by a non-constant index', loc);
    clearDynamicArray(this, slotVal(this, p, loc), p.type.elem, loc);
    return true;
  }
  if (/\[\] storage ref$/.test(typeStringOf(lhs)) && /\[\] (storage ref|calldata|memory)$/.test(typeStringOf(e.rightHandSide))) {
    // Legacy order: the source (a storage array's place, or an array parameter), then the target.
    const rhs = e.rightHandSide;
    const fromStorage = /storage ref$/.test(typeStringOf(rhs));
    const src = fromStorage ? mustPlace(this, rhs) : arrayOf(this, rhs);
    if (this.b.dead) return true;
    if (src === null) unsupported(`copy of ${typeStringOf(rhs)} to storage`, loc);
    const p = mustPlace(this, lhs);
    if (this.b.dead) return true;
    invariant(p.type.kind === 'array' && p.type.length === null, 'copy to a dynamic storage array');
    if (p.choice || p.packed) unsupported('copy to a dynamic array chosen by a non-constant index', loc);
    if ('root' in src) {
      if (src.choice || src.packed || src.type.kind !== 'array' || src.type.length !== null) unsupported(`copy of ${typeStringOf(rhs)} to storage`, loc);
      copyToDynamicArray(this, slotVal(this, p, loc), p.type.elem, { kind: 'storage', slot: slotVal(this, src, loc), elem: src.type.elem }, loc);
    } else copyToDynamicArray(this, slotVal(this, p, loc), p.type.elem, { kind: 'calldata', len: src.len, start: src.start, elem: { kind: 'value', type: src.elem, bytes: storageBytesOf(src.elem) } }, loc);
    return true;
  }
  if (!typeStringOf(lhs).startsWith('struct ')) unsupported(`assignment of ${typeStringOf(lhs)}`, loc);
  // Memory struct local: the right side is a fresh copy (storage, constructor); another local would alias.
  if (lhs.nodeType === 'Identifier' && state(this).mems.has(lhs.referencedDeclaration)) {
    const st = state(this).mems.get(lhs.referencedDeclaration)!;
    const values = structValue(this, e.rightHandSide, st, false);
    if (this.b.dead) return true;
    values.forEach((v, i) => this.b.env.set(memKey(lhs.referencedDeclaration, i), this.convert(v, memberValueType(st.members[i]!), loc)));
    return true;
  }
  if (lhs.nodeType === 'Identifier' && state(this).ptrs.has(lhs.referencedDeclaration)) unsupported('reassignment of a storage pointer', loc);
  if (!typeStringOf(lhs).includes(' storage')) unsupported(`assignment to ${typeStringOf(lhs)}`, loc);
  // Storage struct, in legacy order: the right side (its place, or a constructor's arguments), then the
  // target place, then the members are read and written one by one.
  const probe = storageTypeOfExpr(this, lhs, loc);
  const mixed = bytesStructCtor(this, e.rightHandSide, probe, loc);
  if (mixed) {
    if (this.b.dead) return true;
    const p = mustPlace(this, lhs);
    if (this.b.dead) return true;
    writeWithBytes(this, p, mixed, loc);
    return true;
  }
  const st = valueStruct(probe, loc, `assignment of ${typeStringOf(lhs)} (members that are not value types)`);
  const read = structSource(this, e.rightHandSide, st, true);
  if (this.b.dead) return true;
  const p = mustPlace(this, lhs);
  if (this.b.dead) return true;
  writeStruct(this, p, read(), loc);
  return true;
};

/** `p.member` of a read-only memory struct with byte-string members; null for other expressions. */
function bytesMemMember(L: FunctionLowerer, e: AstNode): { declId: number; i: number; m: StructMember } | null {
  if (e?.nodeType !== 'MemberAccess' || e.expression?.nodeType !== 'Identifier') return null;
  const declId: number = e.expression.referencedDeclaration;
  const st = state(L).bmems.get(declId);
  if (!st) return null;
  const i = st.members.findIndex((m) => m.name === e.memberName);
  invariant(i >= 0, `struct member ${e.memberName}`);
  return { declId, i, m: st.members[i]! };
}

const bytesMemKey = (declId: number, i: number): string => `bmem:${declId}:${i}`;

/**
 * `S memory p = <storage struct>` (or `= S(…)`, or no initial value) for a struct with `string`/`bytes`
 * members: the members copied in order as solc copies them (a stored byte string with its Panic 0x22
 * check, zero past its length); false for structs without byte-string members.
 */
function memStructWithBytes(L: FunctionLowerer, d: AstNode, init: AstNode | undefined, loc: SrcLoc): boolean {
  const t = storageTypeOf(L.ctx, d.typeName, loc);
  if (t.kind !== 'struct' || !t.members.some((m) => m.type.kind === 'bytes')) return false;
  if (!t.members.every((m) => m.type.kind === 'value' || m.type.kind === 'bytes')) unsupported(`memory variable of type ${typeStringOf(d)}`, loc);
  let values: MemberValue[];
  if (!init) values = t.members.map((m) => (m.type.kind === 'bytes' ? { bytes: { len: L.const(U256, 0n, loc), words: [], literal: new Uint8Array() } } : { val: L.const(memberValueType(m), 0n, loc) }));
  else if (/ storage (ref|pointer)$/.test(typeStringOf(init))) {
    const p = mustPlace(L, init);
    if (L.b.dead) return true;
    if (p.choice || p.packed) unsupported(`copy of ${typeStringOf(init)} chosen by a non-constant index`, loc);
    values = t.members.map((m): MemberValue => {
      const q = memberOf(L, p, m.name, loc);
      if (m.type.kind === 'value') return { val: sloadAt(L, q, m.type.type, loc) };
      const b = loadStorageBytes(L, slotVal(L, q, loc), loc, false);
      return { bytes: { len: b.len, words: [b.data] } };
    });
  } else values = bytesStructCtor(L, init, t, loc) ?? [];
  if (L.b.dead) return true;
  state(L).bmems.set(d.id, t);
  t.members.forEach((m, i) => {
    const v = values[i]!;
    if ('val' in v) L.b.env.set(memKey(d.id, i), L.convert(v.val, memberValueType(m), loc));
    else bindBytesVar(L, bytesMemKey(d.id, i), v.bytes, loc);
  });
  return true;
}

/** A member's value in a struct constructor: a value, or a byte string (copied to memory when evaluated). */
type MemberValue = { readonly val: Val } | { readonly bytes: ReturnType<typeof byteStringExpr> };

/**
 * The members of a struct constructor `S(...)` for a struct with `string`/`bytes` members, its arguments
 * evaluated in source order (a byte string is copied to memory then, as solc builds the memory struct);
 * null when the struct has no byte-string member. Other right sides (a copy of another struct holding
 * byte strings) and members of other types stay unsupported.
 */
function bytesStructCtor(L: FunctionLowerer, e: AstNode, t: StorageType, loc: SrcLoc): MemberValue[] | null {
  if (t.kind !== 'struct' || !t.members.some((m) => m.type.kind === 'bytes')) return null;
  const x = e.nodeType === 'TupleExpression' && e.components?.length === 1 && e.components[0] ? e.components[0] : e;
  if (x.nodeType !== 'FunctionCall' || x.kind !== 'structConstructorCall') unsupported(`copy of ${typeStringOf(e)} (a struct with string/bytes members) other than from a struct constructor`, loc);
  if (!t.members.every((m) => m.type.kind === 'value' || m.type.kind === 'bytes')) unsupported(`struct constructor of ${typeStringOf(e)} with members that are neither value types nor byte strings`, loc);
  const names: string[] = x.names ?? [];
  const args: AstNode[] = x.arguments;
  if (names.length > 0 && !args.every((a) => L.isPure(a))) unsupported('named struct constructor arguments with side effects', loc);
  const got = new Map<StructMember, MemberValue>();
  for (const [j, a] of args.entries()) {
    const m = names.length > 0 ? t.members.find((y) => y.name === names[j]) : t.members[j];
    invariant(m !== undefined, 'struct constructor argument');
    got.set(m, m.type.kind === 'bytes' ? { bytes: readNow(L, a, false) } : { val: L.expr(a, memberValueType(m)) });
    if (L.b.dead) return [];
  }
  return t.members.map((m) => {
    const v = got.get(m);
    invariant(v !== undefined, `struct constructor member ${m.name}`);
    return v;
  });
}

/** Writes a struct's members in order: values as words, byte strings as solc copies them to storage. */
function writeWithBytes(L: FunctionLowerer, p: Place, values: readonly MemberValue[], loc: SrcLoc): void {
  invariant(p.type.kind === 'struct', 'struct write');
  if (p.choice || p.packed) unsupported('struct with string/bytes members chosen by a non-constant index', loc);
  p.type.members.forEach((m, i) => {
    const v = values[i]!;
    const q = memberOf(L, p, m.name, loc);
    if ('val' in v) sstoreAt(L, q, v.val, loc);
    else writeBytes(L, slotVal(L, q, loc), v.bytes.len, v.bytes.words, loc);
  });
}

/** The storage type of a storage struct expression, found from its struct definition (nothing is evaluated). */
function storageTypeOfExpr(L: FunctionLowerer, e: AstNode, loc: SrcLoc): StorageType {
  const m = (e.typeDescriptions?.typeIdentifier ?? '').match(/^t_struct\$_[A-Za-z0-9_$]*?_\$(\d+)_/);
  const d = m ? L.ctx.node(Number(m[1])) : undefined;
  if (d?.nodeType !== 'StructDefinition') unsupported(`assignment of ${typeStringOf(e)}`, loc);
  return structType(L.ctx, d, loc, 0);
}

P.aggregateDelete = function (this: FunctionLowerer, e: AstNode, loc: SrcLoc): boolean {
  if (!isAggregateTypeString(typeStringOf(e))) return false;
  if (e.nodeType === 'Identifier' && state(this).mems.has(e.referencedDeclaration)) {
    const st = state(this).mems.get(e.referencedDeclaration)!;
    st.members.forEach((m, i) => this.b.env.set(memKey(e.referencedDeclaration, i), this.const(memberValueType(m), 0n, loc)));
    return true;
  }
  if (!typeStringOf(e).includes(' storage')) unsupported(`delete of ${typeStringOf(e)}`, loc);
  if (e.nodeType === 'Identifier' && state(this).ptrs.has(e.referencedDeclaration)) {
    // `delete p` on a storage pointer is rejected by solc; keep the guard for safety.
    unsupported('delete of a storage pointer', loc);
  }
  const p = mustPlace(this, e);
  clear(this, p, loc, { n: MAX_CLEARED_SLOTS });
  return true;
};

P.aggregateCall = function (this: FunctionLowerer, e: AstNode, loc: SrcLoc): boolean {
  if (e.nodeType !== 'FunctionCall' || e.kind !== 'functionCall') return false;
  const callee = e.expression;
  if (callee?.nodeType !== 'MemberAccess' || (callee.memberName !== 'push' && callee.memberName !== 'pop')) return false;
  if (!/\] storage/.test(typeStringOf(callee.expression))) return false;
  const arr = mustPlace(this, callee.expression);
  if (arr.type.kind !== 'array' || arr.type.length !== null) unsupported(`${callee.memberName} on ${typeStringOf(callee.expression)}`, loc);
  const elemType = arr.type.elem;
  const args: AstNode[] = e.arguments;
  if (callee.memberName === 'push') {
    // Array reference, then the argument, then the length check and write (legacy code generator order).
    let values: Val[] | null = null;
    let bytes: ReturnType<typeof byteStringExpr> | null = null;
    let mixed: MemberValue[] | null = null;
    if (args.length === 1) {
      if (elemType.kind === 'bytes') {
        // A copy from another stored byte string reads it after the length is raised: not modelled.
        if (/ storage (ref|pointer)$/.test(typeStringOf(args[0]))) unsupported(`push of ${typeStringOf(args[0])}`, loc);
        bytes = byteStringExpr(this, args[0], false);
        values = [];
      } else if (elemType.kind === 'value') values = [this.expr(args[0], elemType.type)];
      else {
        mixed = bytesStructCtor(this, args[0], elemType, loc);
        values = mixed ? [] : structValue(this, args[0], valueStruct(elemType, loc, `push of ${typeStringOf(args[0])}`), true);
      }
      if (this.b.dead) return true;
    }
    // solc's legacy code generator does not limit the length here (checked on the EVM: a length of
    // 2^64 or more is incremented like any other).
    const len = lengthOf(this, arr, loc);
    sstoreAt(this, retype(arr, WORD), this.binOp('add', len, this.const(U256, 1n, loc), loc), loc);
    const slot = elementOf(this, arr, len, loc, false);
    // `push()` only raises the length: the element keeps whatever the slots held (checked on the EVM).
    if (values === null) return true;
    if (bytes) writeBytes(this, slotVal(this, slot, loc), bytes.len, bytes.words, loc);
    else if (mixed) writeWithBytes(this, slot, mixed, loc);
    else if (elemType.kind === 'value') sstoreAt(this, slot, values[0]!, loc);
    else writeStruct(this, slot, values, loc);
    return true;
  }
  const len = lengthOf(this, arr, loc);
  this.guardNotOp(this.binOp('eq', len, this.const(U256, 0n, loc), loc, BOOL), panicData(0x31), loc);
  const last = this.binOp('sub', len, this.const(U256, 1n, loc), loc);
  clear(this, elementOf(this, arr, last, loc, false), loc, { n: MAX_CLEARED_SLOTS });
  sstoreAt(this, retype(arr, WORD), last, loc);
  return true;
};


P.aggregateArg = function (this: FunctionLowerer, a: AstNode, param: AstNode): Val | null {
  const pointer = functionPointerArg(this, a, param);
  if (pointer) return pointer;
  if (param?.storageLocation === 'memory' && /^struct /.test(typeStringOf(param))) {
    const fn = this.ctx.node(param.scope);
    if (fn === undefined || !isExternalLibraryFunction(this.ctx, fn)) return null;
    // A DELEGATECALL's arguments are ABI-encoded and decoded again: the library gets a copy of the
    // members, clean (as memory values always are) and valid, so decoding cannot revert. The members are
    // read when the call is encoded, after every argument was evaluated (structSource).
    const loc = this.ctx.loc(a);
    const st = valueStruct(storageTypeOf(this.ctx, param.typeName, loc), loc, `external library call with a ${typeStringOf(param)} parameter`);
    state(this).libStructs.set(param.id, { st, values: structSource(this, a, st, true) });
    return { v: -1, t: U256 };
  }
  // Storage references to structs and arrays, and to mappings (`mapping(address => Reserve) storage reserves`).
  if (param?.storageLocation !== 'storage' || !(isAggregateTypeString(typeStringOf(param)) || typeStringOf(param).startsWith('mapping('))) return null;
  const p = placeOf(this, a);
  if (!p) unsupported(`storage pointer argument ${typeStringOf(a)}`, this.ctx.loc(a));
  state(this).args.set(param.id, p);
  return { v: -1, t: U256 };
};

P.aggregateBindParam = function (this: FunctionLowerer, param: AstNode): boolean {
  if (bindFunctionPointer(this, param)) return true;
  const copied = state(this).libStructs.get(param.id);
  if (copied) {
    // The library's parameter is a memory struct local of its own holding the copied members.
    state(this).libStructs.delete(param.id);
    state(this).mems.set(param.id, copied.st);
    copied.values().forEach((v, i) => this.b.env.set(memKey(param.id, i), v));
    return true;
  }
  const sp = takeStructParam(this, param.id);
  if (sp) {
    if (sp.shape.array) bindFixedArrayParam(this, param.id, sp.first, sp.values.length, sp.shape.array.elem, sp.shape.location, sp.values[0]!, this.ctx.loc(param));
    else if (sp.shape.location === 'calldata') bindCalldataStruct(this, param.id, sp.shape, sp.values);
    else {
      // A memory struct parameter is a memory struct local holding the decoded members.
      const loc = this.ctx.loc(param);
      const st = valueStruct(storageTypeOf(this.ctx, param.typeName, loc), loc, `parameter of type ${typeStringOf(param)}`);
      state(this).mems.set(param.id, st);
      sp.values.forEach((v, i) => this.b.env.set(memKey(param.id, i), this.convert(v, memberValueType(st.members[i]!), loc)));
    }
    return true;
  }
  const p = state(this).args.get(param.id);
  if (!p) {
    if (param?.storageLocation === 'storage') unsupported(`storage parameter of type ${typeStringOf(param)}`, this.ctx.loc(param));
    return false;
  }
  state(this).args.delete(param.id);
  state(this).ptrs.set(param.id, p);
  return true;
};

P.aggregateStructReturn = function (this: FunctionLowerer, p: AstNode): { key: VarKey; type: ValueType }[] | null {
  if (p?.storageLocation !== 'memory' || !typeStringOf(p).startsWith('struct ')) return null;
  const loc = this.ctx.loc(p);
  const st = valueStruct(storageTypeOf(this.ctx, p.typeName, loc), loc, `return value of type ${typeStringOf(p)}`);
  state(this).mems.set(p.id, st);
  return st.members.map((m, i) => {
    const type = memberValueType(m);
    this.b.env.set(memKey(p.id, i), this.const(type, 0n, loc));
    return { key: memKey(p.id, i), type };
  });
};

P.aggregateReturnedStruct = function (this: FunctionLowerer, declId: number, e: AstNode): Val[] {
  const st = state(this).mems.get(declId);
  invariant(st !== undefined, 'struct return variable');
  return structValue(this, e, st, true);
};

