import type { EntryRelation, IntendedChangeSpec, RelationSpec } from '../obligations/relations.ts';
import type { SpecFile } from './types.ts';

/**
 * A spec file's `relation` entries as the relation obligations' data (src/obligations/relations.ts), for
 * `check --spec`. Conditions use the old version's names, as `--blocks`/`--differs-only-when` do by
 * default: an exploit is stated against the deployed code. Entry points may be bare names; the check
 * resolves them against both versions' entry points. `added`/`removed` entries declare one-sided entry
 * points intended.
 */
export function relationsOfSpec(spec: SpecFile): { relations: RelationSpec[]; entryRelations: EntryRelation[]; intended: IntendedChangeSpec[] } {
  const relations: RelationSpec[] = [];
  const entryRelations: EntryRelation[] = [];
  for (const r of spec.relations) {
    const at = r.condition?.loc ?? r.loc;
    const origin = { source: spec.file, line: at.line, col: at.col };
    switch (r.relation) {
      case 'equivalent':
      case 'refines':
        entryRelations.push({ entryPoint: r.entryPoint, mode: r.relation === 'refines' ? 'fix' : 'equivalence', origin });
        break;
      case 'blocks':
      case 'differs-only-when': {
        const condition = { entryPoint: r.entryPoint, text: r.condition?.text ?? '', version: 'old' as const, origin };
        relations.push(r.relation === 'blocks' ? { kind: 'blocks', condition } : { kind: 'differs-only-when', condition, inside: 'new-reverts' });
        break;
      }
    }
  }
  const intended = spec.intended.map((c) => ({ kind: c.kind, entryPoint: c.entryPoint, origin: { source: spec.file, line: c.loc.line, col: c.loc.col } }));
  return { relations, entryRelations, intended };
}
