import type { SrcLoc } from '../../util/loc.ts';
import { ADDRESS, BOOL, U256, type EnvName, type ValueType } from '../types.ts';
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
  const value = L.ctx.node(e.referencedDeclaration);
  if (value?.nodeType !== 'EnumValue') return null;
  const id: string = e.typeDescriptions?.typeIdentifier ?? '';
  const m = id.match(/^t_enum\$_[\w$]*?_\$(\d+)$/);
  const decl = m ? L.ctx.node(Number(m[1])) : undefined;
  if (decl?.nodeType !== 'EnumDefinition') unsupported(`enum member ${e.memberName}`, loc);
  const index = (decl.members as AstNode[]).findIndex((x) => x.id === value.id);
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
