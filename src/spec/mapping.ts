import type { Compilation, ContractOutput } from '../frontend/compile.ts';
import { annotation, layoutSide, locOfId } from '../upgrade/layout/model.ts';
import { PatchproofError } from '../frontend/errors.ts';
import type { MappedPlace, MappedVariable } from '../obligations/statemap.ts';
import { formatLoc } from '../util/loc.ts';
import type { StateMapping } from './types.ts';

/**
 * A spec file's `rename old -> new;` checked against both versions' storage layouts. A variable renamed in
 * place (same slot, offset and type) needs nothing more: every proof compares storage by slot, so it holds
 * through the mapping. A variable moved or retyped on purpose is proved through the mapping
 * (obligations/statemap.ts) when both are value types, or mappings of value types keyed alike, and a
 * retype keeps the kind of integer (`uintN` to `uintM`, `intN` to `intM`); anything else is reported and
 * counted as unchecked.
 */
export interface MappingResult {
  readonly mapping: StateMapping;
  readonly inPlace: boolean;
  /** The relation the entry points are proved through (absent: in place, or not supported). */
  readonly through?: MappedVariable;
  readonly detail: string;
}

interface LayoutEntry {
  readonly label: string;
  readonly slot: string;
  readonly offset: number;
  readonly type: string;
  readonly astId?: number;
}

interface LayoutType {
  readonly label?: string;
  readonly encoding?: string;
  readonly numberOfBytes?: string;
  readonly key?: string;
  readonly value?: string;
}

export function checkStateMappings(mappings: readonly StateMapping[], oldC: ContractOutput, newC: ContractOutput): MappingResult[] {
  return withoutOverlaps(mappings.map((m) => {
    const o = variable(oldC, m.oldName, m, 'old');
    const n = variable(newC, m.newName, m, 'new');
    const where = (e: LayoutEntry, c: ContractOutput) => `slot ${e.slot}, offset ${e.offset}, ${typeLabel(c, e.type)}`;
    const inPlace = o.slot === n.slot && o.offset === n.offset && typeLabel(oldC, o.type) === typeLabel(newC, n.type);
    if (inPlace) return { mapping: m, inPlace, detail: `renamed in place (${where(o, oldC)}): the entry points' proofs compare storage by slot, so they hold through this mapping` };
    const moved = `old ${where(o, oldC)}; new ${where(n, newC)}`;
    const through = relate(m, o, oldC, n, newC);
    if (typeof through === 'string') {
      return { mapping: m, inPlace, detail: `moved or retyped (${moved}): not proved through the mapping (${through}), so the entry points' verdicts do not account for it (counted as unchecked; the upgrade report lists the move)` };
    }
    const assumed = through.assumption === undefined ? '' : `, assuming ${through.assumption}`;
    return { mapping: m, inPlace, through, detail: `moved or retyped (${moved}): the entry points are proved through this mapping (the new variable holds the old one's value${through.depth > 0 ? ' at every key' : ''}${assumed})` };
  }));
}

/**
 * Two mappings whose places overlap in one version (the same variable renamed twice, or packed places
 * sharing bytes) would splice two mapped values into the same bytes, leaving one of them unrelated: such
 * mappings are not proved through (reported as unchecked).
 */
function withoutOverlaps(results: MappingResult[]): MappingResult[] {
  const overlap = (a: MappedPlace, b: MappedPlace, depth: number, depthB: number) =>
    a.root === b.root && depth === depthB && a.offset < b.offset + b.bytes && b.offset < a.offset + a.bytes;
  return results.map((r, i) => {
    const t = r.through;
    if (t === undefined) return r;
    const other = results.find((q, j) => j !== i && q.through !== undefined && (overlap(t.old, q.through.old, t.depth, q.through.depth) || overlap(t.new, q.through.new, t.depth, q.through.depth)));
    if (other === undefined) return r;
    const { through: _, ...rest } = r;
    return { ...rest, detail: `${r.mapping.oldName} -> ${r.mapping.newName} shares storage with ${other.mapping.oldName} -> ${other.mapping.newName} in one version: not proved through the mapping (counted as unchecked)` };
  });
}

/**
 * State mappings the new version declares in its NatSpec, as OpenZeppelin's upgrade tooling reads them:
 * `@custom:oz-renamed-from old` and `@custom:oz-retyped-from T` on a state variable relate it to the old
 * variable of that name (or of its own name, retyped) like a spec `rename`. A spec entry naming either
 * variable wins; an annotation naming no old variable is left to the upgrade report.
 */
export function annotatedMappings(comp: Compilation, newC: ContractOutput, oldC: ContractOutput, spec: readonly StateMapping[]): StateMapping[] {
  const side = layoutSide(comp, newC, 'new');
  const olds = new Set(((oldC.storageLayout?.storage ?? []) as LayoutEntry[]).map((e) => e.label));
  const out: StateMapping[] = [];
  for (const e of (newC.storageLayout?.storage ?? []) as LayoutEntry[]) {
    if (e.astId === undefined) continue;
    const renamed = annotation(side, e.astId, 'oz-renamed-from');
    if (renamed === undefined && annotation(side, e.astId, 'oz-retyped-from') === undefined) continue;
    const oldName = renamed ?? e.label;
    if (!olds.has(oldName) || spec.some((m) => m.oldName === oldName || m.newName === e.label)) continue;
    const loc = locOfId(side, e.astId);
    if (loc !== undefined) out.push({ oldName, newName: e.label, loc });
  }
  return out;
}

const VALUE = /^(uint\d*|int\d*|bool|address( payable)?|bytes\d+|enum .+|contract .+)$/;

/** The mapped variable relating the two declarations, or why they cannot be related exactly. */
function relate(m: StateMapping, o: LayoutEntry, oldC: ContractOutput, n: LayoutEntry, newC: ContractOutput): MappedVariable | string {
  const a = shapeOf(oldC, o.type);
  const b = shapeOf(newC, n.type);
  if (typeof a === 'string') return `old ${a}`;
  if (typeof b === 'string') return `new ${b}`;
  if (a.keys.join(',') !== b.keys.join(',')) return `the keys differ: (${a.keys.join(', ')}) and (${b.keys.join(', ')})`;
  const [ta, tb] = [a.value.label ?? '', b.value.label ?? ''];
  const int = (t: string) => /^u?int\d*$/.test(t);
  if (ta !== tb && !(int(ta) && int(tb) && ta.startsWith('u') === tb.startsWith('u'))) return `a retype from ${ta} to ${tb} is not value-preserving; only uintN to uintM and intN to intM are`;
  const place = (e: LayoutEntry, t: LayoutType, label: string): MappedPlace => ({
    root: BigInt(e.slot),
    offset: a.keys.length > 0 ? 0 : e.offset,
    bytes: Number(t.numberOfBytes ?? '32'),
    signed: /^int/.test(label),
    type: label,
    ...(e.astId === undefined ? {} : { astId: e.astId }),
  });
  const po = place(o, a.value, ta);
  const pn = place(n, b.value, tb);
  const bits = 8 * Math.min(po.bytes, pn.bytes);
  const name = a.keys.length > 0 ? `${m.oldName}[k]` : m.oldName;
  return {
    text: `${m.oldName} -> ${m.newName}`,
    oldName: m.oldName,
    newName: m.newName,
    depth: a.keys.length,
    old: po,
    new: pn,
    bits,
    ...(pn.bytes < po.bytes ? { assumption: `${a.keys.length > 0 ? 'every' : 'the'} old ${name} fits in ${tb}` } : {}),
  };
}

/** A value type, or mappings (key labels, outermost first) down to a value type; else why not. */
function shapeOf(c: ContractOutput, type: string): { keys: string[]; value: LayoutType } | string {
  const types = (c.storageLayout?.types ?? {}) as Record<string, LayoutType>;
  const keys: string[] = [];
  let t = types[type];
  while (t?.encoding === 'mapping') {
    const k = types[t.key ?? '']?.label ?? '';
    if (!VALUE.test(k)) return `mapping key ${k} is not a value type`;
    keys.push(k);
    t = types[t.value ?? ''];
  }
  if (t === undefined || t.encoding !== 'inplace' || !VALUE.test(t.label ?? '')) return `${t?.label ?? type} is not a value type or a mapping of value types`;
  return { keys, value: t };
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
