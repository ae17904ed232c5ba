import { inLibraryCall } from './libcalls.ts';
import type { SrcLoc } from '../../util/loc.ts';
import { keccakBig, hexToBytes } from '../../util/hash.ts';
import { ADDRESS, BOOL, U256, typeBits, type EnvName, type KeccakPart, type ValueType, type Word } from '../types.ts';
import { byteStringExpr, isByteArrayType } from './bytes.ts';
import { parseTypeString } from './soltypes.ts';
import { isBuiltinRef, unsupported, type AstNode, type LowerContext } from './context.ts';
import { EMPTY_REVERT, panicData, type FunctionLowerer, type Val } from './function.ts';

/**
 * Value-type expression breadth: environment values beyond msg.sender/msg.value/block.timestamp/number,
 * enums, and keccak256 over ABI encodings. Hooks in function.ts and ops.ts call these.
 */

const ENV_MEMBERS: Record<string, { name: EnvName; type: ValueType }> = {
  'tx.origin': { name: 'tx.origin', type: ADDRESS },
  'block.chainid': { name: 'block.chainid', type: U256 },
  'block.coinbase': { name: 'block.coinbase', type: ADDRESS },
  'block.basefee': { name: 'block.basefee', type: U256 },
  'block.prevrandao': { name: 'block.prevrandao', type: U256 },
  // Since Paris the DIFFICULTY opcode returns PREVRANDAO; solc compiles both to 0x44.
  'block.difficulty': { name: 'block.prevrandao', type: U256 },
  'block.gaslimit': { name: 'block.gaslimit', type: U256 },
};

/** `msg.sig`, `tx.origin`, `block.*` …: null when `name` is none of the values modelled here. */
export function envMember(L: FunctionLowerer, name: string, loc: SrcLoc): Val | null {
  if (name === 'msg.sig') {
    // Code reached through a selector sees exactly that selector; fallback and receive see calldata.
    if (L.entrySelector === null) unsupported('msg.sig outside a function with a selector', loc);
    if (inLibraryCall(L)) unsupported('msg.sig inside an external library function', loc);
    return L.const({ kind: 'bytes', size: 4 }, L.entrySelector, loc);
  }
  const m = ENV_MEMBERS[name];
  if (!m) return null;
  return { v: L.b.def({ kind: 'env', name: m.name, type: m.type, loc }), t: m.type };
}

/** `msg.data.length`: the calldata size. */
export function isMsgDataLength(e: AstNode): boolean {
  const base = e.expression;
  return (
    e.memberName === 'length' &&
    base?.nodeType === 'MemberAccess' &&
    base.memberName === 'data' &&
    base.expression?.nodeType === 'Identifier' &&
    base.expression.name === 'msg' &&
    isBuiltinRef(base.expression.referencedDeclaration)
  );
}

export function msgDataLength(L: FunctionLowerer, loc: SrcLoc): Val {
  if (inLibraryCall(L)) unsupported('msg.data inside an external library function', loc);
  return { v: L.b.def({ kind: 'env', name: 'calldatasize', type: U256, loc }), t: U256 };
}

// ---------------------------------------------------------------- enums

/** Member count of the enum a node's type denotes (from its typeIdentifier `t_enum$_Name_$<id>`), else null. */
export function enumMembersOf(ctx: LowerContext, node: AstNode): number | null {
  const id: string = node?.typeDescriptions?.typeIdentifier ?? '';
  const m = id.match(/^t_enum\$_[\w$]*?_\$(\d+)$/);
  if (!m) return null;
  const decl = ctx.node(Number(m[1]));
  if (decl?.nodeType !== 'EnumDefinition') return null;
  return (decl.members as AstNode[]).length;
}

/** `type(E).min` / `type(E).max` of an enum: the first and last member. Null when `e` is not one. */
export function enumTypeBound(ctx: LowerContext, e: AstNode): bigint | null {
  const inner = e.expression;
  if (inner?.nodeType !== 'FunctionCall' || inner.expression?.name !== 'type' || inner.arguments?.length !== 1) return null;
  const arg = inner.arguments[0];
  const id: string = arg.typeDescriptions?.typeIdentifier ?? '';
  const m = id.match(/^t_type\$_t_enum\$_[\w$]*?_\$(\d+)_\$$/);
  if (!m) return null;
  const decl = ctx.node(Number(m[1]));
  if (decl?.nodeType !== 'EnumDefinition') return null;
  return e.memberName === 'max' ? BigInt((decl.members as AstNode[]).length - 1) : 0n;
}

/** `E.Member`: the member's index as a uint8 constant; null when `e` is not an enum member. */
export function enumMember(L: FunctionLowerer, e: AstNode, loc: SrcLoc): Val | null {
  // solc <0.8 leaves an enum member's referencedDeclaration out: the member is found by its name.
  const byName = e.referencedDeclaration == null && L.ctx.pre08 !== undefined && /^type\(enum /.test(e.expression?.typeDescriptions?.typeString ?? '');
  const value = L.ctx.node(e.referencedDeclaration);
  if (value?.nodeType !== 'EnumValue' && !byName) return null;
  const id: string = e.typeDescriptions?.typeIdentifier ?? '';
  const m = id.match(/^t_enum\$_[\w$]*?_\$(\d+)$/);
  const decl = m ? L.ctx.node(Number(m[1])) : undefined;
  if (decl?.nodeType !== 'EnumDefinition') unsupported(`enum member ${e.memberName}`, loc);
  const index = (decl.members as AstNode[]).findIndex((x) => (byName ? x.name === e.memberName : x.id === value.id));
  if (index < 0) unsupported(`enum member ${e.memberName}`, loc);
  return L.const(ENUM_TYPE, BigInt(index), loc);
}

const ENUM_TYPE: ValueType = { kind: 'uint', bits: 8 };

/** Integer → enum conversion: solc checks the value (before any narrowing) and panics with 0x21. */
export function toEnum(L: FunctionLowerer, x: Val, members: number, loc: SrcLoc): Val {
  if (x.t.kind !== 'uint') unsupported(`conversion from ${x.t.kind} to an enum`, loc);
  const bad = L.binOp('ge', x, L.const(x.t, BigInt(members), loc), loc, BOOL);
  L.guardNotOp(bad, panicData(0x21), loc);
  return L.convert(x, ENUM_TYPE, loc);
}

/** An enum value about to be ABI-encoded: solc's encoder panics (0x21) on an out-of-range value (dirty storage). */
export function guardEnumEncodable(L: FunctionLowerer, x: Val, members: number | null | undefined, loc: SrcLoc): void {
  if (members === null || members === undefined || L.b.dead) return;
  L.guardOp(L.binOp('lt', x, L.const(x.t, BigInt(members), loc), loc, BOOL), panicData(0x21), loc);
}

/** A raw calldata word for an enum parameter: the ABI decoder reverts (empty data) unless it is a member. */
export function guardEnumDecodable(L: FunctionLowerer, raw: Val, members: number | undefined, loc: SrcLoc): void {
  if (members === undefined) return;
  if (L.ctx.pre08 !== undefined) {
    // ABI coder v1 only cleans the word to the enum's 8 bits (the entry point converts it): a value past
    // the last member is checked (INVALID) where it is used, as one read from dirty storage (checked on
    // the EVM with solc 0.6.12 and 0.7.6: 256 decodes as the first member, 259 halts when converted).
    if (members > 256) unsupported('enum with more than 256 members', loc);
    return;
  }
  L.guardOp(L.binOp('lt', raw, L.const(U256, BigInt(members), loc), loc, BOOL), EMPTY_REVERT, loc);
}

/** Enum member counts along a mapping getter's key types and value type (null where not an enum). */
export function getterEnumMembers(ctx: LowerContext, decl: AstNode): { keys: (number | null)[]; value: number | null } {
  const keys: (number | null)[] = [];
  let t: AstNode = decl.typeName;
  while (t?.nodeType === 'Mapping') {
    keys.push(enumMembersOf(ctx, t.keyType));
    t = t.valueType;
  }
  return { keys, value: t ? enumMembersOf(ctx, t) : enumMembersOf(ctx, decl) };
}

// ---------------------------------------------------------------- keccak256 and ABI encodings

const ABI_ENCODERS = new Set(['encode', 'encodePacked', 'encodeWithSelector', 'encodeWithSignature', 'encodeCall']);

/** `abi.<member>(…)`: the member name when `e` is a call of one of the ABI encoders. */
export function abiEncoderOf(e: AstNode): string | null {
  const callee = e?.nodeType === 'FunctionCall' ? e.expression : null;
  if (callee?.nodeType !== 'MemberAccess' || !ABI_ENCODERS.has(callee.memberName)) return null;
  const base = callee.expression;
  return base?.nodeType === 'Identifier' && base.name === 'abi' && isBuiltinRef(base.referencedDeclaration) ? callee.memberName : null;
}

function literalBytes(e: AstNode): Uint8Array | null {
  if (e?.nodeType !== 'Literal' || (e.kind !== 'string' && e.kind !== 'hexString' && e.kind !== 'unicodeString')) return null;
  return hexToBytes(e.hexValue as string);
}

/** Bytes as constant parts of at most 32 bytes each. */
export function constParts(bytes: Uint8Array): KeccakPart[] {
  const parts: KeccakPart[] = [];
  for (let i = 0; i < bytes.length; i += 32) {
    const chunk = bytes.slice(i, i + 32);
    let w = 0n;
    for (const b of chunk) w = (w << 8n) | BigInt(b);
    parts.push({ word: { kind: 'const', word: w }, bytes: chunk.length });
  }
  return parts;
}

/** Bytes a value takes in abi.encodePacked (a bool one byte). */
function packedBytes(t: ValueType): number {
  return t.kind === 'bool' ? 1 : typeBits(t) / 8;
}

/**
 * keccak256(x) where x is a string/hex literal or an ABI encoding of value-type arguments: one keccak
 * instruction over the exact bytes. Anything else (dynamic data, memory bytes) is unsupported.
 */
export function keccakOf(L: FunctionLowerer, arg: AstNode, loc: SrcLoc): Val {
  const B32: ValueType = { kind: 'bytes', size: 32 };
  const lit = literalBytes(arg);
  if (lit) return L.const(B32, keccakBig(lit), loc);
  const parts = abiEncoding(L, arg, loc);
  if (L.b.dead) return { v: -1, t: B32 };
  return { v: L.b.def({ kind: 'keccak', parts, loc }), t: B32 };
}

/** The bytes of `abi.encode…(…)` with value-type arguments, evaluated left to right as solc does. */
export function abiEncoding(L: FunctionLowerer, call: AstNode, loc: SrcLoc): KeccakPart[] {
  const member = abiEncoderOf(call);
  if (!member) unsupported(`keccak256 of ${call?.typeDescriptions?.typeString ?? call?.nodeType} (only literals and abi.encode… of value types are modelled)`, loc);
  const args: AstNode[] = call.arguments;
  const parts: KeccakPart[] = [];
  const packed = member === 'encodePacked';
  // Byte strings of constant length (an encoding held in a local): their bytes in place when packed,
  // else a head offset and a tail (length word, data words zero-padded), assembled at the end.
  const tails: { head: number; len: number; words: readonly Word[] }[] = [];
  const value = (a: AstNode, target?: ValueType): void => {
    if (packed) {
      const bytes = literalBytes(a);
      if (bytes) {
        parts.push(...constParts(bytes));
        return;
      }
    }
    if (isByteArrayType(a.typeDescriptions?.typeString)) {
      const data = byteStringExpr(L, a, false);
      if (data.parts === undefined) unsupported(`abi.${member} of a byte string other than an ABI encoding held in a local`, L.ctx.loc(a));
      const len = data.parts.reduce((n, p) => n + p.bytes, 0);
      if (packed) parts.push(...data.parts);
      else {
        tails.push({ head: parts.length, len, words: data.words });
        parts.push({ word: { kind: 'const', word: 0n }, bytes: 32 });
      }
      return;
    }
    const st = parseTypeString(a.typeDescriptions?.typeString ?? '');
    if (st.kind !== 'value' && st.kind !== 'const') unsupported(`abi.${member} of ${a.typeDescriptions?.typeString ?? a.nodeType}`, L.ctx.loc(a));
    const x = L.expr(a, target);
    if (L.b.dead) return;
    guardEnumEncodable(L, x, enumMembersOf(L.ctx, a), loc);
    parts.push({ word: { kind: 'value', value: x.v, type: x.t }, bytes: packed ? packedBytes(x.t) : 32 });
  };
  let rest = args;
  if (member === 'encodeWithSelector') {
    const sel = L.expr(args[0], { kind: 'bytes', size: 4 });
    if (L.b.dead) return parts;
    parts.push({ word: { kind: 'value', value: sel.v, type: sel.t }, bytes: 4 });
    rest = args.slice(1);
  } else if (member === 'encodeWithSignature') {
    const sig = literalBytes(args[0]);
    if (!sig) unsupported('abi.encodeWithSignature with a signature that is not a literal', loc);
    parts.push({ word: { kind: 'const', word: keccakBig(sig) >> 224n }, bytes: 4 });
    rest = args.slice(1);
  } else if (member === 'encodeCall') {
    const fn = L.ctx.node(args[0]?.referencedDeclaration);
    if (fn?.nodeType !== 'FunctionDefinition' || typeof fn.functionSelector !== 'string') unsupported('abi.encodeCall of a function without a selector', loc);
    parts.push({ word: { kind: 'const', word: BigInt('0x' + fn.functionSelector) }, bytes: 4 });
    const tuple: AstNode = args[1];
    const items: AstNode[] = tuple?.nodeType === 'TupleExpression' && !tuple.isInlineArray ? tuple.components : [tuple];
    const params: AstNode[] = fn.parameters.parameters;
    if (items.length !== params.length) unsupported('abi.encodeCall arity', loc);
    items.forEach((a, i) => {
      if (!L.b.dead) value(a, isByteArrayType(params[i]?.typeDescriptions?.typeString) ? undefined : L.valueTypeOf(params[i], loc, `abi.encodeCall parameter of type ${params[i]?.typeDescriptions?.typeString}`));
    });
    return withTails(parts, tails);
  }
  for (const a of rest) if (!L.b.dead) value(a);
  return withTails(parts, tails);
}

/** Fills in the head offsets of the byte strings of a standard encoding and appends their tails. */
function withTails(parts: KeccakPart[], tails: readonly { head: number; len: number; words: readonly Word[] }[]): KeccakPart[] {
  if (tails.length === 0) return parts;
  const first = parts.length > 0 && parts[0]!.bytes === 4 ? 1 : 0;
  let offset = 32n * BigInt(parts.length - first);
  const out = [...parts];
  for (const t of tails) {
    out[t.head] = { word: { kind: 'const', word: offset }, bytes: 32 };
    out.push({ word: { kind: 'const', word: BigInt(t.len) }, bytes: 32 }, ...t.words.map((w) => ({ word: w, bytes: 32 })));
    offset += 32n + 32n * BigInt(t.words.length);
  }
  return out;
}

/** Names, member chains of names and conversions of them (`this`, `I(t)`, `a.b`): nothing to evaluate. */
function withoutSideEffects(e: AstNode): boolean {
  switch (e?.nodeType) {
    case 'Identifier':
    case 'ElementaryTypeNameExpression':
      return true;
    case 'MemberAccess':
      return withoutSideEffects(e.expression);
    case 'FunctionCall':
      return e.kind === 'typeConversion' && (e.arguments as AstNode[]).every(withoutSideEffects);
    default:
      return false;
  }
}

/** `f.selector`, `E.selector` (error), `Ev.selector` (event): compile-time constants. Null otherwise. */
export function selectorMember(L: FunctionLowerer, e: AstNode, loc: SrcLoc): Val | null {
  if (e.memberName !== 'selector') return null;
  const decl = L.ctx.node(e.expression?.referencedDeclaration);
  // `g().f.selector`: solc before 0.8.21 drops g()'s side effects (MissingSideEffectsOnSelectorAccess), later
  // releases run them; neither is modelled, only a base free of side effects (`this.f`, `I(t).f`, `C.E`).
  if (decl !== undefined && e.expression?.nodeType === 'MemberAccess' && !withoutSideEffects(e.expression.expression)) unsupported('`.selector` of an expression with side effects', loc);
  if (decl?.nodeType === 'FunctionDefinition' && typeof decl.functionSelector === 'string') return L.const({ kind: 'bytes', size: 4 }, BigInt('0x' + decl.functionSelector), loc);
  if (decl?.nodeType === 'ErrorDefinition' && typeof decl.errorSelector === 'string') return L.const({ kind: 'bytes', size: 4 }, BigInt('0x' + decl.errorSelector), loc);
  if (decl?.nodeType === 'EventDefinition' && typeof decl.eventSelector === 'string') return L.const({ kind: 'bytes', size: 32 }, BigInt('0x' + decl.eventSelector), loc);
  return null;
}
