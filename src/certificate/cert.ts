import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { CheckResult, SideInfo } from '../api.ts';
import { PatchproofError } from '../frontend/errors.ts';
import { toPlainJson, type Json } from '../report/plain.ts';
import type { ObligationVerdictKind, VerdictKind } from '../verdicts/types.ts';

export const CERTIFICATE_FORMAT = 'patchproof-certificate/v0';

/**
 * Certificate v0: binds the verdicts to the exact tool, compiler, sources and runtime code they were
 * obtained for. It carries the sha256 of every SMT-LIB2 query but not the query text (`--dump-smt`
 * writes that); `verify` re-runs the check and compares with `compareCertificate`. Unsigned: v0 is a
 * reproducibility record, not an attestation. `check --out` now writes v1 (statement.ts, dsse.ts); v0 is
 * still read by `verify`, and `compareCertificate` is the comparison `verify --rebuild` uses for v1 too.
 */
export interface Certificate {
  readonly format: typeof CERTIFICATE_FORMAT;
  readonly tool: { readonly name: string; readonly version: string };
  readonly compiler: { readonly version: string; readonly settings: Json };
  readonly old: CertSide;
  readonly new: CertSide;
  readonly overall: OverallVerdict;
  readonly entryPoints: readonly CertEntryPoint[];
  readonly obligations: readonly CertObligation[];
  readonly assumptions: readonly string[];
  /** ISO 8601; informational only, never compared. */
  readonly createdAt: string;
}

export type OverallVerdict = CheckResult['overall'];

export interface CertSide {
  readonly file: string;
  readonly contract: string;
  /** Root-relative unit path and sha256 (lowercase hex) of its content. */
  readonly sources: readonly { readonly path: string; readonly sha256: string }[];
  /** keccak256 of the runtime bytecode, 0x-hex (= EXTCODEHASH once deployed). */
  readonly runtimeKeccak: string;
}

export interface CertEntryPoint {
  readonly signature: string;
  readonly selector: string | null;
  readonly verdict: VerdictKind;
  /** Present when the entry point is equivalent only up to the loop unrolling bound. */
  readonly bound?: { readonly loops: number; readonly exhaustedAt: { readonly file: string; readonly line: number; readonly col: number } };
}

export interface CertObligation {
  readonly id: string;
  readonly kind: string;
  readonly entryPoint: string;
  readonly verdict: ObligationVerdictKind;
  readonly smtSha256?: string;
  readonly solver?: string;
}

export function buildCertificate(r: CheckResult, now: Date = new Date()): Certificate {
  return {
    format: CERTIFICATE_FORMAT,
    tool: { name: r.tool.name, version: r.tool.version },
    compiler: { version: r.compiler.version, settings: toPlainJson(r.compiler.settings) },
    old: side(r.old),
    new: side(r.new),
    overall: r.overall,
    entryPoints: r.entryPoints.map((e) => ({
      signature: e.signature,
      selector: e.selector,
      verdict: e.verdict.kind,
      ...((e.verdict.kind === 'equivalent' || e.verdict.kind === 'refines') && e.verdict.bound !== undefined
        ? { bound: { loops: e.verdict.bound.loops, exhaustedAt: { file: e.verdict.bound.exhaustedAt.file, line: e.verdict.bound.exhaustedAt.line, col: e.verdict.bound.exhaustedAt.col } } }
        : {}),
    })),
    obligations: r.obligations.map((o) => ({
      id: o.id,
      kind: o.kind,
      entryPoint: o.entryPoint,
      verdict: o.verdict,
      ...(o.smtSha256 === undefined ? {} : { smtSha256: o.smtSha256 }),
      ...(o.solver === undefined ? {} : { solver: o.solver }),
    })),
    assumptions: [...r.assumptions],
    createdAt: now.toISOString(),
  };
}

function side(s: SideInfo): CertSide {
  return {
    file: s.file,
    contract: s.contract,
    sources: s.sources.map((u) => ({ path: u.path, sha256: u.sha256 })),
    runtimeKeccak: s.runtimeKeccak,
  };
}

/** Writes the certificate as pretty JSON, creating the parent directory if needed. */
export async function writeCertificate(file: string, cert: Certificate): Promise<void> {
  try {
    await fs.mkdir(path.dirname(path.resolve(file)), { recursive: true });
    await fs.writeFile(file, JSON.stringify(cert, null, 2) + '\n', 'utf8');
  } catch (e) {
    throw new PatchproofError('input', `cannot write certificate ${file}: ${(e as Error).message}`);
  }
}

/** Reads and validates a certificate; every defect is a PatchproofError('input') naming file and field. */
export async function readCertificate(file: string): Promise<Certificate> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message;
    throw new PatchproofError('input', `cannot read certificate ${file}: ${why}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new PatchproofError('input', `certificate ${file} is not valid JSON: ${(e as Error).message}`);
  }
  return parseCertificate(data, file);
}

const VERDICTS: readonly VerdictKind[] = ['equivalent', 'refines', 'different', 'unknown', 'unsupported', 'vacuous'];
const OBLIGATION_VERDICTS: readonly ObligationVerdictKind[] = [...VERDICTS, 'proved', 'violated'];
const SHA256 = /^[0-9a-f]{64}$/;
const KECCAK = /^0x[0-9a-f]{64}$/;
const SELECTOR = /^0x[0-9a-f]{8}$/;

/** Validates parsed JSON as a v0 certificate. Unknown extra fields are ignored (v0 compares none of them). */
export function parseCertificate(data: unknown, file: string): Certificate {
  const v = new Validator(file);
  const root = v.object(data, '(top level)');
  const format = v.string(root, 'format');
  if (format !== CERTIFICATE_FORMAT) {
    v.fail(`field format is ${JSON.stringify(format)}; this patchproof reads ${CERTIFICATE_FORMAT}`);
  }
  const toolObj = v.object(root.tool, 'tool');
  const compilerObj = v.object(root.compiler, 'compiler');
  if (!('settings' in compilerObj)) v.missing('compiler.settings');
  const sideOf = (name: 'old' | 'new'): CertSide => {
    const s = v.object(root[name], name);
    return {
      file: v.string(s, 'file', name),
      contract: v.string(s, 'contract', name),
      sources: v.array(s.sources, `${name}.sources`).map((u, i) => {
        const at = `${name}.sources[${i}]`;
        const o = v.object(u, at);
        return { path: v.string(o, 'path', at), sha256: v.string(o, 'sha256', at, SHA256, 'lowercase hex sha256') };
      }),
      runtimeKeccak: v.string(s, 'runtimeKeccak', name, KECCAK, '0x-prefixed lowercase hex keccak256'),
    };
  };
  return {
    format: CERTIFICATE_FORMAT,
    tool: { name: v.string(toolObj, 'name', 'tool'), version: v.string(toolObj, 'version', 'tool') },
    compiler: { version: v.string(compilerObj, 'version', 'compiler'), settings: compilerObj.settings as Json },
    old: sideOf('old'),
    new: sideOf('new'),
    overall: v.overall(root),
    entryPoints: v.array(root.entryPoints, 'entryPoints').map((e, i) => {
      const at = `entryPoints[${i}]`;
      const o = v.object(e, at);
      const selector = o.selector === null ? null : v.string(o, 'selector', at, SELECTOR, '0x-prefixed 4-byte hex selector or null');
      return { signature: v.string(o, 'signature', at), selector, verdict: v.verdict(o, 'verdict', at), ...(o.bound === undefined ? {} : { bound: v.bound(o.bound, `${at}.bound`) }) };
    }),
    obligations: v.array(root.obligations, 'obligations').map((e, i) => {
      const at = `obligations[${i}]`;
      const o = v.object(e, at);
      return {
        id: v.string(o, 'id', at),
        kind: v.string(o, 'kind', at),
        entryPoint: v.string(o, 'entryPoint', at),
        verdict: v.obligationVerdict(o, 'verdict', at),
        ...(o.smtSha256 === undefined ? {} : { smtSha256: v.string(o, 'smtSha256', at, SHA256, 'lowercase hex sha256') }),
        ...(o.solver === undefined ? {} : { solver: v.string(o, 'solver', at) }),
      };
    }),
    assumptions: v.array(root.assumptions, 'assumptions').map((a, i): string =>
      typeof a === 'string' ? a : v.fail(`field assumptions[${i}] must be a string`),
    ),
    createdAt: v.string(root, 'createdAt'),
  };
}

class Validator {
  constructor(private readonly file: string) {}

  fail(what: string): never {
    throw new PatchproofError('input', `invalid certificate ${this.file}: ${what}`);
  }

  missing(field: string): never {
    return this.fail(`field ${field} is missing`);
  }

  object(x: unknown, field: string): Record<string, unknown> {
    if (x === undefined) this.missing(field);
    if (typeof x !== 'object' || x === null || Array.isArray(x)) this.fail(`field ${field} must be an object`);
    return x as Record<string, unknown>;
  }

  array(x: unknown, field: string): unknown[] {
    if (x === undefined) this.missing(field);
    if (!Array.isArray(x)) this.fail(`field ${field} must be an array`);
    return x;
  }

  string(o: Record<string, unknown>, key: string, at = '', pattern?: RegExp, expected?: string): string {
    const field = at === '' ? key : `${at}.${key}`;
    const x = o[key];
    if (x === undefined) this.missing(field);
    if (typeof x !== 'string') this.fail(`field ${field} must be a string`);
    if (pattern !== undefined && !pattern.test(x)) this.fail(`field ${field} must be a ${expected}, got ${JSON.stringify(x)}`);
    return x;
  }

  overall(o: Record<string, unknown>): OverallVerdict {
    const s = this.string(o, 'overall');
    if (s === 'bounded' || s === 'incompatible' || s === 'violated') return s;
    if (s === 'proved') this.fail('field overall must be an overall verdict, got "proved"');
    return this.verdict(o, 'overall', '');
  }

  bound(x: unknown, field: string): NonNullable<CertEntryPoint['bound']> {
    const o = this.object(x, field);
    const loops = o.loops;
    if (typeof loops !== 'number' || !Number.isInteger(loops) || loops < 1) this.fail(`field ${field}.loops must be a positive integer`);
    const at = this.object(o.exhaustedAt, `${field}.exhaustedAt`);
    const num = (k: string): number => {
      const n = at[k];
      if (typeof n !== 'number' || !Number.isInteger(n)) this.fail(`field ${field}.exhaustedAt.${k} must be an integer`);
      return n;
    };
    return { loops, exhaustedAt: { file: this.string(at, 'file', `${field}.exhaustedAt`), line: num('line'), col: num('col') } };
  }

  verdict(o: Record<string, unknown>, key: string, at: string): VerdictKind {
    const s = this.string(o, key, at);
    const field = at === '' ? key : `${at}.${key}`;
    if (!(VERDICTS as readonly string[]).includes(s)) {
      this.fail(`field ${field} must be one of ${VERDICTS.join(', ')}, got ${JSON.stringify(s)}`);
    }
    return s as VerdictKind;
  }

  obligationVerdict(o: Record<string, unknown>, key: string, at: string): ObligationVerdictKind {
    const s = this.string(o, key, at);
    if (!(OBLIGATION_VERDICTS as readonly string[]).includes(s)) this.fail(`field ${at}.${key} must be one of ${OBLIGATION_VERDICTS.join(', ')}, got ${JSON.stringify(s)}`);
    return s as ObligationVerdictKind;
  }
}

/**
 * What differs between a certificate and a fresh run of the same check, one precise sentence each;
 * empty when everything the certificate binds matches. Compared: tool name and version, compiler version
 * and settings, contract names, every source hash (by root-relative path), runtime keccak of both sides,
 * entry points (added, dropped, verdict), every obligation (added, dropped, kind, entry point, verdict,
 * smtSha256) and the overall verdict. Not compared: file paths as given (they depend on the working
 * directory), the solver that answered (re-solving with another solver is the point), assumptions (fixed
 * by the tool version), timings and createdAt.
 */
export function compareCertificate(cert: Certificate, fresh: CheckResult): string[] {
  const now = buildCertificate(fresh, new Date(0));
  const out: string[] = [];
  const diff = (what: string, was: string, is: string) => {
    if (was !== is) out.push(`${what}: certificate has ${was}, fresh run has ${is}`);
  };

  diff('tool', `${cert.tool.name} ${cert.tool.version}`, `${now.tool.name} ${now.tool.version}`);
  diff('compiler version', cert.compiler.version, now.compiler.version);
  diff('compiler settings', canonicalJson(cert.compiler.settings), canonicalJson(now.compiler.settings));

  for (const name of ['old', 'new'] as const) {
    const a = cert[name];
    const b = now[name];
    diff(`${name} contract`, a.contract, b.contract);
    diff(`${name} runtime keccak256`, a.runtimeKeccak, b.runtimeKeccak);
    const fresh = new Map(b.sources.map((s) => [s.path, s.sha256]));
    const certified = new Map(a.sources.map((s) => [s.path, s.sha256]));
    for (const [p, h] of certified) {
      const f = fresh.get(p);
      if (f === undefined) out.push(`${name} source ${p}: in the certificate but not in the fresh compilation`);
      else diff(`${name} source ${p} sha256`, h, f);
    }
    for (const p of fresh.keys()) {
      if (!certified.has(p)) out.push(`${name} source ${p}: in the fresh compilation but not in the certificate`);
    }
  }

  const entryKey = (e: CertEntryPoint) => e.signature;
  const freshEntries = new Map(now.entryPoints.map((e) => [entryKey(e), e]));
  const certEntries = new Map(cert.entryPoints.map((e) => [entryKey(e), e]));
  for (const [k, e] of certEntries) {
    const f = freshEntries.get(k);
    if (f === undefined) {
      out.push(`entry point ${k}: in the certificate but dropped from the fresh run`);
      continue;
    }
    diff(`entry point ${k} selector`, String(e.selector), String(f.selector));
    diff(`entry point ${k} verdict`, e.verdict, f.verdict);
    const bound = (x: CertEntryPoint) => (x.bound === undefined ? 'none (unbounded)' : `loops unrolled to ${x.bound.loops}`);
    diff(`entry point ${k} loop bound`, bound(e), bound(f));
  }
  for (const k of freshEntries.keys()) {
    if (!certEntries.has(k)) out.push(`entry point ${k}: added in the fresh run, not in the certificate`);
  }

  const freshObligations = new Map(now.obligations.map((o) => [o.id, o]));
  const certObligations = new Map(cert.obligations.map((o) => [o.id, o]));
  for (const [id, o] of certObligations) {
    const f = freshObligations.get(id);
    if (f === undefined) {
      out.push(`obligation ${id}: in the certificate but dropped from the fresh run`);
      continue;
    }
    diff(`obligation ${id} kind`, o.kind, f.kind);
    diff(`obligation ${id} entry point`, o.entryPoint, f.entryPoint);
    diff(`obligation ${id} verdict`, o.verdict, f.verdict);
    diff(`obligation ${id} smtSha256`, o.smtSha256 ?? '(no solver query)', f.smtSha256 ?? '(no solver query)');
  }
  for (const id of freshObligations.keys()) {
    if (!certObligations.has(id)) out.push(`obligation ${id}: added in the fresh run, not in the certificate`);
  }

  diff('overall verdict', cert.overall, now.overall);
  return out;
}

/** JSON with object keys sorted, so settings compare by content, not by key order. */
function canonicalJson(x: Json): string {
  if (Array.isArray(x)) return `[${x.map(canonicalJson).join(',')}]`;
  if (x !== null && typeof x === 'object') {
    const keys = Object.keys(x).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(x[k] ?? null)}`).join(',')}}`;
  }
  return JSON.stringify(x);
}
