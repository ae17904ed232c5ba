import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCertificate } from '../../src/certificate/cert.ts';
import { sampleResult } from '../report/sample.ts';
import { projectRoot, runCli, type CliRun } from './helpers.ts';


/** A usage or input error: exit 3, a one-line `error:` on stderr, nothing on stdout, no stack trace. */
function expectUsageError(r: CliRun, message: string | RegExp): void {
  expect(r.code, r.stderr).toBe(3);
  expect(r.stdout).toBe('');
  const first = r.stderr.split('\n')[0] ?? '';
  expect(first.startsWith('error: '), r.stderr).toBe(true);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr).not.toContain('internal error');
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'patchproof-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Each test spawns the CLI up to four times; on a loaded machine that exceeds vitest's default 5 s.
describe('patchproof command line errors', { timeout: 60_000 }, () => {
  it('exits 3 without a command', async () => {
    expectUsageError(await runCli([]), 'no command given');
  });

  it('exits 3 on an unknown command', async () => {
    const r = await runCli(['attest', 'a.sol']);
    expectUsageError(r, 'unknown command attest; the commands are check, prove, ir, verify');
    expect(r.stderr).toContain("run 'patchproof --help' for usage");
  });

  it('exits 3 when check misses an argument', async () => {
    expectUsageError(await runCli(['check', 'old.sol']), /check needs both versions: check <old.sol> <new.sol>, or check <old build-info> <new build-info> --contract/);
  });

  it('exits 3 on an unknown option or a bad option value', async () => {
    expectUsageError(await runCli(['check', 'a.sol', 'b.sol', '--bogus']), 'Unknown argument: bogus');
    expectUsageError(await runCli(['check', 'a.sol', 'b.sol', '--format', 'xml']), /format.*xml/s);
    expectUsageError(await runCli(['check', 'a.sol', 'b.sol', '--timeout', '0']), '--timeout must be a positive whole number');
    expectUsageError(await runCli(['check', 'a.sol', 'b.sol', '--timeout', 'soon']), '--timeout must be a positive whole number');
  });

  it('exits 3 when verify --rebuild misses --old/--new', async () => {
    expectUsageError(await runCli(['verify', 'cert.json', '--rebuild']), '--rebuild needs --old and --new');
  });

  it('exits 3 naming the certificate when it is missing or malformed', async () => {
    const missing = path.join(dir, 'missing.json');
    expectUsageError(await runCli(['verify', missing, '--old', 'a.sol', '--new', 'b.sol']), `cannot read certificate ${missing}: no such file`);
    const broken = path.join(dir, 'broken.json');
    const cert = JSON.parse(JSON.stringify(buildCertificate(sampleResult()))) as Record<string, unknown>;
    delete cert.obligations;
    await writeFile(broken, JSON.stringify(cert));
    expectUsageError(await runCli(['verify', broken, '--old', 'a.sol', '--new', 'b.sol']), `invalid certificate ${broken}: field obligations is missing`);
  });

  it('exits 3 when ir cannot find the file or the contract', { timeout: 60_000 }, async () => {
    expectUsageError(await runCli(['ir', 'no/such/file.sol']), 'no/such/file.sol');
    expectUsageError(await runCli(['ir', 'fixtures/example/old.sol', '--contract', 'Nope']), 'no contract named Nope');
  });

  it('exits 3 when check cannot find a file', { timeout: 60_000 }, async () => {
    expectUsageError(await runCli(['check', 'no/such/old.sol', 'fixtures/example/new.sol']), 'no/such/old.sol');
  });
});

describe('patchproof help, version and ir', { timeout: 60_000 }, () => {
  it('documents the exit codes in --help', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['check [old] [new]', 'ir <file>', 'verify <cert>']) expect(r.stdout).toContain(c);
    expect(r.stdout).toMatch(/^ {2}0 {3}every entry point proved equivalent/m);
    expect(r.stdout).toMatch(/^ {2}1 {3}some entry point differs/m);
    expect(r.stdout).toMatch(/^ {2}2 {3}inconclusive/m);
    expect(r.stdout).toMatch(/^ {2}3 {3}usage, input or compile error/m);
    expect(r.stdout).toMatch(/^ {2}70 {2}internal error/m);
  });

  it('lists the check options in check --help', async () => {
    const r = await runCli(['check', '--help']);
    expect(r.code).toBe(0);
    for (const o of ['--contract', '--old-contract', '--new-contract', '--root', '--old-root', '--new-root', '--format', '--out', '--dump-smt', '--timeout', '--junit', '--fail-on', '--quiet', '--verbose']) {
      expect(r.stdout).toContain(o);
    }
    expect(r.stdout).toContain('[default: 20000]');
  });

  it('prints the package version', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('prints the IR of a contract', { timeout: 60_000 }, async () => {
    const r = await runCli(['ir', 'fixtures/example/old.sol', '--no-locations']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^contract Vault \(old\.sol\)/);
    expect(r.stdout).toContain('function withdraw(uint256) [0x2e1a7d4d]');
    expect(r.stdout).not.toContain('; old.sol:');
  });
});
