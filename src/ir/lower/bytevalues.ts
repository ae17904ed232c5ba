import type { SrcLoc } from '../../util/loc.ts';
import { invariant } from '../../util/assert.ts';
import { U256, typeBits, type BytesPart, type KeccakPart, type Param, type ValueType, type Word } from '../types.ts';
import { isBuiltinRef, unsupported, type AstNode } from './context.ts';
import type { FunctionLowerer, Val } from './function.ts';
import type { VarKey } from './builder.ts';
import { abiEncoderOf, constParts, enumMembersOf } from './exprs.ts';
import { abiEncode, bindBytesVar, byteStringExpr, byteValueTable, bytesVarKeys, isByteArrayType, literalBytes, readBytesVar, type AbiItem, type ByteStringData } from './bytes.ts';

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
}

/** A `string`/`bytes` return parameter: bound to the empty string, as solc initialises it. */
export function bytesReturnVar(L: FunctionLowerer, p: AstNode, loc: SrcLoc): ReturnVar {
  if (p.storageLocation !== 'memory') unsupported(`string/bytes return value in ${p.storageLocation} location`, loc);
  bindBytesVar(L, p.id, literalBytes(L, new Uint8Array(), loc), loc);
  return { key: bytesVarKeys(p.id).tok, type: U256, bytes: p.id };
}

/** The lengths of the byte-string return variables, to leave the inlined call beside the tokens. */
export function bytesResultLengths(L: FunctionLowerer, returns: readonly ReturnVar[]): Val[] {
  return returns.flatMap((r) => {
    if (r.bytes === undefined) return [];
    const len = L.b.env.get(bytesVarKeys(r.bytes).len);
    invariant(len !== undefined, 'byte-string return length lost');
    return [{ v: len.v, t: U256 }];
  });
}

/**
 * Records the byte strings an inlined call returns: `results` are the call's results (tokens at byte-
 * string positions) followed by their lengths; returns the results alone. `inner` are the same values
 * inside the callee, whose constant words (literals) are kept.
 */
export function bytesResults(L: FunctionLowerer, returns: readonly ReturnVar[], inner: readonly Val[], results: readonly Val[]): Val[] {
  const table = byteValueTable(L);
  let extra = returns.length;
  returns.forEach((r, i) => {
    if (r.bytes === undefined) return;
    const tok = results[i]!;
    const len = results[extra++]!;
    const known = table.get(inner[i]!.v);
    table.set(tok.v, known?.literal ? known : { len, words: [{ kind: 'bytes', value: tok.v }] });
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
  checkQuiet(L, comps, loc);
  const values: ({ val: Val } | { data: ByteStringData })[] = [];
  for (const [i, c] of comps.entries()) {
    invariant(c !== null, 'return component');
    const r = rets[i]!;
    values.push(r.bytes === undefined ? { val: L.expr(c, r.type) } : { data: byteStringExpr(L, c, false) });
    if (L.b.dead) return;
  }
  rets.forEach((r, i) => {
    const v = values[i]!;
    if ('val' in v) L.b.env.set(r.key, L.convert(v.val, r.type, loc));
    else bindBytesVar(L, r.bytes!, v.data, loc);
  });
}

/** The byte string an internal call returned as `v` (see `bytesResults`). */
export function bytesOfValue(L: FunctionLowerer, v: Val, loc: SrcLoc): ByteStringData {
  const data = byteValueTable(L).get(v.v);
  if (!data) unsupported('byte string of this form', loc);
  return data;
}

/** An entry point's return data when some return value is a byte string: the standard ABI encoding. */
export function entryReturnWords(L: FunctionLowerer, results: readonly Val[], returns: readonly Param[], loc: SrcLoc): Word[] {
  const items: AbiItem[] = results.map((r, i) => {
    const p = returns[i]!;
    if (p.typeName === 'string' || p.typeName === 'bytes') return { kind: 'bytes', data: bytesOfValue(L, r, loc) };
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
  const data = byteStringExpr(L, e.rightHandSide, false);
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

/** `string.concat`, `bytes.concat`, or null. */
function concatKind(e: AstNode): 'string' | 'bytes' | null {
  const callee = e?.nodeType === 'FunctionCall' ? e.expression : null;
  if (callee?.nodeType !== 'MemberAccess' || callee.memberName !== 'concat' || callee.expression?.nodeType !== 'ElementaryTypeNameExpression') return null;
  const name = callee.expression.typeName?.name;
  return name === 'string' || name === 'bytes' ? name : null;
}

const stripConv = (e: AstNode): AstNode => (e.nodeType === 'FunctionCall' && e.kind === 'typeConversion' && e.arguments?.length === 1 ? stripConv(e.arguments[0]) : e);

/** Stored byte strings are read when encoding, after every argument: the others must not be observable. */
function checkQuiet(L: FunctionLowerer, args: readonly (AstNode | null)[], loc: SrcLoc): void {
  const stored = (a: AstNode | null) => a !== null && isByteArrayType(a.typeDescriptions?.typeString) && / storage/.test(a.typeDescriptions.typeString);
  if (!args.some(stored)) return;
  // The length of a byte string can only fail with the same Panic(0x22) a stored copy fails with.
  const quiet = (a: AstNode | null): boolean =>
    a === null || stored(a) || a.nodeType === 'Literal' || L.isPure(a) || (isByteArrayType(a.typeDescriptions?.typeString) && a.nodeType === 'Identifier') ||
    (a.nodeType === 'MemberAccess' && a.memberName === 'length' && isByteArrayType(a.expression.typeDescriptions?.typeString) && quiet(stripConv(a.expression)));
  if (!args.every(quiet)) unsupported('stored byte string next to values with effects', loc);
}

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
  checkQuiet(L, args, loc);
  const items: ({ data: ByteStringData } | { part: KeccakPart })[] = [];
  for (const a of args) {
    const ts: string = a.typeDescriptions?.typeString ?? '';
    if (isByteArrayType(ts) || /^literal_(string|hex)/.test(ts)) items.push({ data: byteStringExpr(L, a, false) });
    else {
      if (enumMembersOf(L.ctx, a) !== null) unsupported('enum packed into a byte string', loc);
      const t = L.valueTypeOf(a, loc, `${ts} packed into a byte string`);
      const v = L.expr(a, t);
      items.push({ part: { word: { kind: 'value', value: v.v, type: t }, bytes: t.kind === 'bool' ? 1 : typeBits(t) / 8 } });
    }
    if (L.b.dead) return literalBytes(L, new Uint8Array(), loc);
  }
  const only = items[0];
  if (items.length === 1 && only && 'data' in only) return only.data;
  const parts: BytesPart[] = [];
  let fixed = 0n;
  let len: Val | null = null;
  for (const it of items) {
    if ('part' in it) {
      parts.push({ kind: 'packed', part: it.part });
      fixed += BigInt(it.part.bytes);
    } else if (it.data.literal) {
      parts.push(...constParts(it.data.literal).map((part): BytesPart => ({ kind: 'packed', part })));
      fixed += BigInt(it.data.literal.length);
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
