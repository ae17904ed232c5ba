import type { SrcLoc } from '../../util/loc.ts';
import { invariant } from '../../util/assert.ts';
import { storageSlots, typeBits, type StorageType, type StructMember, type ValueType } from '../types.ts';
import { unsupported, type AstNode, type LowerContext } from './context.ts';
import type { FunctionLowerer } from './function.ts';
import { parseTypeString } from './soltypes.ts';

/**
 * Storage types with solc's layout (what a type name denotes in storage: value types with their byte
 * widths, byte strings, mappings, arrays and structs with member slots and offsets), and the check of
 * that layout against solc's own `storageLayout` output: a state variable where the two differ is never
 * lowered. Used by the storage places of aggregates.ts and by the getters.
 */
export function valueBytes(t: ValueType): number {
  return t.kind === 'bool' ? 1 : typeBits(t) / 8;
}

/** The storage type (with solc's layout) a type name denotes. */
export function storageTypeOf(ctx: LowerContext, tn: AstNode, loc: SrcLoc, depth = 0): StorageType {
  if (depth > 32) unsupported('recursive struct type', loc);
  const text: string = tn?.typeDescriptions?.typeString ?? '?';
  switch (tn?.nodeType) {
    case 'ElementaryTypeName': {
      const st = parseTypeString(text);
      if (st.kind === 'value') return { kind: 'value', type: st.type, bytes: valueBytes(st.type) };
      const bytes = text.match(/^(string|bytes)( storage (ref|pointer))?$/);
      if (bytes) return { kind: 'bytes', text: bytes[1] === 'string' ? 'string' : 'bytes' };
      unsupported(`storage of type ${text}`, loc);
    }
    case 'UserDefinedTypeName': {
      const d = ctx.node(tn.referencedDeclaration);
      if (d?.nodeType === 'ContractDefinition') return { kind: 'value', type: { kind: 'address' }, bytes: 20 };
      if (d?.nodeType === 'StructDefinition') return structType(ctx, d, loc, depth);
      unsupported(`storage of type ${text}`, loc);
    }
    case 'ArrayTypeName': {
      const elem = storageTypeOf(ctx, tn.baseType, loc, depth + 1);
      if (!tn.length) return { kind: 'array', elem, length: null };
      const m = text.match(/\[(\d+)\](?: storage.*| memory.*| calldata.*)?$/);
      if (!m) unsupported(`array type ${text}`, loc);
      return { kind: 'array', elem, length: BigInt(m[1]!) };
    }
    case 'Mapping': {
      const key = storageTypeOf(ctx, tn.keyType, loc, depth + 1);
      if (key.kind !== 'value') unsupported(`mapping key of type ${tn.keyType?.typeDescriptions?.typeString}`, loc);
      return { kind: 'mapping', key: key.type, value: storageTypeOf(ctx, tn.valueType, loc, depth + 1) };
    }
    default:
      unsupported(`storage of type ${text}`, loc);
  }
}

/** solc's struct layout: members in order, value types packed, everything else starting a new slot. */
export function structType(ctx: LowerContext, d: AstNode, loc: SrcLoc, depth: number): StorageType {
  const members: StructMember[] = [];
  let slot = 0n;
  let off = 0;
  for (const m of d.members as AstNode[]) {
    const type = storageTypeOf(ctx, m.typeName, loc, depth + 1);
    if (type.kind === 'value') {
      if (off + type.bytes > 32) {
        slot++;
        off = 0;
      }
      members.push({ name: m.name, type, slot, offset: off });
      off += type.bytes;
    } else {
      if (off > 0) {
        slot++;
        off = 0;
      }
      members.push({ name: m.name, type, slot, offset: 0 });
      slot += storageSlots(type);
    }
  }
  return { kind: 'struct', name: d.name, members, slots: slot + (off > 0 ? 1n : 0n) };
}

/** The storage type of a state variable, or undefined when it has parts that are not modelled. */
export function storageLayoutOf(ctx: LowerContext, decl: AstNode): StorageType | undefined {
  try {
    return storageTypeOf(ctx, decl.typeName, ctx.loc(decl));
  } catch {
    return undefined;
  }
}

/** A struct whose members are all value types (what memory structs and whole-struct copies support). */
export function valueStruct(t: StorageType, loc: SrcLoc, what: string): Extract<StorageType, { kind: 'struct' }> {
  if (t.kind !== 'struct' || !t.members.every((m) => m.type.kind === 'value')) unsupported(what, loc);
  return t;
}

export function memberValueType(m: StructMember): ValueType {
  invariant(m.type.kind === 'value', 'value member');
  return m.type.type;
}

export function typeStringOf(e: AstNode): string {
  return e?.typeDescriptions?.typeString ?? '';
}

export function isAggregateTypeString(s: string): boolean {
  return s.startsWith('struct ') || /\]( storage| memory| calldata|$)/.test(s);
}


// ---------------------------------------------------------------- cross-check with solc's layout

/** solc's `storageLayout` output, as far as the check reads it. */
interface SolcLayout {
  readonly storage: readonly { readonly astId: number; readonly type: string }[];
  readonly types?: Readonly<Record<string, { readonly encoding: string; readonly numberOfBytes: string; readonly base?: string; readonly value?: string; readonly members?: readonly { readonly label: string; readonly slot: string; readonly offset: number; readonly type: string }[] }>> | null;
}

/** State variables (by declaration id) whose layout as computed here differs from solc's: never lowered. */
const mismatched = new WeakMap<LowerContext, Set<number>>();

/**
 * Compares the layout computed here with solc's `storageLayout` for every state variable; a variable
 * where they differ (or solc's is missing) makes every access to it unsupported instead of wrong.
 */
export function checkLayoutsAgainstSolc(ctx: LowerContext, layout: SolcLayout): void {
  const bad = new Set<number>();
  for (const s of layout.storage) {
    const decl = ctx.node(s.astId);
    if (!decl?.typeName) continue;
    const mine = storageLayoutOf(ctx, decl);
    if (mine && !sameLayout(mine, s.type, layout.types ?? {}, 0)) bad.add(s.astId);
  }
  mismatched.set(ctx, bad);
}

function sameLayout(t: StorageType, id: string, types: NonNullable<SolcLayout['types']>, depth: number): boolean {
  const x = types[id];
  if (!x || depth > 32) return false;
  const bytes = BigInt(x.numberOfBytes);
  switch (t.kind) {
    case 'value':
      return x.encoding === 'inplace' && bytes === BigInt(t.bytes);
    case 'bytes':
      return x.encoding === 'bytes' && bytes === 32n;
    case 'mapping':
      return x.encoding === 'mapping' && x.value !== undefined && sameLayout(t.value, x.value, types, depth + 1);
    case 'array':
      if (x.base === undefined || !sameLayout(t.elem, x.base, types, depth + 1)) return false;
      return t.length === null ? x.encoding === 'dynamic_array' : x.encoding === 'inplace' && bytes === storageSlots(t) * 32n;
    case 'struct': {
      const ms = x.members ?? [];
      if (x.encoding !== 'inplace' || bytes !== t.slots * 32n || ms.length !== t.members.length) return false;
      return t.members.every((m, i) => {
        const o = ms[i]!;
        return o.label === m.name && BigInt(o.slot) === m.slot && o.offset === m.offset && sameLayout(m.type, o.type, types, depth + 1);
      });
    }
  }
}

/** The storage type of a state variable for lowering: refused when it disagrees with solc's layout. */
export function stateVarType(L: FunctionLowerer, decl: AstNode, loc: SrcLoc): StorageType {
  if (mismatched.get(L.ctx)?.has(decl.id)) unsupported(`storage layout of ${decl.name} (computed layout differs from solc's)`, loc);
  return storageTypeOf(L.ctx, decl.typeName, loc);
}
