import type { ContractOutput } from '../frontend/compile.ts';
import { PatchproofError } from '../frontend/errors.ts';
import { formatLoc } from '../util/loc.ts';
import type { StateMapping } from './types.ts';

/**
 * A spec file's `rename old -> new;` checked against both versions' storage layouts. A variable renamed in
 * place (same slot, offset and type) needs nothing more: every proof compares storage by slot, so it holds
 * through the mapping. A variable moved or retyped on purpose is not proved through yet (the storage
 * encoding would have to read the new slot as the old one): reported, and counted as unchecked.
 */
export interface MappingResult {
  readonly mapping: StateMapping;
  readonly inPlace: boolean;
  readonly detail: string;
}

interface LayoutEntry {
  readonly label: string;
  readonly slot: string;
  readonly offset: number;
  readonly type: string;
}

export function checkStateMappings(mappings: readonly StateMapping[], oldC: ContractOutput, newC: ContractOutput): MappingResult[] {
  return mappings.map((m) => {
    const o = variable(oldC, m.oldName, m, 'old');
    const n = variable(newC, m.newName, m, 'new');
    const where = (e: LayoutEntry, c: ContractOutput) => `slot ${e.slot}, offset ${e.offset}, ${typeLabel(c, e.type)}`;
    const inPlace = o.slot === n.slot && o.offset === n.offset && typeLabel(oldC, o.type) === typeLabel(newC, n.type);
    return {
      mapping: m,
      inPlace,
      detail: inPlace
        ? `renamed in place (${where(o, oldC)}): the entry points' proofs compare storage by slot, so they hold through this mapping`
        : `moved or retyped (old ${where(o, oldC)}; new ${where(n, newC)}): the entry points were compared slot by slot, not through this mapping, so their verdicts do not account for it (counted as unchecked; the upgrade report lists the move)`,
    };
  });
}

function variable(c: ContractOutput, name: string, m: StateMapping, side: 'old' | 'new'): LayoutEntry {
  const all = (c.storageLayout?.storage ?? []) as LayoutEntry[];
  const found = all.filter((e) => e.label === name);
  if (found.length === 1) return found[0]!;
  const what = found.length === 0 ? `the ${side} version ${c.name} has no state variable ${name}` : `the ${side} version ${c.name} has ${found.length} state variables named ${name} (inherited)`;
  throw new PatchproofError('input', `${formatLoc(m.loc)}: rename ${m.oldName} -> ${m.newName}: ${what}`);
}

function typeLabel(c: ContractOutput, type: string): string {
  const t = c.storageLayout?.types?.[type] as { label?: string } | undefined;
  return t?.label ?? type;
}
