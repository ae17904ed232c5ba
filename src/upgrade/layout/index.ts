import type { Finding } from '../finding.ts';
import type { UpgradeInput } from '../index.ts';
import { LAYOUT } from './catalog.ts';
import { increasing, LayoutDiff, type Item } from './diff.ts';
import { layoutSide, locOfId, slotHex, storageItems, type LayoutSide } from './model.ts';
import { NamespaceLayoutError, namespaces } from './namespaces.ts';

export { LAYOUT } from './catalog.ts';

/**
 * Storage layout compatibility (PP1xx): the contract's own variables (inherited ones included), then
 * every ERC-7201 namespace, each compared like a root layout.
 */
export function layoutAnalysis(input: UpgradeInput): readonly Finding[] {
  return layoutReport(input).findings;
}

export interface LayoutReport {
  readonly findings: readonly Finding[];
  /**
   * Declarations of the new version (root state variables, ERC-7201 namespace structs) by AST id whose
   * storage no longer matches the old version, each with the error finding that explains it.
   */
  readonly disturbed: ReadonlyMap<number, Finding>;
}

// `check` asks twice (the report, then the affected entry points): one analysis per version pair.
const cache = new WeakMap<object, WeakMap<object, LayoutReport>>();

export function layoutReport(input: UpgradeInput): LayoutReport {
  const hit = cache.get(input.old.contract)?.get(input.new.contract);
  if (hit !== undefined) return hit;
  const old = layoutSide(input.old.compilation, input.old.contract, 'old');
  const neu = layoutSide(input.new.compilation, input.new.contract, 'new');
  const diff = new LayoutDiff(old, neu);
  const olds = diff.items(old, storageItems(old), false);
  const news = diff.items(neu, storageItems(neu), false);
  diff.diffItems(olds, news, { members: false, base: 0n, tail: true, prefix: '', movedOwners: movedOwners(olds, news), root: true });
  try {
    namespaceFindings(old, neu, diff);
  } catch (e) {
    if (!(e instanceof NamespaceLayoutError)) throw e;
    const newLoc = locOfId(neu, neu.contract.ast.id as number);
    diff.emit(LAYOUT.namespaceUnanalysed, `the ERC-7201 namespace structs could not be laid out (${e.message}), so their storage was not compared: please report this with the inputs`, { subject: neu.contract.name, ...(newLoc === undefined ? {} : { newLoc }) });
  }
  const report = { findings: dedupe(diff.findings), disturbed: diff.disturbed };
  const inner = cache.get(input.old.contract) ?? new WeakMap<object, LayoutReport>();
  inner.set(input.new.contract, report);
  cache.set(input.old.contract, inner);
  return report;
}

/** Contracts whose relative order in storage changed between the versions (by their variables). */
function movedOwners(olds: readonly Item[], news: readonly Item[]): Set<string> {
  const order = (items: readonly Item[]) => [...new Set(items.map((i) => i.owner))];
  const [o, n] = [order(olds), order(news)];
  const common = o.filter((c) => n.includes(c));
  const keep = increasing(common.map((c) => BigInt(n.indexOf(c))));
  return new Set(common.filter((_, i) => !keep.has(i)));
}

function namespaceFindings(old: LayoutSide, neu: LayoutSide, diff: LayoutDiff): void {
  const [on, nn] = [namespaces(old), namespaces(neu)];
  for (const [side, spaces] of [[old, on], [neu, nn]] as const) {
    for (const ns of spaces.values()) {
      for (const a of ns.assigned) {
        if (a.slot === ns.slot) continue;
        const loc = locOfId(side, a.astId);
        const at = { subject: `erc7201:${ns.id}`, ...(loc === undefined ? {} : side.which === 'old' ? { oldLoc: loc } : { newLoc: loc }), slot: { slot: slotHex(a.slot), offset: 0 } };
        const f = diff.emit(LAYOUT.namespaceSlot, `the ${side.which} version points ${String(ns.struct.name)} at ${slotHex(a.slot)}, but erc7201:${ns.id} is ${slotHex(ns.slot)}: use the formula keccak256(abi.encode(uint256(keccak256("${ns.id}")) - 1)) & ~bytes32(uint256(0xff))`, at);
        if (side.which === 'new') diff.disturbed.set(ns.struct.id, f);
      }
    }
  }
  for (const [id, o] of on) {
    const n = nn.get(id);
    const oldLoc = locOfId(old, o.struct.id);
    if (n === undefined) {
      diff.emit(LAYOUT.namespaceRemoved, `namespace erc7201:${id} (${String(o.struct.name)}) is gone, but its storage still holds the old values: keep the struct and its annotation`, { subject: `erc7201:${id}`, ...(oldLoc === undefined ? {} : { oldLoc }), slot: { slot: slotHex(o.slot), offset: 0 } });
      continue;
    }
    // The namespace's member types come from the helper compilation; layer them over the contract's.
    const sub = new LayoutDiff({ ...old, types: { ...old.types, ...o.types } }, { ...neu, types: { ...neu.types, ...n.types } });
    sub.diffItems(sub.items(sub.old, o.members, true), sub.items(sub.neu, n.members, true), { members: false, base: o.slot, tail: true, prefix: `${String(n.struct.name)}.` });
    diff.findings.push(...sub.findings);
    const broken = sub.findings.find((f) => f.severity === 'error');
    if (broken !== undefined && !diff.disturbed.has(n.struct.id)) diff.disturbed.set(n.struct.id, broken);
  }
  for (const [id, n] of nn) {
    if (on.has(id)) continue;
    const newLoc = locOfId(neu, n.struct.id);
    diff.emit(LAYOUT.namespaceAdded, `namespace erc7201:${id} (${String(n.struct.name)}) is new, at ${slotHex(n.slot)}`, { subject: `erc7201:${id}`, ...(newLoc === undefined ? {} : { newLoc }), slot: { slot: slotHex(n.slot), offset: 0 } });
  }
}

/** The same struct reached through several variables gives the same finding once. */
function dedupe(fs: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return fs.filter((f) => {
    const k = [f.code, f.subject, f.oldLoc?.astId, f.newLoc?.astId, f.message].join('|');
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
