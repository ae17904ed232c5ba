import type { SrcLoc } from '../../util/loc.ts';
import { invariant } from '../../util/assert.ts';
import { BOOL, U256, typeBits, type BytesPart, type KeccakPart, type Param, type SlotPath, type ValueType, type Word } from '../types.ts';
import { isBuiltinRef, unsupported, type AstNode } from './context.ts';
import { panicData, type FunctionLowerer, type Val } from './function.ts';
import type { VarKey } from './builder.ts';
import { abiEncoderOf, constParts, enumMembersOf, guardEnumEncodable } from './exprs.ts';
import { abiEncode, bindBytesVar, calldataStarts, byteStringExpr, byteValueTable, bytesVarKeys, isByteArrayType, literalBytes, readArg, readBytesVar, readNow, storedLength, type AbiItem, type ByteStringData } from './bytes.ts';
import { memArrayItem, type MemShape } from './memarrays.ts';
import { arrayTypeNameElem } from './arrays.ts';
import { bytesPlace, stripConversion } from './bytewrites.ts';
import { bindRetData, newRef, refCall, retDataRef } from './retdata.ts';
import { isLowLevelCall } from './external.ts';

/**
 * Byte strings as values in memory: return variables of byte-string type (functions with modifiers,
 * internal functions, next to other return values), reassigned `string memory` locals, and the byte
 * strings `string.concat`, `bytes.concat` and `abi.encodePacked` build. A variable holds a data token and
 * a length in the SSA environment (see bytes.ts `bindBytesVar`); memory byte strings are never written
 * byte by byte here (`b[i] = x` stays unsupported), so sharing one between two variables, as Solidity's
 * reference semantics do, is the same as copying it.
 */

/** A return variable of a function being inlined (`key`/`type` as for value returns; `bytes` its declaration). */
export interface ReturnVar {
  readonly key: VarKey;
  readonly type: ValueType;
  readonly bytes?: number;
  /** A `bytes calldata` return value: it leaves the call with where it starts in calldata. */
  readonly calldata?: true;
  /** A memory array return variable (its value is a reference, see memarrays.ts). */
  readonly ref?: MemShape;
  /** Member `index` of the entry point's struct return variable `decl` (see structreturns.ts). */
  readonly member?: { readonly decl: number; readonly index: number };
}

/**
 * A `string`/`bytes` return parameter: a `memory` one is bound to the empty string, as solc initialises
 * it. A `calldata` one (`_msgData()`) must be assigned on every path that returns (solc rejects the
 * function otherwise), so its initial binding is never returned; it is the empty string too.
 */
export function bytesReturnVar(L: FunctionLowerer, p: AstNode, loc: SrcLoc): ReturnVar {
  if (p.storageLocation !== 'memory' && p.storageLocation !== 'calldata') unsupported(`string/bytes return value in ${p.storageLocation} location`, loc);
  bindBytesVar(L, p.id, literalBytes(L, new Uint8Array(), loc), loc);
  return { key: bytesVarKeys(p.id).tok, type: U256, bytes: p.id, ...(p.storageLocation === 'calldata' ? { calldata: true as const } : {}) };
}

/**
 * What the byte-string return variables leave the inlined call with beside their tokens: each one's
 * length, and for a `calldata` one its calldata start (a constant 0 and `false` in `starts` when it is
 * not known here: the bytes are then not calldata to the caller). A return variable holding a call's
 * returned bytes (`refs[i]`, retdata.ts) leaves that reference in the length's place.
 */
export function bytesResultLengths(L: FunctionLowerer, returns: readonly ReturnVar[], refs: readonly (Val | null)[], fn: string, loc: SrcLoc): { extra: Val[]; starts: boolean[] } {
  const starts: boolean[] = [];
  const extra = returns.flatMap((r, i) => {
    if (r.bytes === undefined) return [];
    const k = bytesVarKeys(r.bytes);
    const len = refs[i] ?? L.b.env.get(k.len);
    if (len === undefined) unsupported(`${fn} returning a call's returned bytes on some paths only`, loc);
    if (!r.calldata) return [{ v: len.v, t: U256 }];
    const cd = L.b.env.get(k.cd);
    starts.push(cd !== undefined);
    return [{ v: len.v, t: U256 }, { v: cd?.v ?? L.const(U256, 0n, L.ctx.loc(L.ctx.node(r.bytes))).v, t: U256 }];
  });
  return { extra, starts };
}

/**
 * Records the byte strings an inlined call returns: `results` are the call's results (tokens at byte-
 * string positions) followed by their lengths; returns the results alone. `inner` are the same values
 * inside the callee, whose constant words (literals) are kept.
 */
export function bytesResults(L: FunctionLowerer, returns: readonly ReturnVar[], inner: readonly Val[], results: readonly Val[], starts: readonly boolean[]): Val[] {
  const table = byteValueTable(L);
  let extra = returns.length;
  let cdIndex = 0;
  returns.forEach((r, i) => {
    if (r.bytes === undefined) return;
    const tok = results[i]!;
    const len = results[extra++]!;
    const start = r.calldata ? results[extra++]! : undefined;
    const hasStart = r.calldata ? starts[cdIndex++] === true : false;
    const known = table.get(inner[i]!.v);
    table.set(tok.v, known?.literal ? known : { len, words: [{ kind: 'bytes', value: tok.v }], ...(hasStart && start ? { calldata: start } : {}) });
  });
  return results.slice(0, returns.length);
}

/**
 * `return e;` in a function with a byte-string return value: each component is evaluated in order and
 * assigned to its return variable. A stored byte string is read where it stands, while solc copies it
 * when the return variables are assigned, after every component: so the others must be free of effects
 * and reverts.
 */
export function returnWithBytes(L: FunctionLowerer, e: AstNode, rets: readonly ReturnVar[], loc: SrcLoc): void {
  const comps: (AstNode | null)[] | null = rets.length === 1 ? [e] : e.nodeType === 'TupleExpression' ? e.components : null;
  if (comps === null) {
    // `return f();` with f returning the same tuple.
    const vals = L.call(e, loc);
    if (L.b.dead) return;
    rets.forEach((r, i) => {
      const v = vals[i];
      invariant(v !== undefined && v !== null, 'return arity');
      if (r.bytes === undefined) L.b.env.set(r.key, L.convert(v, r.type, loc));
      else bindBytesVar(L, r.bytes, bytesOfValue(L, v, loc), loc);
    });
    return;
  }
  const args = comps.map((c) => {
    invariant(c !== null, 'return component');
    return c;
  });
  const only = rets.length === 1 ? rets[0]!.bytes : undefined;
  if (only !== undefined) {
    // One byte-string result: it may be a call's returned bytes, returned as their reference.
    const x = bytesOrRef(L, e, loc);
    if (L.b.dead) return;
    if ('ref' in x) bindRetData(L, only, x.ref);
    else bindBytesVar(L, only, x.data, loc);
    return;
  }
  const values = evalDeferred(L, args, (a) => isStoredBytes(a) && rets[args.indexOf(a)]?.bytes !== undefined, (c, i): { val: Val } | { data: ByteStringData } => {
    const r = rets[i]!;
    return r.bytes === undefined ? { val: L.expr(c, r.type) } : { data: readArg(L, args, i, false) };
  }, loc);
  if (values === null) return;
  rets.forEach((r, i) => {
    const v = values[i]!;
    if ('val' in v) L.b.env.set(r.key, L.convert(v.val, r.type, loc));
    else bindBytesVar(L, r.bytes!, v.data, loc);
  });
}

/** The byte string an internal call returned as `v` (see `bytesResults`). */
export function bytesOfValue(L: FunctionLowerer, v: Val, loc: SrcLoc): ByteStringData {
  const data = byteValueTable(L).get(v.v);
  if (!data && refCall(L, v.v) !== null) unsupported("this use of a call's returned bytes (modelled: .length, abi.decode, passing to and returning from internal functions, the assembly re-raise)", loc);
  if (!data) unsupported('byte string of this form', loc);
  return data;
}

/** An entry point's return data when some return value is a byte string: the standard ABI encoding. */
export function entryReturnWords(L: FunctionLowerer, results: readonly Val[], returns: readonly Param[], loc: SrcLoc): Word[] {
  const items: AbiItem[] = results.map((r, i) => {
    const p = returns[i]!;
    if (p.typeName === 'string' || p.typeName === 'bytes') return { kind: 'bytes', data: bytesOfValue(L, r, loc) };
    const elem = arrayTypeNameElem(p.typeName);
    if (elem) return memArrayItem(L, r, elem, loc);
    guardEnumEncodable(L, r, p.enumMembers, loc);
    return { kind: 'value', val: L.convert(r, p.type, loc) };
  });
  return abiEncode(L, items, loc);
}

/** `s = v;` where `s` is a `string`/`bytes` memory or calldata variable; false for other assignments. */
export function assignBytesVar(L: FunctionLowerer, e: AstNode, loc: SrcLoc): boolean {
  const lhs = e.leftHandSide;
  if (lhs.nodeType !== 'Identifier' || !isByteArrayType(lhs.typeDescriptions?.typeString) || / storage/.test(lhs.typeDescriptions.typeString)) return false;
  if (readBytesVar(L, lhs.referencedDeclaration) === undefined) unsupported(`assignment to ${lhs.name}`, loc);
  if (e.operator !== '=') unsupported(`${e.operator} on a byte string`, loc);
  const data = readNow(L, e.rightHandSide, false);
  if (!L.b.dead) bindBytesVar(L, lhs.referencedDeclaration, data, loc);
  return true;
}

/** An internal call returning one byte string, as a byte string; null for other expressions. */
export function bytesCall(L: FunctionLowerer, e: AstNode, loc: SrcLoc): ByteStringData | null {
  if (e.nodeType !== 'FunctionCall' || e.kind !== 'functionCall' || abiEncoderOf(e) !== null || concatKind(e) !== null) return null;
  const callee = e.expression;
  if (callee.nodeType === 'Identifier' && isBuiltinRef(callee.referencedDeclaration)) return null;
  const r = L.call(e, loc);
  if (L.b.dead) return literalBytes(L, new Uint8Array(), loc);
  const v = r[0];
  if (r.length !== 1 || !v) unsupported('call used as a single byte string', loc);
  return bytesOfValue(L, v, loc);
}

/**
 * A byte-string expression that may be a call's returned bytes (see retdata.ts): a variable holding them
 * or an internal call returning them gives the reference; anything else its byte string (`readNow`).
 */
export function bytesOrRef(L: FunctionLowerer, e: AstNode, loc: SrcLoc): { ref: Val } | { data: ByteStringData } {
  const ref = retDataRef(L, e);
  if (ref) return { ref };
  const callee = e.expression;
  if (e.nodeType !== 'FunctionCall' || e.kind !== 'functionCall' || abiEncoderOf(e) !== null || concatKind(e) !== null || callee.nodeType === 'NewExpression' || (callee.nodeType === 'Identifier' && isBuiltinRef(callee.referencedDeclaration))) return { data: readNow(L, e, false) };
  const r = L.call(e, loc);
  if (L.b.dead) return { data: literalBytes(L, new Uint8Array(), loc) };
  const v = r[0];
  if (r.length !== 1 || !v) unsupported('call used as a single byte string', loc);
  return !byteValueTable(L).has(v.v) && refCall(L, v.v) !== null ? { ref: v } : { data: bytesOfValue(L, v, loc) };
}

/** `b.length` of a byte-string expression (a call's returned bytes too: their returndatasize). */
export function bytesLength(L: FunctionLowerer, e: AstNode, loc: SrcLoc): Val {
  const x = bytesOrRef(L, e, loc);
  if ('data' in x) return x.data.len;
  const call = refCall(L, x.ref.v);
  if (call === null) unsupported('length of returned bytes of different calls joined from branches', loc);
  return newRef(L, call, loc);
}

/** `string.concat`, `bytes.concat`, or null. */
function concatKind(e: AstNode): 'string' | 'bytes' | null {
  const callee = e?.nodeType === 'FunctionCall' ? e.expression : null;
  if (callee?.nodeType !== 'MemberAccess' || callee.memberName !== 'concat' || callee.expression?.nodeType !== 'ElementaryTypeNameExpression') return null;
  const name = callee.expression.typeName?.name;
  return name === 'string' || name === 'bytes' ? name : null;
}

const stripConv = (e: AstNode): AstNode => (e.nodeType === 'FunctionCall' && e.kind === 'typeConversion' && e.arguments?.length === 1 ? stripConv(e.arguments[0]) : e);

/**
 * Evaluates arguments left to right as solc does for an encoding (`string.concat`, a `return` tuple): a
 * stored byte string is only a reference then and is read after all of them, when it is copied. Its
 * mapping keys are computed at the read, so with keys the other arguments must be free of effects.
 */
function evalDeferred<T>(L: FunctionLowerer, args: readonly AstNode[], stored: (a: AstNode) => boolean, each: (a: AstNode, i: number) => T, loc: SrcLoc): T[] | null {
  const keyed = args.some((a) => stored(a) && stripConv(a).nodeType !== 'Identifier');
  // The length of a byte string can only fail with the same Panic(0x22) a stored copy fails with.
  const quiet = (a: AstNode): boolean =>
    stored(a) || a.nodeType === 'Literal' || L.isPure(a) || (isByteArrayType(a.typeDescriptions?.typeString) && a.nodeType === 'Identifier') ||
    (a.nodeType === 'MemberAccess' && a.memberName === 'length' && isByteArrayType(a.expression.typeDescriptions?.typeString) && quiet(stripConv(a.expression)));
  if (keyed && !args.every(quiet)) unsupported('stored byte string under mapping keys next to values with effects', loc);
  const out: T[] = new Array<T>(args.length);
  for (const pass of [false, true]) {
    for (const [i, a] of args.entries()) {
      if (stored(a) !== pass) continue;
      out[i] = each(a, i);
      if (L.b.dead) return null;
    }
  }
  return out;
}

const isStoredBytes = (a: AstNode): boolean => isByteArrayType(a.typeDescriptions?.typeString) && / storage/.test(a.typeDescriptions.typeString);

/**
 * `string.concat(…)`, `bytes.concat(…)`, or `abi.encodePacked(…)` with a byte-string argument: the
 * arguments evaluated left to right, then one `bcat` of their bytes (value types packed at their width:
 * bytesN N bytes, uintN N/8, address 20, bool 1). Null for other expressions.
 */
export function concatExpr(L: FunctionLowerer, e: AstNode, loc: SrcLoc): ByteStringData | null {
  const kind = concatKind(e);
  const args: AstNode[] = e?.arguments ?? [];
  const packed = abiEncoderOf(e) === 'encodePacked';
  if (kind === null && !packed) return null;
  const items = evalDeferred(L, args, isStoredBytes, (a, i): { data: ByteStringData } | { part: KeccakPart } => {
    const ts: string = a.typeDescriptions?.typeString ?? '';
    if (isByteArrayType(ts) || /^literal_(string|hex)/.test(ts)) return { data: readArg(L, args, i, false) };
    if (enumMembersOf(L.ctx, a) !== null) unsupported('enum packed into a byte string', loc);
    const t = L.valueTypeOf(a, loc, `${ts} packed into a byte string`);
    const v = L.expr(a, t);
    return { part: { word: { kind: 'value', value: v.v, type: t }, bytes: t.kind === 'bool' ? 1 : typeBits(t) / 8 } };
  }, loc);
  if (items === null) return literalBytes(L, new Uint8Array(), loc);
  const only = items[0];
  if (items.length === 1 && only && 'data' in only) return only.data;
  const parts: BytesPart[] = [];
  let fixed = 0n;
  let len: Val | null = null;
  for (const it of items) {
    if ('part' in it) {
      parts.push({ kind: 'packed', part: it.part });
      fixed += BigInt(it.part.bytes);
    } else if (it.data.literal || it.data.parts) {
      // Bytes known part by part (a literal, an ABI encoding): spliced in as they are.
      const known = it.data.literal ? constParts(it.data.literal) : it.data.parts!;
      parts.push(...known.map((part): BytesPart => ({ kind: 'packed', part })));
      fixed += BigInt(known.reduce((n, p) => n + p.bytes, 0));
    } else {
      const w = it.data.words[0];
      invariant(it.data.words.length === 1 && w?.kind === 'bytes', 'byte string without a token');
      parts.push({ kind: 'bytes', value: w.value, len: it.data.len.v });
      len = len === null ? it.data.len : L.binOp('add', len, it.data.len, loc);
    }
  }
  const total = len === null ? L.const(U256, fixed, loc) : fixed === 0n ? len : L.binOp('add', len, L.const(U256, fixed, loc), loc);
  const id = L.b.def({ kind: 'bcat', len: total.v, parts, loc });
  const data: ByteStringData = { len: total, words: [{ kind: 'bytes', value: id }] };
  byteValueTable(L).set(id, data);
  return data;
}

/** `c ? a : b` of byte strings: each arm in its branch, joined (a phi when they differ); null for other expressions. */
export function bytesConditional(L: FunctionLowerer, e: AstNode, loc: SrcLoc): ByteStringData | null {
  if (e.nodeType !== 'Conditional') return null;
  const c = L.expr(e.condition, BOOL);
  if (L.b.dead) return literalBytes(L, new Uint8Array(), loc);
  const key = L.freshKey('bcond');
  const env = new Map(L.b.env);
  const br = L.b.branch(c.v, loc);
  const arm = (block: number, x: AstNode) => {
    L.b.resume(block, env);
    const data = byteStringExpr(L, x, false);
    if (!L.b.dead) bindBytesVar(L, key, data, loc);
    return L.b.leave();
  };
  const exits = [arm(br.then, e.trueExpression), arm(br.else, e.falseExpression)];
  L.b.join(exits, loc);
  if (L.b.dead) return literalBytes(L, new Uint8Array(), loc);
  const data = readBytesVar(L, key);
  invariant(data !== undefined, 'conditional byte string lost');
  const k = bytesVarKeys(key);
  L.b.env.delete(k.tok);
  L.b.env.delete(k.len);
  L.b.env.delete(k.cd);
  return data;
}

/**
 * `(a, b) = f();` where some target is a byte-string variable: the values, then the targets right to
 * left as for value tuples. False when no target is a byte-string variable.
 */
export function assignBytesTuple(L: FunctionLowerer, e: AstNode, loc: SrcLoc): boolean {
  const lhs = e.leftHandSide;
  if (lhs.nodeType !== 'TupleExpression' || e.operator !== '=') return false;
  const comps: (AstNode | null)[] = lhs.components;
  const isVar = (c: AstNode | null): boolean => c !== null && c.nodeType === 'Identifier' && isByteArrayType(c.typeDescriptions?.typeString) && !/ storage/.test(c.typeDescriptions.typeString);
  if (!comps.some(isVar)) return false;
  if (e.rightHandSide.nodeType !== 'FunctionCall') unsupported('tuple of byte strings assigned from a tuple expression', loc);
  const values = L.call(e.rightHandSide, loc);
  if (L.b.dead) return true;
  // Value targets are formed left to right, then everything is stored right to left.
  const lvs = comps.map((c) => {
    if (c === null || isVar(c)) return null;
    if (isByteArrayType(c.typeDescriptions?.typeString)) unsupported('byte string in storage assigned from a tuple', loc);
    return L.lvalue(c);
  });
  for (let i = comps.length - 1; i >= 0; i--) {
    const c = comps[i];
    const v = values[i];
    const lv = lvs[i];
    if (!c) continue;
    if (!v) {
      // `(ok, data) = a.call(…)` into a byte-string variable: the call's returned bytes (see retdata.ts).
      const ok = values[0];
      if (!isVar(c) || i !== 1 || !ok || !isLowLevelCall(e.rightHandSide)) unsupported(`assignment of no value to ${c.name ?? 'a tuple component'}`, loc);
      bindRetData(L, c.referencedDeclaration, newRef(L, ok.v, loc));
      continue;
    }
    if (lv) L.store(lv, v, loc);
    else {
      if (readBytesVar(L, c.referencedDeclaration) === undefined) unsupported(`assignment to ${c.name}`, loc);
      bindBytesVar(L, c.referencedDeclaration, bytesOfValue(L, v, loc), loc);
    }
  }
  return true;
}

/**
 * `b[i]` of a `bytes` calldata value (a `bytes1`): the base, the index, Panic(0x32) unless i < length,
 * then the byte at calldata offset start + i; of a stored one, see `storedByteRead`. Null for other
 * index expressions; other byte strings (built in memory) are unsupported.
 */
export function bytesIndexRead(L: FunctionLowerer, e: AstNode, loc: SrcLoc): Val | null {
  if (e.nodeType !== 'IndexAccess' || !isByteArrayType(e.baseExpression?.typeDescriptions?.typeString) || !e.indexExpression) return null;
  if (/ storage (ref|pointer)$/.test(e.baseExpression.typeDescriptions.typeString)) return storedByteRead(L, e, loc);
  const data = byteStringExpr(L, e.baseExpression, false);
  const w = data.words[0];
  const start = w?.kind === 'bytes' && data.words.length === 1 ? calldataStarts(L).get(w.value) : undefined;
  if (!start) unsupported('indexing a byte string that is not in calldata', loc);
  const i = L.expr(e.indexExpression, U256);
  if (L.b.dead) return i;
  L.guardOp(L.binOp('lt', i, data.len, loc, BOOL), panicData(0x32), loc);
  const word: Val = { v: L.b.def({ kind: 'cdload', offset: L.binOp('add', start, i, loc).v, loc }), t: U256 };
  const B32: ValueType = { kind: 'bytes', size: 32 };
  return L.convert(L.convert(word, B32, loc), { kind: 'bytes', size: 1 }, loc);
}

/**
 * `b[i]` of a stored `bytes` (or `bytes(s)[i]` of a stored string), as solc's legacy code generator reads
 * it (checked on the EVM, test/diff/contracts/StringStructs.sol): the place, the index, the length from
 * the slot word (Panic 0x22 on a corrupt encoding), Panic(0x32) unless i < length, then byte i of the
 * slot word (short form) or byte i % 32 of the data word keccak256(slot) + i / 32 (long form). Plain
 * storage reads, so a write to the bytes before is seen word by word.
 */
function storedByteRead(L: FunctionLowerer, e: AstNode, loc: SrcLoc): Val {
  const slot = bytesPlace(L, stripConversion(e.baseExpression), loc);
  const i = L.expr(e.indexExpression, U256);
  if (L.b.dead) return i;
  const { word, len } = storedLength(L, slot, loc);
  L.guardOp(L.binOp('lt', i, len, loc, BOOL), panicData(0x32), loc);
  const c = (x: bigint) => L.const(U256, x, loc);
  const at: SlotPath = { root: slot.root, keys: [...slot.keys, { kind: 'data' }, { kind: 'add', value: L.binOp('shr', i, c(5n), loc).v }] };
  const long: Val = { v: L.b.def({ kind: 'sload', slot: at, offset: 0, type: U256, loc }), t: U256 };
  const odd = L.binOp('ne', L.binOp('and', word, c(1n), loc), c(0n), loc, BOOL);
  const w: Val = { v: L.b.def({ kind: 'select', cond: odd.v, a: long.v, b: word.v, type: U256, loc }), t: U256 };
  const shifted = L.binOp('shl', w, L.binOp('shl', L.binOp('and', i, c(31n), loc), c(3n), loc), loc);
  return L.convert(L.convert(shifted, { kind: 'bytes', size: 32 }, loc), { kind: 'bytes', size: 1 }, loc);
}
