import { loadCompiler, shortVersion } from '../../frontend/compilers.ts';
import type { LayoutType } from '../../shadow/layout.ts';
import { invariant } from '../../util/assert.ts';
import { keccakBig, wordBytes } from '../../util/hash.ts';
import { docOf, type AstNode, type LayoutSide, type SolcSlotItem } from './model.ts';

/*
 * ERC-7201 namespaced storage: a struct annotated `@custom:storage-location erc7201:<id>` lives at
 * keccak256(abi.encode(uint256(keccak256(id)) - 1)) & ~0xff instead of in the contract's sequential
 * layout, so solc's storageLayout does not list it. Its member layout comes from compiling a helper
 * contract that declares one variable of each namespace struct; the slot the code actually uses comes
 * from the `$.slot := CONSTANT` assignments in inline assembly.
 */

export interface Namespace {
  readonly id: string;
  readonly struct: AstNode;
  /** The slot the id prescribes. */
  readonly slot: bigint;
  /** Slots the contract's assembly assigns to pointers of this struct (constant values), with where. */
  readonly assigned: readonly { readonly slot: bigint; readonly astId: number }[];
  readonly members: readonly SolcSlotItem[];
  /** Types of the helper compilation (the struct's member types live there). */
  readonly types: Readonly<Record<string, LayoutType>>;
}

/** The helper contract that lays the namespace structs out did not compile (e.g. a struct it cannot name). */
export class NamespaceLayoutError extends Error {}

export function erc7201Slot(id: string): bigint {
  return keccakBig(wordBytes(keccakBig(id) - 1n)) & ~0xffn;
}

/** The namespaces the contract (or a base) declares, by id. */
export function namespaces(side: LayoutSide): Map<string, Namespace> {
  const structs: { id: string; node: AstNode }[] = [];
  const bases = (side.contract.ast.linearizedBaseContracts ?? []) as number[];
  for (const b of bases) {
    const c = side.nodes.get(b);
    for (const n of (c?.nodes ?? []) as AstNode[]) {
      if (n.nodeType !== 'StructDefinition') continue;
      const m = /@custom:storage-location\s+erc7201:(\S+)/.exec(docOf(n));
      if (m !== null && !structs.some((s) => s.id === m[1])) structs.push({ id: m[1]!, node: n });
    }
  }
  const out = new Map<string, Namespace>();
  if (structs.length === 0) return out;
  const layouts = structLayouts(side, structs.map((s) => s.node));
  const assigned = slotAssignments(side, bases);
  for (const [i, s] of structs.entries()) {
    const l = layouts.vars[i];
    invariant(l !== undefined, `no helper layout for namespace ${s.id}`);
    const members = (layouts.types[l.type]?.members ?? []) as SolcSlotItem[];
    out.set(s.id, { id: s.id, struct: s.node, slot: erc7201Slot(s.id), assigned: assigned.get(s.node.id) ?? [], members, types: layouts.types });
  }
  return out;
}

/** Compiles `contract __PatchproofNamespaces { S0 s0; S1 s1; ... }` next to the sources to get each struct's layout. */
function structLayouts(side: LayoutSide, structs: readonly AstNode[]): { vars: SolcSlotItem[]; types: Record<string, LayoutType> } {
  const units = new Map<string, string>();
  const decls = structs.map((s, i) => {
    const unitId = Number(s.src.split(':')[2]);
    const unit = side.comp.sourcesById.get(unitId)?.path;
    invariant(unit !== undefined, `namespace struct ${String(s.name)} has no source unit`);
    if (!units.has(unit)) units.set(unit, `__pp${units.size}`);
    return `  ${units.get(unit)}.${String(s.canonicalName ?? s.name)} s${i};`;
  });
  // '~' sorts after every other unit name, so solc numbers the real sources' AST nodes exactly as before
  // and the type ids and member ids of the helper output point into the main compilation's AST.
  const helper = '~patchproof_namespaces.sol';
  const source = [
    '// SPDX-License-Identifier: UNLICENSED',
    'pragma solidity >=0.8.0;',
    ...[...units].map(([u, alias]) => `import * as ${alias} from ${JSON.stringify(u)};`),
    'contract __PatchproofNamespaces {',
    ...decls,
    '}',
  ].join('\n');
  const input = side.comp.input as { sources: Record<string, unknown>; settings: object };
  const json = {
    language: 'Solidity',
    sources: { ...input.sources, [helper]: { content: source } },
    settings: { ...input.settings, outputSelection: { [helper]: { __PatchproofNamespaces: ['storageLayout'] } } },
  };
  // The helper must be compiled by the compiler that made the side's AST ids and type ids.
  const solc = loadCompiler(shortVersion(side.comp.solcVersion) ?? '');
  const output = JSON.parse(solc.compile(JSON.stringify(json), { import: () => ({ error: 'patchproof: no imports beyond the compilation' }) })) as {
    errors?: { severity: string; formattedMessage: string }[];
    contracts?: Record<string, Record<string, { storageLayout?: { storage: SolcSlotItem[]; types: Record<string, LayoutType> | null } }>>;
  };
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length > 0) throw new NamespaceLayoutError(errors.map((e) => e.formattedMessage.split('\n')[0]).join('; '));
  const layout = output.contracts?.[helper]?.__PatchproofNamespaces?.storageLayout;
  if (layout === undefined) throw new NamespaceLayoutError('the helper contract has no storage layout');
  return { vars: layout.storage, types: layout.types ?? {} };
}

/** Struct id -> constant slots assigned by `$.slot := NAME` (or a literal) in the contracts' assembly. */
function slotAssignments(side: LayoutSide, bases: readonly number[]): Map<number, { slot: bigint; astId: number }[]> {
  const out = new Map<number, { slot: bigint; astId: number }[]>();
  const inBases = new Set(bases);
  for (const n of side.nodes.values()) {
    if (n.nodeType !== 'InlineAssembly' || !inBases.has(contractOf(side, n))) continue;
    const refs = (n.externalReferences ?? []) as { declaration: number; src: string; suffix?: string }[];
    walkYul(n.AST, (stmt) => {
      const target = stmt.variableNames?.[0];
      if (stmt.nodeType !== 'YulAssignment' || target === undefined || !target.name.endsWith('.slot')) return;
      const ptr = side.nodes.get(refs.find((r) => r.src === target.src)?.declaration ?? -1);
      const struct = (ptr?.typeName as { referencedDeclaration?: number } | undefined)?.referencedDeclaration;
      if (struct === undefined) return;
      const slot = constantValue(side, stmt.value, refs);
      if (slot !== undefined) out.set(struct, [...(out.get(struct) ?? []), { slot, astId: n.id }]);
    });
  }
  return out;
}

interface YulNode {
  readonly nodeType: string;
  readonly src: string;
  readonly name?: string;
  readonly value?: YulNode | string;
  readonly variableNames?: readonly { readonly name: string; readonly src: string }[];
  readonly [k: string]: unknown;
}

function walkYul(x: unknown, visit: (n: YulNode) => void): void {
  if (Array.isArray(x)) {
    for (const y of x) walkYul(y, visit);
    return;
  }
  if (x === null || typeof x !== 'object') return;
  const n = x as YulNode;
  if (typeof n.nodeType === 'string') visit(n);
  for (const v of Object.values(n)) if (typeof v === 'object') walkYul(v, visit);
}

function constantValue(side: LayoutSide, v: YulNode | string | undefined, refs: readonly { declaration: number; src: string }[]): bigint | undefined {
  if (v === undefined || typeof v === 'string') return undefined;
  if (v.nodeType === 'YulLiteral' && typeof v.value === 'string') return toBig(v.value);
  if (v.nodeType !== 'YulIdentifier') return undefined;
  const decl = side.nodes.get(refs.find((r) => r.src === v.src)?.declaration ?? -1);
  if (decl?.constant !== true) return undefined;
  const lit = decl.value as { nodeType?: string; value?: string } | undefined;
  return lit?.nodeType === 'Literal' && typeof lit.value === 'string' ? toBig(lit.value) : undefined;
}

function toBig(s: string): bigint | undefined {
  try {
    return BigInt(s.replace(/_/g, ''));
  } catch {
    return undefined;
  }
}

function contractOf(side: LayoutSide, n: AstNode): number {
  // The enclosing contract: the ContractDefinition whose source range contains this node.
  const [start, , unit] = n.src.split(':').map(Number);
  for (const c of side.nodes.values()) {
    if (c.nodeType !== 'ContractDefinition') continue;
    const [cs, cl, cu] = c.src.split(':').map(Number);
    if (cu === unit && start! >= cs! && start! < cs! + cl!) return c.id;
  }
  return -1;
}

