import { isLibrary, overrideKey, walk, type AstNode, type Side } from './ast.ts';

/**
 * Which code of the implementation can run through the proxy: everything reachable from an external
 * entry point through internal calls, modifiers, `super`, internal library functions and public library
 * functions (those run by DELEGATECALL in the proxy's context too). Virtual calls are over-approximated:
 * a call reaches the referenced definition and the implementation's most derived override of it.
 * External calls to other contracts reach nothing here (their code does not run in the proxy's storage).
 */
export interface Reach {
  /** Each reachable function or modifier definition, with every entry point that reaches it. */
  readonly via: ReadonlyMap<number, readonly AstNode[]>;
}

/** `stop`: definitions not entered (nor recorded), e.g. trusted code whose internals are not scanned. */
export function reachFrom(side: Side, entries: readonly AstNode[], stop: (decl: AstNode) => boolean = () => false): Reach {
  const via = new Map<number, AstNode[]>();
  for (const entry of entries) {
    const seen = new Set<number>();
    const queue = [entry];
    for (let decl = queue.shift(); decl !== undefined; decl = queue.shift()) {
      if (seen.has(decl.id) || stop(decl)) continue;
      seen.add(decl.id);
      via.set(decl.id, [...(via.get(decl.id) ?? []), entry]);
      queue.push(...callees(side, decl));
    }
  }
  return { via };
}

/** Function and modifier definitions a definition's code can transfer control to in the same context. */
export function callees(side: Side, decl: AstNode): AstNode[] {
  const out = new Map<number, AstNode>();
  const add = (d: AstNode | undefined) => { if (d !== undefined) out.set(d.id, d); };
  walk(decl, (n) => {
    if (n === decl) return;
    if (n.nodeType === 'ModifierInvocation') {
      const m = side.nodes.get(n.modifierName?.referencedDeclaration as number);
      if (m?.nodeType === 'ModifierDefinition') { add(m); add(mostDerived(side, m)); }
      return;
    }
    if (n.nodeType !== 'Identifier' && n.nodeType !== 'MemberAccess') return;
    const target = side.nodes.get(n.referencedDeclaration as number);
    if (target?.nodeType !== 'FunctionDefinition' || target.implemented === false && !isVirtual(target)) return;
    for (const t of runsHere(side, target)) add(t);
  });
  return [...out.values()];
}

/** The definitions a reference to `fn` can run in the proxy's context (none for another contract's code). */
function runsHere(side: Side, fn: AstNode): AstNode[] {
  const owner = side.owner.get(fn.id);
  if (isLibrary(owner)) return [fn];
  if (owner === undefined || !side.bases.includes(owner)) return [];
  const derived = mostDerived(side, fn);
  return derived === undefined || derived === fn ? [fn] : [fn, derived];
}

function isVirtual(fn: AstNode): boolean {
  return fn.virtual === true;
}

/** The implementation's most derived definition overriding `d` (same name and parameter types). */
export function mostDerived(side: Side, d: AstNode): AstNode | undefined {
  const key = d.nodeType === 'ModifierDefinition' ? `modifier:${d.name}` : overrideKey(d);
  for (const c of side.bases) {
    for (const n of c.nodes as AstNode[]) {
      if (n.nodeType !== d.nodeType || n.implemented === false) continue;
      const k = n.nodeType === 'ModifierDefinition' ? `modifier:${n.name}` : overrideKey(n);
      if (k === key) return n;
    }
  }
  return undefined;
}

/** The function or modifier (else contract) that encloses a node, from its ancestors. */
export function enclosing(ancestors: readonly AstNode[]): AstNode | undefined {
  return ancestors.find((a) => a.nodeType === 'FunctionDefinition' || a.nodeType === 'ModifierDefinition');
}
