import { locOf, type Compilation, type ContractOutput } from '../../frontend/compile.ts';
import type { LayoutType } from '../../shadow/layout.ts';
import type { SrcLoc } from '../../util/loc.ts';

/*
 * One version's view of its storage: solc's storageLayout plus what only the AST knows (who declares a
 * variable, its NatSpec annotations, enum members, the type under a user-defined value type).
 */

/** A storage variable or struct member as solc's storageLayout lists it. */
export interface SolcSlotItem {
  readonly astId: number;
  readonly contract: string;
  readonly label: string;
  readonly offset: number;
  readonly slot: string;
  readonly type: string;
}

export interface LayoutSide {
  readonly comp: Compilation;
  readonly contract: ContractOutput;
  readonly types: Readonly<Record<string, LayoutType>>;
  /** Every AST node of every source unit by id. */
  readonly nodes: ReadonlyMap<number, AstNode>;
  readonly which: 'old' | 'new';
}

/** The parts of a solc AST node read here; everything else stays opaque. */
export interface AstNode {
  readonly id: number;
  readonly nodeType: string;
  readonly src: string;
  readonly name?: string;
  readonly [k: string]: unknown;
}

export function layoutSide(comp: Compilation, contract: ContractOutput, which: 'old' | 'new'): LayoutSide {
  const nodes = new Map<number, AstNode>();
  for (const unit of comp.sources.values()) indexNodes(unit.ast, nodes);
  return { comp, contract, types: (contract.storageLayout.types ?? {}) as Record<string, LayoutType>, nodes, which };
}

function indexNodes(x: unknown, into: Map<number, AstNode>): void {
  if (Array.isArray(x)) {
    for (const y of x) indexNodes(y, into);
    return;
  }
  if (x === null || typeof x !== 'object') return;
  const o = x as Record<string, unknown>;
  if (typeof o.id === 'number' && typeof o.nodeType === 'string' && typeof o.src === 'string') into.set(o.id, o as AstNode);
  for (const v of Object.values(o)) if (typeof v === 'object') indexNodes(v, into);
}

export function storageItems(side: LayoutSide): readonly SolcSlotItem[] {
  return side.contract.storageLayout.storage as SolcSlotItem[];
}

export function locOfId(side: LayoutSide, astId: number): SrcLoc | undefined {
  const n = side.nodes.get(astId);
  return n === undefined ? undefined : locOf(side.comp, n.src, astId);
}

/** The contract that declares an AST node (a state variable or struct member), by name. */
export function declaringContract(side: LayoutSide, astId: number): string {
  const n = side.nodes.get(astId);
  const scope = n?.scope;
  const owner = typeof scope === 'number' ? side.nodes.get(scope) : undefined;
  // A struct member's scope is its struct; the struct's scope is the contract (or the file).
  const top = owner?.nodeType === 'StructDefinition' && typeof owner.scope === 'number' ? side.nodes.get(owner.scope) : owner;
  return top?.nodeType === 'ContractDefinition' && typeof top.name === 'string' ? top.name : '';
}

/** Text of the NatSpec comment on a node (state variables, struct definitions), or ''. */
export function docOf(node: AstNode | undefined): string {
  const d = node?.documentation;
  if (typeof d === 'string') return d;
  if (d !== null && typeof d === 'object' && typeof (d as { text?: unknown }).text === 'string') return (d as { text: string }).text;
  return '';
}

/** The argument of `@custom:<tag> <arg>` in a node's NatSpec, if present. */
export function annotation(side: LayoutSide, astId: number, tag: string): string | undefined {
  const m = new RegExp(`@custom:${tag}\\s+(\\S+)`).exec(docOf(side.nodes.get(astId)));
  return m?.[1];
}

/** The AST id a storageLayout type id ends in: `t_enum(E)13`, `t_struct(S)18_storage`. */
export function typeAstId(typeId: string): number | undefined {
  const m = /\)(\d+)(?:_storage)?$/.exec(typeId);
  return m === null ? undefined : Number(m[1]);
}

/** Member names of the enum a `t_enum(...)id` type names. */
export function enumMembers(side: LayoutSide, typeId: string): readonly string[] | undefined {
  const id = typeAstId(typeId);
  const n = id === undefined ? undefined : side.nodes.get(id);
  const members = n?.members;
  return Array.isArray(members) ? members.map((m) => String((m as { name?: unknown }).name)) : undefined;
}

/**
 * The label a value type is encoded as: addresses, address payable and contract types are all a
 * 20-byte address; a user-defined value type is its underlying type.
 */
export function encodingLabel(side: LayoutSide, typeId: string, t: LayoutType): string {
  if (t.label === 'address payable' || t.label.startsWith('contract ')) return 'address';
  if (typeId.startsWith('t_userDefinedValueType(')) {
    const id = typeAstId(typeId);
    const n = id === undefined ? undefined : side.nodes.get(id);
    const under = (n?.underlyingType as { typeDescriptions?: { typeString?: unknown } } | undefined)?.typeDescriptions?.typeString;
    if (typeof under === 'string') return under === 'address payable' ? 'address' : under;
  }
  return t.label;
}

export const slotHex = (slot: bigint): string => '0x' + slot.toString(16);
