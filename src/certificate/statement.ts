import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { keccak256 } from 'viem';
import type { CheckResult, SideInfo } from '../api.ts';
import { compilerFile } from '../frontend/compilers.ts';
import { PatchproofError } from '../frontend/errors.ts';
import { toPlainJson } from '../report/plain.ts';
import { invariant } from '../util/assert.ts';
import type { ObligationKind } from '../verdicts/types.ts';
import { envelopeOf, payloadBytes, type Envelope } from './dsse.ts';
import { predicateSchema, validate } from './schema.ts';

/*
 * Certificate v1: an in-toto Statement v1 (https://github.com/in-toto/attestation, spec/v1) whose
 * subjects are the old and new runtime code and whose predicate (schemas/patchproof-predicate.schema.json)
 * records how the verdicts were obtained, with every SMT-LIB2 query embedded gzip+base64 so anyone can
 * re-solve it. Wrapped in a DSSE envelope (dsse.ts); sign.ts adds signatures, proposal.ts the governance
 * binding, verify.ts re-checks.
 */

export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const PREDICATE_TYPE = 'https://patchproof.dev/attestation/upgrade-proof/v1';

export interface Subject {
  readonly name: string;
  /** Lowercase hex without 0x: keccak256 (= EXTCODEHASH once deployed) and sha256 of the runtime code. */
  readonly digest: { readonly keccak256: string; readonly sha256: string };
}

export interface Statement {
  readonly _type: typeof STATEMENT_TYPE;
  readonly subject: readonly [Subject, Subject];
  readonly predicateType: typeof PREDICATE_TYPE;
  readonly predicate: Predicate;
}

export interface Implementation {
  readonly file: string;
  readonly contract: string;
  readonly inputSha256: string;
  readonly sources: readonly { readonly path: string; readonly sha256: string }[];
  readonly runtimeKeccak256: string;
  readonly runtimeSha256: string;
  readonly metadataStrippedKeccak256: string;
  readonly immutableRanges: readonly { readonly start: number; readonly length: number }[];
  /** The compiler of this version (predicate.compiler is the new version's; a 0.7 old differs). */
  readonly compiler?: { readonly longVersion: string; readonly soljsonSha256: string };
}

export interface PredicateObligation {
  readonly id: string;
  readonly kind: ObligationKind;
  readonly entryPoint: string;
  readonly relation: string;
  readonly verdict: string;
  readonly assumptions: readonly string[];
  readonly smtSha256?: string;
  /** gzip then base64 of the SMT-LIB2 text whose sha256 is smtSha256. */
  readonly smt?: string;
  readonly solver?: string;
  readonly timeMs: number;
}

export interface Governance {
  readonly kind: 'governor' | 'timelock' | 'timelock-batch' | 'bravo' | 'safe';
  readonly actionHash: string;
  /** Every intermediate value of the action hash (description hash, salt, domain separator...), 0x-hex or decimal. */
  readonly details: Readonly<Record<string, string>>;
  readonly installs: readonly { readonly target: string; readonly function: string; readonly proxy?: string; readonly implementation: string }[];
  readonly implementationCodeHash: string;
}

export interface Predicate {
  readonly tool: { readonly name: 'patchproof'; readonly version: string };
  readonly compiler: { readonly longVersion: string; readonly settings: object; readonly soljsonSha256: string };
  readonly mode: 'equivalence' | 'fix';
  readonly implementations: { readonly old: Implementation; readonly new: Implementation };
  readonly spec?: { readonly path: string; readonly sha256: string };
  readonly entryPoints: readonly { readonly signature: string; readonly selector: string | null; readonly verdict: string; readonly bound?: object }[];
  readonly obligations: readonly PredicateObligation[];
  readonly assumptions: readonly string[];
  readonly layout: { readonly verdict: 'compatible' | 'incompatible'; readonly findings: readonly { readonly code: string; readonly severity: string; readonly message: string }[] };
  readonly overall: string;
  readonly governance?: Governance;
  readonly createdAt: string;
}

const RELATION: Record<ObligationKind, string> = {
  equivalence: 'old and new agree on success, return data, revert data, storage, balances, logs and external calls',
  refines: 'the new version reverts or behaves exactly as the old one',
  'differs-only-when': 'old and new agree outside the stated condition, and the new version reverts inside it',
  blocks: 'the new version reverts whenever the stated exploit condition holds',
  asserts: 'no assert of the new version can fail',
};

export function sha256Of(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

const soljsonHashes = new Map<string, string>();

/**
 * sha256 of the compiler `longVersion` names, as loaded: the bundled solc package's soljson.js, or
 * the Hardhat cache's download (frontend/compilers.ts compilerFile).
 */
export function soljsonSha256(longVersion: string): string {
  const file = compilerFile(longVersion);
  let hash = soljsonHashes.get(file);
  if (hash === undefined) {
    hash = sha256Of(readFileSync(file));
    soljsonHashes.set(file, hash);
  }
  return hash;
}

/**
 * Runtime code without solc's CBOR metadata trailer (its length is the code's last two bytes), so
 * rebuilding with other comments or paths can be compared on code alone. Unchanged if there is no trailer.
 */
export function stripMetadata(code: Uint8Array): Uint8Array {
  if (code.length < 2) return code;
  const n = (code[code.length - 2]! << 8) | code[code.length - 1]!;
  // A CBOR map starts with 0xa1..0xb7; anything else is not a solc trailer.
  if (n + 2 > code.length || n === 0) return code;
  const first = code[code.length - 2 - n]!;
  return first >= 0xa1 && first <= 0xb7 ? code.slice(0, code.length - 2 - n) : code;
}

export function implementationOf(s: SideInfo): Implementation {
  const code = new Uint8Array(Buffer.from(s.runtimeBytecode.replace(/^0x/, ''), 'hex'));
  invariant(s.inputSha256 !== undefined, `no standard-JSON input hash for ${s.file}: the certificate needs check's SideInfo`);
  return {
    file: s.file,
    contract: s.contract,
    inputSha256: s.inputSha256,
    sources: s.sources.map((u) => ({ path: u.path, sha256: u.sha256 })),
    runtimeKeccak256: keccak256(code),
    runtimeSha256: sha256Of(code),
    metadataStrippedKeccak256: keccak256(stripMetadata(code)),
    immutableRanges: (s.immutableRanges ?? []).map((r) => ({ start: r.start, length: r.length })),
    ...(s.compilerVersion === undefined ? {} : { compiler: { longVersion: s.compilerVersion, soljsonSha256: soljsonSha256(s.compilerVersion) } }),
  };
}

export interface StatementExtras {
  readonly spec?: { readonly path: string; readonly content: string };
  readonly now?: Date;
}

export function buildStatement(r: CheckResult, extras: StatementExtras = {}): Statement {
  const old = implementationOf(r.old);
  const neu = implementationOf(r.new);
  // Queries are keyed by query id (obligation id plus a suffix per attempt); the deciding one is found by hash.
  const bySha = new Map([...r.queries.values()].map((t) => [sha256Of(t), t]));
  const bounded = new Map(r.entryPoints.flatMap((e) => ((e.verdict.kind === 'equivalent' || e.verdict.kind === 'refines') && e.verdict.bound !== undefined ? [[e.signature, e.verdict.bound.loops] as const] : [])));
  const predicate: Predicate = {
    tool: { name: 'patchproof', version: r.tool.version },
    compiler: { longVersion: r.compiler.version, settings: toPlainJson(r.compiler.settings) as object, soljsonSha256: soljsonSha256(r.compiler.version) },
    mode: r.mode ?? 'equivalence',
    implementations: { old, new: neu },
    ...(extras.spec === undefined ? {} : { spec: { path: extras.spec.path, sha256: sha256Of(extras.spec.content) } }),
    entryPoints: r.entryPoints.map((e) => ({
      signature: e.signature,
      selector: e.selector,
      verdict: e.verdict.kind,
      ...((e.verdict.kind === 'equivalent' || e.verdict.kind === 'refines') && e.verdict.bound !== undefined
        ? { bound: { loops: e.verdict.bound.loops, exhaustedAt: { file: e.verdict.bound.exhaustedAt.file, line: e.verdict.bound.exhaustedAt.line, col: e.verdict.bound.exhaustedAt.col } } }
        : {}),
    })),
    obligations: r.obligations.map((o) => {
      const text = o.smtSha256 === undefined ? undefined : bySha.get(o.smtSha256);
      const loops = bounded.get(o.entryPoint);
      return {
        id: o.id,
        kind: o.kind,
        entryPoint: o.entryPoint,
        relation: RELATION[o.kind],
        verdict: o.verdict,
        assumptions: [
          ...(loops === undefined ? [] : [`loops unrolled to ${loops} iterations; nothing is proved beyond`]),
          'every assumption of predicate.assumptions, including the re-entrancy condition on external callees',
        ],
        ...(o.smtSha256 === undefined ? {} : { smtSha256: o.smtSha256 }),
        ...(o.smtSha256 !== undefined && text !== undefined ? { smt: gzipSync(Buffer.from(text, 'utf8')).toString('base64') } : {}),
        ...(o.solver === undefined ? {} : { solver: o.solver }),
        timeMs: Math.round(o.durationMs),
      };
    }),
    assumptions: [...r.assumptions],
    layout: { verdict: r.upgrade.verdict, findings: r.upgrade.findings.map((f) => ({ code: f.code, severity: f.severity, message: f.message })) },
    overall: r.overall,
    createdAt: (extras.now ?? new Date()).toISOString(),
  };
  return {
    _type: STATEMENT_TYPE,
    subject: [subjectOf(`old:${old.contract}`, old), subjectOf(`new:${neu.contract}`, neu)],
    predicateType: PREDICATE_TYPE,
    predicate,
  };
}

function subjectOf(name: string, i: Implementation): Subject {
  return { name, digest: { keccak256: i.runtimeKeccak256.slice(2), sha256: i.runtimeSha256 } };
}

export function envelopeOfStatement(s: Statement): Envelope {
  return envelopeOf(JSON.stringify(s));
}

/** A statement read back, with its exact bytes (what signatures and statementHash bind) and decoded queries. */
export interface ReadStatement {
  readonly statement: Statement;
  readonly bytes: Uint8Array;
  /** keccak256 of the payload bytes, 0x-hex: the statementHash of the EIP-712 UpgradeProof. */
  readonly statementHash: `0x${string}`;
  /** SMT-LIB2 text by obligation id, each checked against its smtSha256. */
  readonly queries: ReadonlyMap<string, string>;
}

/**
 * Decodes and checks the payload: the Statement's envelope fields, the predicate against the published
 * schema, subjects against the implementations, and every embedded query against its hash. Each defect is
 * a PatchproofError('input') naming the field.
 */
export function readStatement(env: Envelope, file: string): ReadStatement {
  const bad = (what: string): never => {
    throw new PatchproofError('input', `invalid certificate ${file}: ${what}`);
  };
  const bytes = payloadBytes(env);
  let s: Record<string, unknown>;
  try {
    s = JSON.parse(Buffer.from(bytes).toString('utf8')) as Record<string, unknown>;
  } catch (e) {
    return bad(`payload is not JSON: ${(e as Error).message}`);
  }
  if (s._type !== STATEMENT_TYPE) bad(`statement _type must be ${STATEMENT_TYPE}, got ${JSON.stringify(s._type)}`);
  if (s.predicateType !== PREDICATE_TYPE) bad(`predicateType must be ${PREDICATE_TYPE}, got ${JSON.stringify(s.predicateType)}`);
  const problems = validate(s.predicate, predicateSchema());
  if (problems.length > 0) bad(`schema: ${problems.join('; ')}`);
  const p = s.predicate as Predicate;
  const subjects = s.subject as Subject[] | undefined;
  if (!Array.isArray(subjects) || subjects.length !== 2) bad('statement must have exactly two subjects (old and new runtime code)');
  (['old', 'new'] as const).forEach((side, i) => {
    const want = subjectOf(`${side}:${p.implementations[side].contract}`, p.implementations[side]);
    const got = subjects![i]!;
    if (JSON.stringify({ name: got?.name, digest: { keccak256: got?.digest?.keccak256, sha256: got?.digest?.sha256 } }) !== JSON.stringify(want)) {
      bad(`subject[${i}] ${JSON.stringify(got)} does not match the ${side} implementation (keccak256 ${want.digest.keccak256}, sha256 ${want.digest.sha256})`);
    }
  });
  const ids = new Set<string>();
  const queries = new Map<string, string>();
  for (const o of p.obligations) {
    if (ids.has(o.id)) bad(`obligation ${o.id} appears twice`);
    ids.add(o.id);
    if (o.smt === undefined) continue;
    if (o.smtSha256 === undefined) bad(`obligation ${o.id} embeds a query but no smtSha256`);
    let text: string;
    try {
      text = gunzipSync(Buffer.from(o.smt, 'base64')).toString('utf8');
    } catch (e) {
      return bad(`obligation ${o.id}: embedded query is not gzip+base64: ${(e as Error).message}`);
    }
    const h = sha256Of(text);
    if (h !== o.smtSha256) bad(`obligation ${o.id}: embedded query has sha256 ${h}, the certificate records ${o.smtSha256}`);
    queries.set(o.id, text);
  }
  return { statement: s as unknown as Statement, bytes, statementHash: keccak256(bytes), queries };
}

/** `check --out`: builds the statement of `r` and writes it as an unsigned DSSE envelope. */
export async function writeStatementCertificate(file: string, r: CheckResult, specFile?: string): Promise<void> {
  const { promises: fs } = await import('node:fs');
  const { writeEnvelope } = await import('./dsse.ts');
  let spec: StatementExtras['spec'];
  if (specFile !== undefined) spec = { path: specFile, content: await fs.readFile(specFile, 'utf8') };
  await writeEnvelope(file, envelopeOfStatement(buildStatement(r, { spec })));
}
