import { spawnSync } from 'node:child_process';
import { getAddress, isAddress } from 'viem';
import type { CheckResult } from '../api.ts';
import { isPatchproofError, PatchproofError } from '../frontend/errors.ts';
import type { Json } from '../report/plain.ts';
import type { Z3Solver } from '../smt/z3.ts';
import { compareCertificate, CERTIFICATE_FORMAT, type Certificate } from './cert.ts';
import { parseEnvelope, readJsonFile, type Envelope } from './dsse.ts';
import { checkSignatures } from './sign.ts';
import { readStatement, type Predicate, type PredicateObligation, type ReadStatement } from './statement.ts';

/*
 * `patchproof verify` of a v1 certificate: a list of independent checks, each run only when its inputs
 * are given, each reported by name with what it compared. The certificate verifies only if every check
 * that ran passed; checks not run are listed as such, never counted as passed silently.
 */

export type ExternalSolver = 'z3' | 'cvc5';

export interface VerifyOptions {
  readonly file: string;
  readonly signers?: readonly string[];
  readonly threshold?: number;
  /** Compiles one side as the certificate names it; given with --old/--new. */
  readonly compile?: (side: 'old' | 'new', contract: string) => Promise<{ sources: readonly { path: string; sha256: string }[]; runtimeKeccak: string; inputSha256?: string }>;
  readonly z3: () => Promise<Z3Solver>;
  readonly timeoutMs: number;
  readonly external?: ExternalSolver;
  /** Re-runs the whole check from the sources (--rebuild). */
  readonly rebuild?: (oldContract: string, newContract: string) => Promise<CheckResult>;
}

export interface CheckOutcome {
  readonly name: string;
  readonly status: 'passed' | 'failed' | 'not run';
  readonly lines: readonly string[];
}

export async function verifyCertificate(o: VerifyOptions): Promise<{ checks: CheckOutcome[]; ok: boolean }> {
  if (o.threshold !== undefined && o.signers === undefined) throw new PatchproofError('usage', '--threshold needs --signers (the addresses whose signatures count)');
  // Deduplicated: naming one address twice must not let its signature count twice toward the threshold.
  const signers = [...new Set((o.signers ?? []).map((s) => {
    if (!isAddress(s, { strict: false })) throw new PatchproofError('usage', `--signers: ${s} is not an Ethereum address`);
    return getAddress(s);
  }))];
  const threshold = o.threshold ?? signers.length;
  if (o.signers !== undefined && (!Number.isInteger(threshold) || threshold < 1 || threshold > signers.length)) {
    throw new PatchproofError('usage', `--threshold must be a whole number from 1 to the number of distinct --signers (${signers.length}), got ${String(o.threshold)}`);
  }
  // A file that cannot be read or is not JSON is an input error (exit 3); one that reads but fails the
  // envelope, schema, subject or query-hash checks does not verify (exit 1): that is what tampering looks like.
  const data = await readJsonFile(o.file);
  let env: Envelope;
  let statement: ReadStatement;
  try {
    env = parseEnvelope(data, o.file);
    statement = readStatement(env, o.file);
  } catch (e) {
    if (!isPatchproofError(e)) throw e;
    return { checks: [{ name: 'schema', status: 'failed', lines: [e.message] }], ok: false };
  }
  const p = statement.statement.predicate;
  const checks: CheckOutcome[] = [];
  const withQuery = p.obligations.filter((x) => x.smt !== undefined);
  checks.push({ name: 'schema', status: 'passed', lines: [`statement is an in-toto Statement v1; predicate valid against schemas/patchproof-predicate.schema.json; subjects match the implementations; ${withQuery.length} embedded SMT-LIB2 quer${withQuery.length === 1 ? 'y matches its' : 'ies match their'} sha256`] });
  checks.push(await signatureCheck(env, statement, o.signers === undefined ? undefined : { signers, threshold }));
  checks.push(bindingCheck(p));
  checks.push(await codeCheck(p, o));
  checks.push(await resolveCheck('re-solve (Z3 WASM)', withQuery, statement, p, async (text) => (await (await o.z3()).solve(text, o.timeoutMs)).status));
  checks.push(o.external === undefined ? { name: 're-solve (external solver)', status: 'not run', lines: ['pass --solver z3|cvc5 to re-solve with a solver binary'] } : await externalCheck(o.external, withQuery, statement, p, o.timeoutMs));
  checks.push(o.rebuild === undefined ? { name: 'rebuild', status: 'not run', lines: ['pass --rebuild with --old/--new to recompile, re-encode and compare every query hash'] } : await rebuildCheck(p, o.rebuild));
  return { checks, ok: checks.every((c) => c.status !== 'failed') };
}

export function formatVerify(file: string, r: { checks: readonly CheckOutcome[]; ok: boolean }): string {
  const lines = r.checks.flatMap((c) => [`${c.name}: ${c.status}`, ...c.lines.map((l) => `  - ${l}`)]);
  const ran = r.checks.filter((c) => c.status !== 'not run');
  const failed = ran.filter((c) => c.status === 'failed').map((c) => c.name);
  const head = r.ok ? `certificate verified: ${file}: all ${ran.length} checks run passed (${ran.map((c) => c.name).join(', ')})` : `certificate does not verify: ${file}: failed: ${failed.join(', ')}`;
  return [head, ...lines].join('\n') + '\n';
}

async function signatureCheck(env: Envelope, st: ReadStatement, need: { signers: readonly string[]; threshold: number } | undefined): Promise<CheckOutcome> {
  const sigs = await checkSignatures(env, st);
  const lines = sigs.map((s) => `${s.kind} signature of ${s.signer}: ${s.problem ?? 'valid'}`);
  const bad = sigs.filter((s) => s.problem !== undefined);
  if (need === undefined) {
    if (sigs.length === 0) return { name: 'signatures', status: 'not run', lines: ['the certificate is unsigned; pass --signers a,b,c --threshold k to require signatures'] };
    return { name: 'signatures', status: bad.length ? 'failed' : 'passed', lines: [...lines, 'no --signers given: every signature checked, no threshold'] };
  }
  // A named signer counts when both its DSSE and its EIP-712 signature sign this exact statement.
  const counted = need.signers.filter((a) => ['DSSE', 'EIP-712'].every((k) => sigs.some((s) => s.signer === a && s.kind === k && s.problem === undefined)));
  const unlisted = [...new Set(sigs.map((s) => s.signer))].filter((a) => !need.signers.includes(a));
  if (unlisted.length) lines.push(`signed by ${unlisted.join(', ')}, not among --signers: not counted`);
  lines.push(`${counted.length} of the named signers signed this statement with both DSSE and EIP-712 (${counted.join(', ') || 'none'}); threshold ${need.threshold}`);
  return { name: 'signatures', status: bad.length === 0 && counted.length >= need.threshold ? 'passed' : 'failed', lines };
}

function bindingCheck(p: Predicate): CheckOutcome {
  const g = p.governance;
  if (g === undefined) return { name: 'proposal binding', status: 'not run', lines: ['no governance action attached (patchproof attach)'] };
  const ok = g.implementationCodeHash === p.implementations.new.runtimeKeccak256;
  return {
    name: 'proposal binding',
    status: ok ? 'passed' : 'failed',
    lines: [ok ? `${g.kind} action ${g.actionHash} installs ${g.installs.map((i) => i.implementation).join(', ')} whose code hash is the certified new code hash` : `the attached ${g.kind} action installs code with hash ${g.implementationCodeHash}, but the certified new code hash is ${p.implementations.new.runtimeKeccak256}`],
  };
}

async function codeCheck(p: Predicate, o: VerifyOptions): Promise<CheckOutcome> {
  if (o.compile === undefined) return { name: 'source and code hashes', status: 'not run', lines: ['pass --old and --new to compare the sources and runtime code hashes'] };
  const lines: string[] = [];
  let failed = false;
  for (const side of ['old', 'new'] as const) {
    const i = p.implementations[side];
    const c = await o.compile(side, i.contract);
    const mine = new Map(c.sources.map((s) => [s.path, s.sha256]));
    for (const s of i.sources) {
      const h = mine.get(s.path);
      if (h !== s.sha256) {
        failed = true;
        lines.push(`${side} source ${s.path}: certificate has sha256 ${s.sha256}, the file given has ${h ?? '(not part of this compilation)'}`);
      }
    }
    for (const pth of mine.keys()) if (!i.sources.some((s) => s.path === pth)) { failed = true; lines.push(`${side} source ${pth}: compiled but not in the certificate`); }
    if (c.inputSha256 !== undefined && c.inputSha256 !== i.inputSha256) { failed = true; lines.push(`${side} standard-JSON input: certificate has sha256 ${i.inputSha256}, recompiled ${c.inputSha256}`); }
    if (c.runtimeKeccak !== i.runtimeKeccak256) { failed = true; lines.push(`${side} runtime code: certificate has keccak256 ${i.runtimeKeccak256}, recompiled ${c.runtimeKeccak}`); }
    else lines.push(`${side} ${i.contract}: ${i.sources.length} source hash(es), input hash and runtime keccak256 ${c.runtimeKeccak} match`);
  }
  return { name: 'source and code hashes', status: failed ? 'failed' : 'passed', lines };
}

/**
 * The solver answer an obligation's recorded verdict requires of its deciding query: every proof
 * (equivalent, refines, proved, not loop-bounded) rests on an unsat answer. Refutations are not checked
 * this way (they are confirmed by EVM replay, and their last query may be a model-shaping hint), nor
 * inconclusive verdicts, which claim nothing.
 */
function expected(o: PredicateObligation, p: Predicate): 'unsat' | undefined {
  const bounded = p.entryPoints.some((e) => e.signature === o.entryPoint && e.bound !== undefined);
  return (o.verdict === 'equivalent' || o.verdict === 'refines' || o.verdict === 'proved') && !bounded ? 'unsat' : undefined;
}

async function resolveCheck(name: string, obs: readonly PredicateObligation[], st: ReadStatement, p: Predicate, solve: (text: string) => Promise<string>): Promise<CheckOutcome> {
  const lines: string[] = [];
  let failed = false;
  for (const o of obs) {
    const status = await solve(st.queries.get(o.id)!);
    const want = expected(o, p);
    if (want !== undefined && status !== want) {
      failed = true;
      lines.push(`obligation ${o.id}: verdict ${o.verdict} needs its query unsat, the solver answers ${status}`);
    } else lines.push(`obligation ${o.id}: ${status}${want === undefined ? ` (verdict ${o.verdict}: not decided by this answer alone, not compared)` : ', as the verdict requires'}`);
  }
  const noQuery = p.obligations.length - obs.length;
  if (noQuery) lines.push(`${noQuery} obligation(s) carry no query (decided without a solver call)`);
  return { name, status: failed ? 'failed' : 'passed', lines };
}

async function externalCheck(which: ExternalSolver, obs: readonly PredicateObligation[], st: ReadStatement, p: Predicate, timeoutMs: number): Promise<CheckOutcome> {
  const name = `re-solve (${which} binary)`;
  const probe = spawnSync(which, ['--version'], { encoding: 'utf8' });
  if (probe.error !== undefined) return { name, status: 'not run', lines: [`${which} is not installed (not on PATH; Debian: apt-get install ${which}); skipped`] };
  const args = which === 'z3' ? ['-in', '-smt2', `-t:${timeoutMs}`] : ['--lang', 'smt2', `--tlimit-per=${timeoutMs}`];
  const r = await resolveCheck(name, obs, st, p, async (text) => {
    const run = spawnSync(which, args, { input: text, encoding: 'utf8', timeout: timeoutMs + 5000 });
    const first = (run.stdout ?? '').trim().split('\n')[0] ?? '';
    return first === 'sat' || first === 'unsat' ? first : 'unknown';
  });
  return { ...r, lines: [`${probe.stdout.trim().split('\n')[0]}`, ...r.lines] };
}

async function rebuildCheck(p: Predicate, rebuild: NonNullable<VerifyOptions['rebuild']>): Promise<CheckOutcome> {
  const fresh = await rebuild(p.implementations.old.contract, p.implementations.new.contract);
  const mismatches = compareCertificate(asV0(p), fresh);
  // The v0 comparison covers the new version's compiler; each version's own is compared here.
  for (const which of ['old', 'new'] as const) {
    const was = p.implementations[which].compiler?.longVersion;
    const now = fresh[which].compilerVersion;
    if (was !== undefined && was !== now) mismatches.push(`${which} compiler: certificate ${was}, rebuilt ${now ?? '(unknown)'}`);
  }
  return {
    name: 'rebuild',
    status: mismatches.length ? 'failed' : 'passed',
    lines: mismatches.length ? mismatches : [`recompiled and re-encoded: tool, compiler, sources, runtime code, ${p.entryPoints.length} entry point verdicts and ${p.obligations.length} obligations (kind, verdict, query sha256) match`],
  };
}

/** The v0 view of a predicate, so the rebuild comparison is the one `verify` of v0 certificates uses. */
function asV0(p: Predicate): Certificate {
  const side = (i: Predicate['implementations']['old']) => ({ file: i.file, contract: i.contract, sources: i.sources, runtimeKeccak: i.runtimeKeccak256 });
  return {
    format: CERTIFICATE_FORMAT,
    tool: p.tool,
    compiler: { version: p.compiler.longVersion, settings: p.compiler.settings as Json },
    old: side(p.implementations.old),
    new: side(p.implementations.new),
    overall: p.overall as Certificate['overall'],
    entryPoints: p.entryPoints as Certificate['entryPoints'],
    obligations: p.obligations.map((o) => ({ id: o.id, kind: o.kind, entryPoint: o.entryPoint, verdict: o.verdict as Certificate['obligations'][number]['verdict'], ...(o.smtSha256 === undefined ? {} : { smtSha256: o.smtSha256 }) })),
    assumptions: p.assumptions,
    createdAt: p.createdAt,
  };
}
