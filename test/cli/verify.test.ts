import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, runCli, type CliRun } from './helpers.ts';

const TIMEOUT = 120_000;
const cache = ['--cache-dir', path.join(projectRoot, 'node_modules/.cache/patchproof-test')];
const OLD = 'fixtures/example/old.sol';
const NEW = 'fixtures/example/new.sol';

/** The parts of a patchproof-certificate/v0 file the tampering below touches. */
interface Cert {
  format: string;
  old: CertSide;
  new: CertSide;
  overall: string;
  entryPoints: { signature: string; selector: string; verdict: string }[];
  obligations: { id: string; kind: string; entryPoint: string; verdict: string; smtSha256?: string }[];
}
interface CertSide {
  file: string;
  contract: string;
  sources: { path: string; sha256: string }[];
  runtimeKeccak: string;
}

let dir: string;
let certFile: string;
let cert: Cert;

function show(r: CliRun): string {
  return `exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
}

function verify(cert: string, newFile = NEW): Promise<CliRun> {
  return runCli(['verify', cert, '--old', OLD, '--new', newFile, ...cache]);
}

/** Writes a tampered copy of the certificate and runs verify on it. */
async function verifyTampered(name: string, tamper: (c: Cert) => void): Promise<CliRun> {
  const c = structuredClone(cert);
  tamper(c);
  const f = path.join(dir, `${name}.json`);
  await writeFile(f, JSON.stringify(c, null, 2));
  return verify(f);
}

/** verify found a mismatch: exit 1, a "does not match" report, each expected fact named, no crash. */
function expectMismatch(r: CliRun, ...facts: (string | RegExp)[]): void {
  expect(r.code, show(r)).toBe(1);
  expect(r.stdout, show(r)).toMatch(/certificate does not match: \d+ mismatch/);
  expect(r.stdout).not.toContain('certificate verified');
  for (const f of facts) expect(r.stdout, show(r)).toMatch(f);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr).not.toContain('internal error');
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'patchproof-verify-'));
  certFile = path.join(dir, 'cert.json');
  const r = await runCli(['check', OLD, NEW, '--out', certFile, ...cache]);
  expect(r.code, show(r)).toBe(1); // the example is a 'different' pair
  cert = JSON.parse(await readFile(certFile, 'utf8')) as Cert;
}, TIMEOUT);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('verify', () => {
  it(
    'the certificate check wrote has the expected shape',
    () => {
      expect(cert.format).toBe('patchproof-certificate/v0');
      expect(cert.overall).toBe('different');
      expect(cert.entryPoints.find((e) => e.signature === 'withdraw(uint256)')?.verdict).toBe('different');
      expect(cert.obligations.length).toBeGreaterThan(1);
      expect(cert.obligations.some((o) => o.smtSha256 !== undefined)).toBe(true);
      expect(cert.old.sources.length).toBeGreaterThan(0);
      expect(cert.new.runtimeKeccak).toMatch(/^0x[0-9a-f]{64}$/);
    },
    TIMEOUT,
  );

  it(
    'accepts the untouched certificate',
    async () => {
      const r = await verify(certFile);
      expect(r.code, show(r)).toBe(0);
      expect(r.stdout).toContain('certificate verified');
      expect(r.stdout).toContain(`${cert.obligations.length} obligations re-solved`);
    },
    TIMEOUT,
  );

  it(
    '(a) rejects a changed entry point verdict',
    async () => {
      const ep = cert.entryPoints.find((e) => e.signature === 'withdraw(uint256)')!;
      const r = await verifyTampered('a-verdict', (c) => {
        c.entryPoints.find((e) => e.signature === ep.signature)!.verdict = 'equivalent';
      });
      expectMismatch(r, `entry point ${ep.signature} verdict: certificate has equivalent, fresh run has different`);
    },
    TIMEOUT,
  );

  it(
    '(b) rejects a changed obligation smtSha256',
    async () => {
      const ob = cert.obligations.find((o) => o.smtSha256 !== undefined)!;
      const forged = ob.smtSha256!.replace(/^./, (ch) => (ch === '0' ? '1' : '0'));
      const r = await verifyTampered('b-smt', (c) => {
        c.obligations.find((o) => o.id === ob.id)!.smtSha256 = forged;
      });
      expectMismatch(r, `obligation ${ob.id} smtSha256`, forged, ob.smtSha256!);
    },
    TIMEOUT,
  );

  it(
    '(c) rejects a certificate with an obligation dropped',
    async () => {
      const dropped = cert.obligations[0]!;
      const r = await verifyTampered('c-drop', (c) => {
        c.obligations = c.obligations.filter((o) => o.id !== dropped.id);
      });
      expectMismatch(r, `obligation ${dropped.id}`, /not in the certificate/);
    },
    TIMEOUT,
  );

  it(
    '(d) rejects a changed new.runtimeKeccak',
    async () => {
      const forged = `0x${'ab'.repeat(32)}`;
      const r = await verifyTampered('d-keccak', (c) => {
        c.new.runtimeKeccak = forged;
      });
      expectMismatch(r, 'new runtime keccak256', forged, cert.new.runtimeKeccak);
    },
    TIMEOUT,
  );

  it(
    '(e) rejects a changed source sha256',
    async () => {
      const src = cert.old.sources[0]!;
      const forged = 'cd'.repeat(32);
      const r = await verifyTampered('e-source', (c) => {
        c.old.sources[0]!.sha256 = forged;
      });
      expectMismatch(r, `old source ${src.path} sha256`, forged, src.sha256);
    },
    TIMEOUT,
  );

  it(
    '(f) rejects verification against a modified new source',
    async () => {
      const modified = path.join(dir, 'new.sol'); // same file name, so only the contents differ
      await copyFile(path.join(projectRoot, NEW), modified);
      const text = await readFile(modified, 'utf8');
      expect(text).toContain('"insufficient balance"');
      await writeFile(modified, text.replace('"insufficient balance"', '"not enough balance"'));
      const r = await verify(certFile, modified);
      expectMismatch(r, /new source new\.sol sha256/, /new runtime keccak256/);
    },
    TIMEOUT,
  );
});
