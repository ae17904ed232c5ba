import type { Term, TermFactory } from './term.ts';

/**
 * The injectivity assumption for keccak256 (patchproof assumes no collisions, as every Solidity contract
 * does): for every two distinct hash terms in a query, equal outputs imply equal inputs of the same
 * length, and inputs of different lengths never hash alike. Conjoined with a difference predicate, it only
 * removes models in which the solver invented a collision; real keccak256 satisfies it barring a collision
 * nobody has found.
 */
export function keccakAxioms(F: TermFactory, goal: Term, limit = 64): Term[] {
  const hashes: Extract<Term, { tag: 'uf' }>[] = [];
  const seen = new Set<number>();
  const stack: Term[] = [goal];
  while (stack.length > 0) {
    const t = stack.pop()!;
    if (seen.has(t.id)) continue;
    seen.add(t.id);
    if (t.tag === 'uf' && t.name.startsWith('keccak256.')) hashes.push(t);
    if (t.tag === 'app' || t.tag === 'uf') stack.push(...t.args);
  }
  // Quadratic in the number of hashes; past the limit the query is merely weaker (still sound).
  const hs = hashes.sort((a, b) => a.id - b.id).slice(0, limit);
  const out: Term[] = [];
  for (let i = 0; i < hs.length; i++) {
    for (let j = i + 1; j < hs.length; j++) {
      const a = hs[i]!;
      const b = hs[j]!;
      out.push(a.name === b.name ? F.or(F.not(F.eq(a, b)), F.eq(a.args[0]!, b.args[0]!)) : F.not(F.eq(a, b)));
    }
  }
  return out;
}
