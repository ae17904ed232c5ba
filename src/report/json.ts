import type { CheckResult, SideInfo } from '../api.ts';
import { assertNever } from '../util/assert.ts';
import type { SrcLoc } from '../util/loc.ts';
import type { EntryKind, EntryPointResult, EquivalenceProof, ObligationRecord, ObligationVerdictKind, OverallVerdict, PropertyResult, VerdictKind } from '../verdicts/types.ts';
import { exitCodeOf, type VerdictExitCode } from './exit.ts';
import { toPlainJson, type Json } from './plain.ts';
import { upgradeJson, type JsonUpgrade } from '../upgrade/format.ts';

export { EXIT, exitCodeOf } from './exit.ts';

/** Bumped on any change that can break a reader: a removed or renamed field, or a changed meaning. */
export const JSON_SCHEMA_VERSION = 1;

/**
 * The machine-readable report (`patchproof check --format json`), schema version 1.
 *
 * Stability rules: fields are only ever added within a schema version; optional fields are omitted
 * (never null) when they do not apply; key order is fixed; no number is a 256-bit quantity (hashes,
 * slots and EVM values are strings: 0x-hex or decimal as documented per field). Durations are whole
 * milliseconds. Gas is never compared (`gasCompared` is always false).
 */
export interface JsonReport {
  readonly schemaVersion: typeof JSON_SCHEMA_VERSION;
  readonly tool: { readonly name: 'patchproof'; readonly version: string };
  /** solc long version and the standard-JSON settings both versions were compiled with. */
  readonly compiler: { readonly version: string; readonly settings: Json };
  readonly old: JsonSide;
  readonly new: JsonSide;
  /**
   * Worst entry-point verdict: different > unsupported > unknown > bounded > equivalent, where `bounded`
   * means every entry point is equivalent but some only up to the loop bound (see `bound`); overridden by
   * `incompatible` when the upgrade report is (see `upgrade`).
   */
  readonly overall: OverallVerdict;
  /** The CLI's exit code for this report: 0 equivalent/refines, 1 different/violated/incompatible, 2 unknown/unsupported/vacuous/bounded. */
  readonly exitCode: VerdictExitCode;
  readonly gasCompared: false;
  readonly entryPoints: readonly JsonEntryPoint[];
  readonly obligations: readonly JsonObligation[];
  /** Assumptions every verdict rests on, as sentences. */
  readonly assumptions: readonly string[];
  readonly timings: { readonly compileMs: number; readonly encodeMs: number; readonly solveMs: number; readonly totalMs: number };
  /**
   * Upgrade safety of old -> new behind a proxy: storage layout (PP1xx) and proxy hazards (PP2xx).
   * `verdict: incompatible` (some finding is an error) makes `overall` incompatible and the exit code 1.
   */
  readonly upgrade: JsonUpgrade;
  /** The relation checked: `equivalence` (default) or `fix` (every entry point must refine; see `refines`). Added last: keys only grow. */
  readonly mode: 'equivalence' | 'fix';
}

export interface JsonSide {
  /** The file as given on the command line. */
  readonly file: string;
  readonly contract: string;
  /** keccak256 of the deployed (runtime) bytecode, 0x-hex: what EXTCODEHASH returns on chain. */
  readonly runtimeKeccak: string;
  /** Every compiled source unit: root-relative path and sha256 (lowercase hex, no 0x) of its content. */
  readonly sources: readonly { readonly path: string; readonly sha256: string }[];
  /** The solc long version that compiled this version (top-level `compiler` is the new version's). */
  readonly compiler?: string;
  /**
   * solc's known bugs (by the names solc's bug list gives them) that affect that compiler under its
   * settings; the constructs they can reach are `unsupported`. Absent when there are none.
   */
  readonly compilerBugs?: readonly string[];
}

export interface JsonLocation {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based, in characters. */
  readonly col: number;
}

export interface JsonEntryPoint {
  /** 0x-prefixed 4-byte selector; null for fallback and receive. */
  readonly selector: string | null;
  /** Canonical signature, e.g. `transfer(address,uint256)`; `fallback()` / `receive()`. */
  readonly signature: string;
  readonly kind: EntryKind;
  readonly verdict: VerdictKind;
  /** equivalent and refines: how it was proved. */
  readonly how?: EquivalenceProof;
  /**
   * equivalent and refines, only when the proof holds up to the loop unrolling bound: every loop was unrolled
   * `loops` times and some input reaches that bound at `exhaustedAt`. Absent: the proof is unbounded.
   */
  readonly bound?: { readonly loops: number; readonly exhaustedAt: JsonLocation };
  /** different, only one version has it: the spec entry (`file:line:col`) declaring that intended; not in `overall`. */
  readonly intendedBy?: string;
  /** refines only: the intended-change conditions (`--differs-only-when`) it was proved with. */
  readonly intended?: readonly string[];
  /** refines only: why an entry point whose versions the solver found equivalent is only claimed to refine. */
  readonly note?: string;
  /** different, unknown and vacuous: why. */
  readonly reason?: string;
  /** unsupported only: the construct the IR does not model ... */
  readonly construct?: string;
  /** ... and where it is. */
  readonly constructLocation?: JsonLocation;
  /**
   * different (when one was found) and unknown after a spurious counterexample: mirrors `Counterexample`
   * in src/verdicts/types.ts, including `replay`, the EVM execution of both versions.
   */
  readonly counterexample?: Json;
  /** Where the entry point is declared, when it has a declaration. */
  readonly location?: JsonLocation;
  readonly durationMs: number;
  readonly solverCalls: number;
  /** Properties checked at this entry point (`--blocks`, the new version's asserts); absent when none. */
  readonly properties?: readonly JsonProperty[];
}

/** One property of an entry point: an exploit condition the new version must block, or its asserts. */
export interface JsonProperty {
  readonly kind: 'blocks' | 'asserts';
  readonly text: string;
  /** Where it was stated: `source` is the CLI flag (`--blocks`) or a spec file; line/col of the condition. */
  readonly origin?: { readonly source: string; readonly line: number; readonly col: number };
  readonly verdict: 'proved' | 'violated' | 'vacuous' | 'unknown' | 'unsupported';
  /** proved only: how, and the loop bound when it holds only up to it. */
  readonly how?: EquivalenceProof;
  readonly bound?: { readonly loops: number; readonly exhaustedAt: JsonLocation };
  /** violated, vacuous, unknown: why. */
  readonly reason?: string;
  /** violated: the failing assert (asserts). */
  readonly at?: JsonLocation;
  readonly construct?: string;
  readonly constructLocation?: JsonLocation;
  /** violated (and unknown after a spurious one): as for entry points, with `replay`. */
  readonly counterexample?: Json;
  /** proved blocks: an input on which the old version succeeds although the condition holds (the exploit). */
  readonly witness?: Json;
}

export interface JsonObligation {
  readonly id: string;
  readonly kind: string;
  /** Signature of the entry point the obligation belongs to. */
  readonly entryPoint: string;
  readonly verdict: ObligationVerdictKind;
  /** sha256 (lowercase hex) of the exact SMT-LIB2 text solved; absent when no solver call was needed. */
  readonly smtSha256?: string;
  readonly solver?: string;
  readonly durationMs: number;
}

/** The JSON report as plain data: safe for JSON.stringify (no bigint, Map or undefined inside). */
export function toJson(r: CheckResult): JsonReport {
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    tool: { name: r.tool.name, version: r.tool.version },
    compiler: { version: r.compiler.version, settings: toPlainJson(r.compiler.settings) },
    old: side(r.old),
    new: side(r.new),
    overall: r.overall,
    exitCode: exitCodeOf(r.overall),
    gasCompared: false,
    entryPoints: r.entryPoints.map(entryPoint),
    obligations: r.obligations.map(obligation),
    assumptions: [...r.assumptions],
    timings: {
      compileMs: wholeMs(r.timings.compileMs),
      encodeMs: wholeMs(r.timings.encodeMs),
      solveMs: wholeMs(r.timings.solveMs),
      totalMs: wholeMs(r.timings.totalMs),
    },
    upgrade: upgradeJson(r.upgrade),
    mode: r.mode ?? 'equivalence',
  };
}

function side(s: SideInfo): JsonSide {
  return {
    file: s.file,
    contract: s.contract,
    runtimeKeccak: s.runtimeKeccak,
    sources: s.sources.map((u) => ({ path: u.path, sha256: u.sha256 })),
    ...(s.compilerVersion === undefined ? {} : { compiler: s.compilerVersion }),
    ...(s.compilerBugs === undefined ? {} : { compilerBugs: s.compilerBugs }),
  };
}

function entryPoint(ep: EntryPointResult): JsonEntryPoint {
  const base = { selector: ep.selector, signature: ep.signature, kind: ep.kind, verdict: ep.verdict.kind };
  const tail = {
    ...(ep.location === undefined ? {} : { location: location(ep.location) }),
    durationMs: wholeMs(ep.durationMs),
    solverCalls: ep.solverCalls,
    ...(ep.properties === undefined ? {} : { properties: ep.properties.map(property) }),
    ...(ep.intendedBy === undefined ? {} : { intendedBy: ep.intendedBy }),
  };
  const v = ep.verdict;
  switch (v.kind) {
    case 'equivalent':
      return { ...base, how: v.how, ...(v.bound === undefined ? {} : { bound: { loops: v.bound.loops, exhaustedAt: location(v.bound.exhaustedAt) } }), ...(v.through === undefined ? {} : { through: v.through }), ...tail };
    case 'different':
      return {
        ...base,
        reason: v.reason,
        ...(v.counterexample === undefined ? {} : { counterexample: toPlainJson(v.counterexample) }),
        ...tail,
      };
    case 'unknown':
      return { ...base, reason: v.reason, ...(v.counterexample === undefined ? {} : { counterexample: toPlainJson(v.counterexample) }), ...tail };
    case 'unsupported':
      return { ...base, construct: v.construct, constructLocation: location(v.loc), ...tail };
    case 'refines':
      return {
        ...base,
        how: v.how,
        ...(v.bound === undefined ? {} : { bound: { loops: v.bound.loops, exhaustedAt: location(v.bound.exhaustedAt) } }),
        ...(v.intended === undefined ? {} : { intended: [...v.intended] }),
        ...(v.note === undefined ? {} : { note: v.note }),
        ...tail,
      };
    case 'vacuous':
      return { ...base, reason: v.reason, ...tail };
    default:
      return assertNever(v, 'verdict');
  }
}

function property(p: PropertyResult): JsonProperty {
  const base = { kind: p.kind, text: p.text, ...(p.origin === undefined ? {} : { origin: { ...p.origin } }), verdict: p.verdict.kind };
  const v = p.verdict;
  switch (v.kind) {
    case 'proved':
      return { ...base, ...(v.how === undefined ? {} : { how: v.how }), ...(v.bound === undefined ? {} : { bound: { loops: v.bound.loops, exhaustedAt: location(v.bound.exhaustedAt) } }), ...(v.witness === undefined ? {} : { witness: toPlainJson(v.witness) }) };
    case 'violated':
      return { ...base, reason: v.reason, ...(v.at === undefined ? {} : { at: location(v.at) }), ...(v.counterexample === undefined ? {} : { counterexample: toPlainJson(v.counterexample) }) };
    case 'vacuous':
      return { ...base, reason: v.reason };
    case 'unknown':
      return { ...base, reason: v.reason, ...(v.counterexample === undefined ? {} : { counterexample: toPlainJson(v.counterexample) }) };
    case 'unsupported':
      return { ...base, construct: v.construct, constructLocation: location(v.loc) };
    default:
      return assertNever(v, 'property verdict');
  }
}

function obligation(o: ObligationRecord): JsonObligation {
  return {
    id: o.id,
    kind: o.kind,
    entryPoint: o.entryPoint,
    verdict: o.verdict,
    ...(o.smtSha256 === undefined ? {} : { smtSha256: o.smtSha256 }),
    ...(o.solver === undefined ? {} : { solver: o.solver }),
    durationMs: wholeMs(o.durationMs),
  };
}

function location(l: SrcLoc): JsonLocation {
  return { file: l.file, line: l.line, col: l.col };
}

function wholeMs(x: number): number {
  return Number.isFinite(x) ? Math.round(x) : 0;
}
