import type { Compilation, ContractOutput } from '../frontend/compile.ts';
import type { Finding } from './finding.ts';
import { layoutSide, type AstNode } from './layout/model.ts';

/**
 * Which entry points of the new version use storage the layout analysis found broken: an entry point
 * (function, getter, fallback, receive) uses every declaration its body, its modifiers and the internal
 * functions it reaches refer to. Virtual functions count with every same-named function of the
 * contract's bases, so an override is never missed (over-approximation: it can only mark more).
 */
export function affectedBy(comp: Compilation, contract: ContractOutput, disturbed: ReadonlyMap<number, Finding>): (entryAstId: number) => Finding | undefined {
  if (disturbed.size === 0) return () => undefined;
  const side = layoutSide(comp, contract, 'new');
  const bases = new Set((contract.ast.linearizedBaseContracts ?? []) as number[]);
  const byName = new Map<string, AstNode[]>();
  for (const n of side.nodes.values()) {
    if ((n.nodeType === 'FunctionDefinition' || n.nodeType === 'ModifierDefinition') && typeof n.scope === 'number' && bases.has(n.scope)) {
      const name = String(n.name);
      byName.set(name, [...(byName.get(name) ?? []), n]);
    }
  }
  const memo = new Map<number, Finding | null>();
  return (entry) => {
    const cached = memo.get(entry);
    if (cached !== undefined) return cached ?? undefined;
    const seen = new Set<number>();
    const queue = [entry];
    let hit: Finding | undefined;
    while (queue.length > 0 && hit === undefined) {
      const id = queue.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      hit = disturbed.get(id);
      const node = side.nodes.get(id);
      if (node === undefined) continue;
      for (const ref of references(node)) {
        if (seen.has(ref)) continue;
        const target = side.nodes.get(ref);
        if (target === undefined) continue;
        if (target.nodeType === 'FunctionDefinition' || target.nodeType === 'ModifierDefinition') {
          queue.push(ref);
          for (const o of byName.get(String(target.name)) ?? []) queue.push(o.id);
        } else if (disturbed.has(ref)) {
          queue.push(ref);
        }
      }
    }
    memo.set(entry, hit ?? null);
    return hit;
  };
}

/** Every declaration a node's subtree refers to (identifiers, member accesses, type names, modifiers). */
function references(node: AstNode): number[] {
  const out: number[] = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) {
      for (const y of x) walk(y);
      return;
    }
    if (x === null || typeof x !== 'object') return;
    const o = x as Record<string, unknown>;
    if (typeof o.referencedDeclaration === 'number') out.push(o.referencedDeclaration);
    // Inline assembly's externalReferences (`x.slot`, `x.offset`, plain `x`) name their declaration so.
    if (typeof o.declaration === 'number' && 'valueSize' in o) out.push(o.declaration);
    for (const v of Object.values(o)) if (typeof v === 'object') walk(v);
  };
  walk(node);
  return out;
}
