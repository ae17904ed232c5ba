import { locOf, type Compilation, type ContractOutput } from '../../frontend/compile.ts';
import type { SrcLoc } from '../../util/loc.ts';

/**
 * solc's compact AST as the hazard checks read it. The frontend hands the AST over untyped (solc's JSON);
 * this module is the one place that knows its shape, so the checks ask questions ("which functions does
 * the contract have", "what does this call reach") instead of walking JSON themselves.
 */
export interface AstNode { readonly nodeType: string; readonly id: number; readonly src: string; readonly [k: string]: any }

/** One version of the implementation: the checked contract, its bases, and every AST node by id. */
export interface Side {
  readonly comp: Compilation;
  readonly contract: ContractOutput;
  readonly root: AstNode;
  /** Linearised bases, most derived (the checked contract) first: solc's `linearizedBaseContracts`. */
  readonly bases: readonly AstNode[];
  readonly nodes: ReadonlyMap<number, AstNode>;
  /** The contract definition that declares each node (functions, modifiers, variables, statements). */
  readonly owner: ReadonlyMap<number, AstNode>;
}

export function sideOf(comp: Compilation, contract: ContractOutput): Side {
  const nodes = new Map<number, AstNode>();
  const owner = new Map<number, AstNode>();
  for (const su of comp.sources.values()) {
    walk(su.ast as AstNode, (n, stack) => {
      if (typeof n.id === 'number') nodes.set(n.id, n);
      const c = stack.find((s) => s.nodeType === 'ContractDefinition');
      if (c !== undefined && typeof n.id === 'number') owner.set(n.id, c);
    });
  }
  const root = contract.ast as AstNode;
  const bases = (root.linearizedBaseContracts as number[]).map((id) => nodes.get(id)).filter((n): n is AstNode => n !== undefined);
  return { comp, contract, root, bases, nodes, owner };
}

/**
 * Visits every node below `node` (itself included) in source order, with the ancestors (nearest first).
 * Yul nodes have no ids but are visited too. Returning `false` from `visit` skips the node's children.
 */
export function walk(node: AstNode, visit: (n: AstNode, ancestors: readonly AstNode[]) => boolean | void, ancestors: AstNode[] = []): void {
  if (visit(node, ancestors) === false) return;
  ancestors.unshift(node);
  for (const [key, value] of Object.entries(node)) {
    if (key === 'typeDescriptions' || key === 'documentation') continue;
    for (const child of Array.isArray(value) ? value : [value]) {
      if (isNode(child)) walk(child, visit, ancestors);
    }
  }
  ancestors.shift();
}

function isNode(v: unknown): v is AstNode {
  return typeof v === 'object' && v !== null && typeof (v as { nodeType?: unknown }).nodeType === 'string';
}

/** Every node below `node` of one kind, in source order. */
export function findAll(node: AstNode, nodeType: string): AstNode[] {
  const out: AstNode[] = [];
  walk(node, (n) => { if (n.nodeType === nodeType) out.push(n); });
  return out;
}

/** Every node below `node` of one kind, children first: the order calls run in (arguments before the call). */
export function postOrder(node: AstNode, nodeType: string): AstNode[] {
  const out: AstNode[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'typeDescriptions' || key === 'documentation') continue;
    for (const child of Array.isArray(value) ? value : [value]) if (isNode(child)) out.push(...postOrder(child, nodeType));
  }
  if (node.nodeType === nodeType) out.push(node);
  return out;
}

export function loc(side: Side, node: AstNode): SrcLoc {
  return locOf(side.comp, node.src, typeof node.id === 'number' ? node.id : -1);
}

/** `src` offsets are bytes: each unit's UTF-8 encoding, made once. */
const utf8 = new WeakMap<object, Uint8Array>();

/** The source text of a node, whitespace collapsed (for syntactic comparisons across versions). */
export function text(side: Side, node: AstNode): string {
  const m = /^(\d+):(\d+):(\d+)$/.exec(node.src);
  const unit = m ? side.comp.sourcesById.get(Number(m[3])) : undefined;
  if (!m || unit === undefined) return '';
  let encoded = utf8.get(unit);
  if (encoded === undefined) utf8.set(unit, (encoded = new TextEncoder().encode(unit.content)));
  const bytes = encoded.subarray(Number(m[1]), Number(m[1]) + Number(m[2]));
  return new TextDecoder().decode(bytes).replace(/\s+/g, ' ').replace(/ ?([(),;{}[\]]) ?/g, '$1').trim();
}

export function typeString(node: AstNode | undefined): string {
  return (node?.typeDescriptions?.typeString as string | undefined) ?? '';
}

/** `Contract.member`, naming a declaration for messages. */
export function qualified(side: Side, decl: AstNode): string {
  const c = side.owner.get(decl.id);
  const name = decl.nodeType === 'FunctionDefinition' && decl.kind !== 'function' ? String(decl.kind) : String(decl.name);
  return c === undefined ? name : `${c.name}.${name}`;
}

// ---- declarations of the implementation ----

export function functionsOf(contract: AstNode): AstNode[] {
  return (contract.nodes as AstNode[]).filter((n) => n.nodeType === 'FunctionDefinition');
}

export function stateVariablesOf(contract: AstNode): AstNode[] {
  return (contract.nodes as AstNode[]).filter((n) => n.nodeType === 'VariableDeclaration');
}

/** Name and parameter types: what an override must match. */
export function overrideKey(fn: AstNode): string {
  const params = (fn.parameters?.parameters as AstNode[] | undefined) ?? [];
  return `${fn.kind}:${fn.name}(${params.map(typeString).join(',')})`;
}

/**
 * The functions the implementation really has: for each override key the most derived definition
 * (constructors are per contract and all run, so every one is kept).
 */
export function effectiveFunctions(side: Side): AstNode[] {
  const seen = new Set<string>();
  const out: AstNode[] = [];
  for (const c of side.bases) {
    for (const fn of functionsOf(c)) {
      if (fn.kind === 'constructor') { out.push(fn); continue; }
      const key = overrideKey(fn);
      if (seen.has(key)) continue;
      seen.add(key);
      if (fn.implemented !== false) out.push(fn);
    }
  }
  return out;
}

/** The most derived implemented function with this name (any parameters), if the implementation has one. */
export function effectiveFunction(side: Side, name: string): AstNode | undefined {
  return effectiveFunctions(side).find((f) => f.name === name && f.kind === 'function');
}

export function isExternallyCallable(fn: AstNode): boolean {
  return fn.kind === 'fallback' || fn.kind === 'receive' || (fn.kind === 'function' && (fn.visibility === 'public' || fn.visibility === 'external'));
}

/** A modifier invocation's name without any qualifier (`Base.onlyOwner` → `onlyOwner`). */
export function modifierName(m: AstNode): string {
  return String(m.modifierName?.name ?? '').split('.').pop() ?? '';
}

export function modifierNames(fn: AstNode): string[] {
  return ((fn.modifiers as AstNode[] | undefined) ?? []).map(modifierName);
}

export function isLibrary(c: AstNode | undefined): boolean {
  return c?.contractKind === 'library';
}

// ---- @custom:oz-upgrades-* annotations ----

/** The unsafe-allow kinds OpenZeppelin's upgrades plugins know (and we honour). */
export type UnsafeAllow =
  | 'selfdestruct' | 'delegatecall' | 'constructor' | 'state-variable-immutable' | 'state-variable-assignment'
  | 'external-library-linking' | 'missing-initializer' | 'missing-initializer-call' | 'duplicate-initializer-call'
  | 'incorrect-initializer-order';

function docText(node: AstNode | undefined): string {
  const d: unknown = node?.documentation;
  if (typeof d === 'string') return d;
  if (typeof d === 'object' && d !== null) return String((d as { text?: unknown }).text ?? '');
  return '';
}

/** Kinds listed after `@custom:<tag>` in a node's NatSpec (several tags and several kinds per tag allowed). */
function tagged(node: AstNode | undefined, tag: string): Set<string> {
  const out = new Set<string>();
  // `(?![\\w-])`: the tag `oz-upgrades-unsafe-allow` must not match `oz-upgrades-unsafe-allow-reachable`.
  const re = new RegExp(`@custom:${tag}(?![\\w-])([^@]*)`, 'g');
  for (const m of docText(node).matchAll(re)) {
    for (const k of (m[1] ?? '').split(/[\s,]+/)) if (k !== '') out.add(k);
  }
  return out;
}

/**
 * Whether a hazard of `kind` at a declaration is allowed: by `@custom:oz-upgrades-unsafe-allow <kind>` on
 * the declaration itself, on the contract declaring it, or on the checked contract (which vouches for
 * what it inherits); by `@custom:oz-upgrades-unsafe-allow-reachable <kind>` on the entry point through
 * which the hazard is reached.
 */
export function allowed(side: Side, kind: UnsafeAllow, at: AstNode | undefined, entry?: AstNode): boolean {
  const holders = [at, at === undefined ? undefined : side.owner.get(at.id), side.root];
  if (holders.some((h) => tagged(h, 'oz-upgrades-unsafe-allow').has(kind))) return true;
  return entry !== undefined && tagged(entry, 'oz-upgrades-unsafe-allow-reachable').has(kind);
}

// ---- what "upgradeable" means ----

/**
 * A contract is treated as an upgradeable implementation when any of these holds (README "Upgrade
 * safety"): a base (or itself) is named `Initializable` or `UUPSUpgradeable`; some function carries an
 * `initializer`/`reinitializer` modifier; it has a `proxiableUUID` function; or its NatSpec has an
 * `@custom:oz-upgrades*` tag. Plain contracts get no hazard findings: their constructors and initial
 * values are fine when nothing delegates to them.
 */
export function isUpgradeable(side: Side): boolean {
  if (side.bases.some((b) => b.name === 'Initializable' || b.name === 'UUPSUpgradeable')) return true;
  if (isUups(side)) return true;
  if (effectiveFunctions(side).some((f) => modifierNames(f).some((m) => m === 'initializer' || m === 'reinitializer'))) return true;
  return /@custom:oz-upgrades/.test(docText(side.root));
}

/** UUPS: inherits UUPSUpgradeable or has `proxiableUUID` (ERC-1822). */
export function isUups(side: Side): boolean {
  return side.bases.some((b) => b.name === 'UUPSUpgradeable') || effectiveFunction(side, 'proxiableUUID') !== undefined;
}
