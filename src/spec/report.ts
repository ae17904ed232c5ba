import type { MappingResult } from './mapping.ts';
import { assertNever } from '../util/assert.ts';
import { formatLoc, type SrcLoc } from '../util/loc.ts';
import type { Counterexample } from '../verdicts/types.ts';
import { toPlainJson, type Json } from '../report/plain.ts';
import type { PropertiesOverall, ProveResult } from './prove.ts';
import type { PropertyResult, PropertyVerdict, SpecFile } from './types.ts';

/*
 * Reports of properties: text for people, JSON (schemaVersion 1, documented in specs/README.md) for
 * machines. Presentation only: every verdict comes from src/spec/prove.ts.
 */

/** 0 every property proved; 1 some property violated; 2 vacuous, unknown, unsupported or bounded. */
export function propertiesExitCode(overall: PropertiesOverall): 0 | 1 | 2 {
  switch (overall) {
    case 'proved': return 0;
    case 'violated': return 1;
    case 'bounded': case 'vacuous': case 'unknown': case 'unsupported': case 'none': return 2;
    default: return assertNever(overall, 'properties verdict');
  }
}

export const NOT_CHECKED = 'state mappings (rename) are checked only by check --spec, against both storage layouts; the entry points are proved through a supported move or retype (value types and mappings of value types), other ones stay unchecked';
/** Where the spec file's `relation` entries are checked. */
export const RELATIONS_CHECKED = 'relation, added and removed entries are checked by `check --spec` with the entry points (the per-entry-point verdicts above)';

export function formatPropertiesText(r: ProveResult): string {
  const out = [`properties of ${r.contract} (${r.file}): ${r.overall}`];
  for (const p of r.properties) out.push(...propertyLines(p));
  out.push(...specNotes(r.spec));
  return out.join('\n') + '\n';
}

/** One block per property: header line, why, per entry point, counterexample. */
export function propertyLines(p: PropertyResult, label = ''): string[] {
  const msg = p.msg === undefined ? '' : ` "${p.msg}"`;
  const on = p.fn === undefined ? '' : ` on ${p.fn}`;
  const out = [`  ${label}${p.id} ${p.kind}${on} at ${formatLoc(p.loc)}: ${verdictWord(p.verdict)}${msg}`, `    ${p.expression}`];
  const why = detail(p.verdict);
  if (why !== '') out.push(`    ${why}`);
  if (p.entries.length > 1 || (p.kind === 'invariant' && p.entries.length > 0)) {
    for (const e of p.entries) out.push(`    - ${e.entryPoint}: ${verdictWord(e.verdict)}${e.verdict.kind === 'proved' ? '' : ` (${detail(e.verdict)})`}`);
  }
  const cex = p.verdict.kind === 'violated' || p.verdict.kind === 'unknown' ? p.verdict.counterexample : undefined;
  if (cex !== undefined) out.push(...counterexampleLines(cex));
  return out;
}

function verdictWord(v: PropertyVerdict): string {
  return v.kind === 'proved' && v.bound !== undefined ? `proved up to ${v.bound.loops} loop iterations (bounded)` : v.kind;
}

function detail(v: PropertyVerdict): string {
  switch (v.kind) {
    case 'proved': return v.bound === undefined ? '' : `some input reaches the loop bound at ${formatLoc(v.bound.exhaustedAt)}; nothing is claimed beyond it`;
    case 'violated': return v.reason;
    case 'vacuous': return `vacuous, not proved: ${v.reason}`;
    case 'unknown': return v.reason;
    case 'unsupported': return `${v.construct} at ${formatLoc(v.loc)}`;
    default: return assertNever(v, 'property verdict');
  }
}

function counterexampleLines(c: Counterexample): string[] {
  const out = [`    counterexample: ${c.entryPoint.replace(/\(.*$/, '')}(${c.args.map((a) => `${a.name || '_'} = ${a.value}`).join(', ')})`];
  out.push(`      environment: ${Object.entries(c.env).map(([k, v]) => `${k} = ${v}`).join(', ')}`);
  if (c.preState.length > 0) out.push(`      pre-state: ${c.preState.map((s) => `${s.name} = ${s.value}`).join(', ')}`);
  if (c.immutables !== undefined) out.push(`      immutables: ${c.immutables.map((m) => `${m.name} = ${m.value}`).join(', ')}`);
  out.push(`      calldata: ${c.calldata}`);
  const ret = c.old.returnValues.map((v) => v.value).join(', ');
  out.push(`      the call: ${c.old.status}${ret === '' ? '' : ` returning ${ret}`}${c.old.revert ? ` (${c.old.revert.description})` : ''}`);
  for (const w of c.old.storageWrites) out.push(`        writes ${w.name} = ${w.value}`);
  out.push(`      the check: ${c.new.status === 'revert' ? (c.new.revert?.description ?? 'revert') : 'passes'}`);
  if (c.replay !== undefined) out.push(`      EVM replay: ${c.replay.confirmed ? 'confirmed' : 'NOT reproduced'} (call: ${c.replay.old.summary}; check: ${c.replay.new.summary})`);
  return out;
}

function specNotes(spec: SpecFile | undefined, mappings?: readonly MappingResult[]): string[] {
  if (spec === undefined) return [];
  const out: string[] = [];
  if (spec.relations.length + spec.intended.length > 0) out.push(`spec ${spec.file}: ${RELATIONS_CHECKED}:`);
  for (const r of spec.relations) out.push(`  relation ${r.relation} for ${r.entryPoint}${r.condition ? ` when ${r.condition.text}` : ''} (${formatLoc(r.loc)})`);
  for (const c of spec.intended) out.push(`  ${c.kind} ${c.entryPoint} (${formatLoc(c.loc)})`);
  if (spec.stateMappings.length === 0) return out;
  if (mappings !== undefined) {
    out.push(`spec ${spec.file}: state mappings against both storage layouts:`);
    for (const r of mappings) out.push(`  rename ${r.mapping.oldName} -> ${r.mapping.newName} (${formatLoc(r.mapping.loc)}): ${r.detail}`);
    return out;
  }
  out.push(`spec ${spec.file}: ${NOT_CHECKED}:`);
  for (const m of spec.stateMappings) out.push(`  rename ${m.oldName} -> ${m.newName} (${formatLoc(m.loc)}): not checked by prove (one version); check --spec checks it`);
  return out;
}

/** `check --spec`: both versions' verdicts side by side, and what the patch does to each property. */
export function formatComparisonText(oldR: ProveResult, newR: ProveResult, mappings?: readonly MappingResult[]): string {
  const none = oldR.properties.length + newR.properties.length === 0;
  const out = [none ? 'properties: none in either version (no #invariant/#if_succeeds annotations or spec entries)' : `properties (old: ${oldR.overall}, new: ${newR.overall}):`];
  for (const p of newR.properties) {
    const o = oldR.properties.find((q) => q.kind === p.kind && q.expression === p.expression && q.fn === p.fn);
    const change = o === undefined ? 'new property' : transition(o.verdict.kind, p.verdict.kind);
    out.push(...propertyLines(p, '[new] ').map((l, i) => (i === 0 ? `${l}${change === '' ? '' : ` — ${change}`}` : l)));
  }
  for (const o of oldR.properties) {
    if (o.verdict.kind === 'proved') continue;
    out.push(...propertyLines(o, '[old] '));
  }
  out.push(...specNotes(newR.spec, mappings));
  return out.join('\n') + '\n';
}

function transition(o: PropertyVerdict['kind'], n: PropertyVerdict['kind']): string {
  if (o === 'violated' && n === 'proved') return 'the patch restores it (violated in the old version)';
  if (o === 'proved' && n === 'violated') return 'the patch breaks it (proved in the old version)';
  if (o === n) return `${o} in the old version too`;
  return `${o} in the old version`;
}

export interface JsonProperties {
  readonly contract: string;
  readonly file: string;
  readonly overall: PropertiesOverall;
  readonly properties: readonly Json[];
}

export function propertiesJson(r: ProveResult): JsonProperties {
  return { contract: r.contract, file: r.file, overall: r.overall, properties: r.properties.map(propertyJson) };
}

function loc(l: SrcLoc): Json {
  return { file: l.file, line: l.line, col: l.col };
}

function verdictJson(v: PropertyVerdict): Record<string, Json> {
  switch (v.kind) {
    case 'proved': return { verdict: 'proved', ...(v.bound === undefined ? {} : { bound: { loops: v.bound.loops, exhaustedAt: loc(v.bound.exhaustedAt) } }) };
    case 'violated': return { verdict: 'violated', ...(v.entryPoint === undefined ? {} : { entryPoint: v.entryPoint }), reason: v.reason, ...(v.counterexample === undefined ? {} : { counterexample: toPlainJson(v.counterexample) }) };
    case 'vacuous': return { verdict: 'vacuous', reason: v.reason };
    case 'unknown': return { verdict: 'unknown', reason: v.reason, ...(v.counterexample === undefined ? {} : { counterexample: toPlainJson(v.counterexample) }) };
    case 'unsupported': return { verdict: 'unsupported', construct: v.construct, constructLocation: loc(v.loc) };
    default: return assertNever(v, 'property verdict');
  }
}

function propertyJson(p: PropertyResult): Json {
  return {
    id: p.id,
    kind: p.kind,
    expression: p.expression,
    ...(p.msg === undefined ? {} : { msg: p.msg }),
    location: loc(p.loc),
    ...(p.fn === undefined ? {} : { function: p.fn }),
    ...verdictJson(p.verdict),
    entries: p.entries.map((e) => ({ entryPoint: e.entryPoint, ...verdictJson(e.verdict), solverCalls: e.solverCalls, durationMs: Math.round(e.durationMs) })),
  };
}

/** The spec file's two-version entries, typed, for JSON readers (state mappings not checked yet). */
export function specJson(spec: SpecFile | undefined): Json {
  if (spec === undefined) return null;
  return {
    file: spec.file,
    // `relation` entries are checked with the entry points by `check --spec` (not by `prove`: one version).
    relationsChecked: true,
    checked: spec.stateMappings.length === 0,
    note: spec.stateMappings.length === 0 ? RELATIONS_CHECKED : `${RELATIONS_CHECKED}; ${NOT_CHECKED}`,
    relations: spec.relations.map((r) => ({ entryPoint: r.entryPoint, relation: r.relation, ...(r.condition ? { condition: { text: r.condition.text, location: loc(r.condition.loc) } } : {}), location: loc(r.loc) })),
    stateMappings: spec.stateMappings.map((m) => ({ old: m.oldName, new: m.newName, location: loc(m.loc) })),
    intended: spec.intended.map((c) => ({ kind: c.kind, entryPoint: c.entryPoint, location: loc(c.loc) })),
  };
}
