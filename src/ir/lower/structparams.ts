import type { SrcLoc } from '../../util/loc.ts';
import { BOOL, typeBits, typeName, type Param, type ValueType } from '../types.ts';
import { unsupported, type AstNode, type LowerContext } from './context.ts';
import { EMPTY_REVERT, type FunctionLowerer, type Val } from './function.ts';
import { enumMembersOf, guardEnumDecodable } from './exprs.ts';
import { parseTypeString } from './soltypes.ts';

/**
 * Entry-point parameters that are structs of value types (`Order calldata o`, `Order memory o`). Such a
 * struct is static, so the ABI lays its members out in place, one head word each, exactly as if they
 * were separate parameters: the IR's parameter list holds one `Param` per member (`o.maker`, `o.amount`),
 * and counterexamples, the EVM replay and the harness encode it as a standard encoder does.
 *
 * Decoding checks, as solc's ABI decoder v2 makes them (checked on the EVM,
 * test/diff/contracts/StructParams.sol): the calldata size check covers every member word; a `memory`
 * struct is copied with every member validated up front (dirty bits or an enum out of range revert with
 * empty data), and is then an ordinary memory struct (aggregates.ts); a `calldata` struct's members are
 * validated (the same checks) where they are read, each time, and only then. Anything else done with a calldata struct (copying it,
 * passing it on, encoding it) is unsupported, as are nested structs, array members and a memory struct
 * next to a dynamic memory parameter (the allocation moves the free memory pointer that parameter's
 * checks assume).
 */

export interface StructParamMember {
  readonly name: string;
  readonly type: ValueType;
  readonly enumMembers?: number;
}

export interface StructParamShape {
  readonly location: 'calldata' | 'memory';
  readonly members: readonly StructParamMember[];
  /** Set for a fixed-size array parameter (`uint256[3] calldata xs`): its members are the elements `[k]`. */
  readonly array?: { readonly elem: ValueType };
}

/** Most elements a fixed-size array parameter may have (each is a parameter word). */
const MAX_FIXED_ELEMENTS = 32;

/** The struct definition a parameter declaration's type names, or undefined when it is not a struct. */
function structDef(ctx: LowerContext, p: AstNode): AstNode | undefined {
  const m = (p?.typeDescriptions?.typeIdentifier ?? '').match(/^t_struct\$_[A-Za-z0-9_$]*?_\$(\d+)_/);
  const d = m ? ctx.node(Number(m[1])) : undefined;
  return d?.nodeType === 'StructDefinition' ? d : undefined;
}

/** The shape of a struct parameter declaration; null when the parameter is not a struct. */
export function structParamShape(L: FunctionLowerer, p: AstNode): StructParamShape | null {
  const fixed = fixedArrayShape(L, p);
  if (fixed) return fixed;
  const d = structDef(L.ctx, p);
  if (!d) return null;
  const loc = L.ctx.loc(p);
  const location: unknown = p.storageLocation;
  if (location !== 'calldata' && location !== 'memory') unsupported(`parameter of type ${p.typeDescriptions?.typeString}`, loc);
  const members = (d.members as AstNode[]).map((m): StructParamMember => {
    const ts: string = m.typeDescriptions?.typeString ?? '';
    if (ts.startsWith('struct ') || ts.includes('[') || ts.startsWith('mapping') || ts === 'string' || ts === 'bytes') unsupported(`struct parameter with a member of type ${ts}`, loc);
    const type = L.valueTypeOf(m, L.ctx.loc(m), `struct parameter member of type ${ts}`);
    const n = enumMembersOf(L.ctx, m);
    return { name: m.name, type, ...(n === null ? {} : { enumMembers: n }) };
  });
  return { location, members };
}

/**
 * A fixed-size array of value types (`uint256[3] calldata xs`, `address[2] memory pair`): static, its
 * elements in place like a struct's members. Its uses are those of an array parameter (arrays.ts:
 * `.length`, `xs[i]` with Panic 0x32, calldata elements validated where read, memory ones at decoding).
 * Enums, contracts and nested arrays as elements are not modelled.
 */
function fixedArrayShape(L: FunctionLowerer, p: AstNode): StructParamShape | null {
  const m = (p?.typeDescriptions?.typeString as string | undefined)?.match(/^(.+)\[(\d+)\]( calldata| memory)?$/);
  const where: unknown = p?.storageLocation;
  if (!m || (where !== 'calldata' && where !== 'memory')) return null;
  const loc = L.ctx.loc(p);
  const st = m[1]!.includes(' ') || m[1]!.includes('[') ? null : parseTypeString(m[1]!);
  const n = Number(m[2]);
  if (!st || st.kind !== 'value' || n > MAX_FIXED_ELEMENTS) unsupported(`parameter of type ${p.typeDescriptions.typeString}`, loc);
  const location = where;
  return { location, members: Array.from({ length: n }, (_, k) => ({ name: `[${k}]`, type: st.type })), array: { elem: st.type } };
}

/** The IR parameters (one per member word) of a struct parameter named `name`. */
export function structParams(shape: StructParamShape, name: string): Param[] {
  return shape.members.map((m) => ({ name: shape.array ? `${name}${m.name}` : `${name}.${m.name}`, type: m.type, typeName: typeName(m.type), ...(m.enumMembers === undefined ? {} : { enumMembers: m.enumMembers }) }));
}

/** Where each head word of an entry point's parameters comes from: the declaration index, and the member for struct parameters. */
export function headWords(L: FunctionLowerer, def: AstNode): { param: number; shape: StructParamShape | null }[] {
  const decls: AstNode[] = def?.nodeType === 'FunctionDefinition' ? def.parameters.parameters : [];
  const out: { param: number; shape: StructParamShape | null }[] = [];
  decls.forEach((p, param) => {
    const shape = structParamShape(L, p);
    if (!shape) return void out.push({ param, shape: null });
    for (let k = 0; k < shape.members.length; k++) out.push({ param, shape });
  });
  if (out.some((w) => w.shape?.location === 'memory') && decls.some((p) => p.storageLocation === 'memory' && structParamShape(L, p) === null)) {
    unsupported('a memory struct parameter next to a dynamic memory parameter', L.ctx.loc(def));
  }
  return out;
}

/** Validates a raw member word (dirty bits, enum range): empty revert, as the decoder does. */
export function validateMember(L: FunctionLowerer, raw: Val, m: StructParamMember, loc: SrcLoc): void {
  if (!(m.type.kind === 'uint' && typeBits(m.type) === 256)) L.guardOp({ v: L.b.def({ kind: 'abiok', a: raw.v, type: m.type, loc }), t: BOOL }, EMPTY_REVERT, loc);
  guardEnumDecodable(L, raw, m.enumMembers, loc);
}

/** Calldata struct parameters bound in a lowering: raw member words by declaration id. */
const calldataStructs = new WeakMap<FunctionLowerer, Map<number, { shape: StructParamShape; raws: readonly Val[] }>>();

export function bindCalldataStruct(L: FunctionLowerer, declId: number, shape: StructParamShape, raws: readonly Val[]): void {
  let m = calldataStructs.get(L);
  if (!m) calldataStructs.set(L, (m = new Map()));
  m.set(declId, { shape, raws });
}

/**
 * `o.member` of a calldata struct parameter: the member word, validated now; null for other expressions.
 * Such a read can revert, so it is never lowered eagerly (`isPure` is false for it).
 */
export function calldataStructRead(L: FunctionLowerer, e: AstNode, loc: SrcLoc): Val | null {
  if (e?.nodeType !== 'MemberAccess' || e.expression?.nodeType !== 'Identifier') return null;
  const s = calldataStructs.get(L)?.get(e.expression.referencedDeclaration);
  if (!s) return null;
  const i = s.shape.members.findIndex((m) => m.name === e.memberName);
  if (i < 0) unsupported(`member ${e.memberName} of a calldata struct`, loc);
  const m = s.shape.members[i]!;
  validateMember(L, s.raws[i]!, m, loc);
  return L.decodeWord(s.raws[i]!, m.type, loc);
}

/** Struct parameters decoded but not yet bound (by declaration id): bound when the body is inlined. */
const pending = new WeakMap<FunctionLowerer, Map<number, { shape: StructParamShape; values: readonly Val[]; first: number }>>();

/**
 * The entry point's arguments per declared parameter: a struct parameter's member words are set aside
 * for `takeStructParam` and a placeholder stands for the struct.
 */
export function groupStructArgs(L: FunctionLowerer, def: AstNode, heads: readonly { param: number; shape: StructParamShape | null }[], args: readonly Val[]): Val[] {
  if (!heads.some((h) => h.shape)) return [...args];
  const decls: AstNode[] = def.parameters.parameters;
  let m = pending.get(L);
  if (!m) pending.set(L, (m = new Map()));
  const out: Val[] = [];
  decls.forEach((p, param) => {
    const words = heads.flatMap((h, i) => (h.param === param ? [i] : []));
    const shape = heads[words[0]!]?.shape;
    if (!shape) return void out.push(args[words[0]!]!);
    m.set(p.id, { shape, values: words.map((i) => args[i]!), first: words[0]! });
    out.push({ v: -1, t: BOOL });
  });
  return out;
}

/** The decoded struct parameter with this declaration id (once), or null. */
export function takeStructParam(L: FunctionLowerer, declId: number): { shape: StructParamShape; values: readonly Val[]; first: number } | null {
  const s = pending.get(L)?.get(declId);
  if (!s) return null;
  pending.get(L)!.delete(declId);
  return s;
}
