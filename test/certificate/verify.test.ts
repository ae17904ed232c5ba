import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeFunctionData, parseAbi, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signCommand } from '../../src/certificate/sign.ts';
import { projectRoot, runCli, type CliRun } from '../cli/helpers.ts';

/*
 * The certificate commands end to end (check --out, sign, attach, verify) on the example pair, and each
 * tampering the issue lists: a changed verdict, a dropped obligation, a swapped code hash, an edited
 * query, a signature from an unlisted key, a signature replayed over another statement, a proposal that
 * installs different code. One check run; the rest is small (one embedded query).
 */

const TIMEOUT = 120_000;
const cache = ['--cache-dir', path.join(projectRoot, 'node_modules/.cache/patchproof-test')];
const OLD = 'fixtures/example/old.sol';
const NEW = 'fixtures/example/new.sol';
const KEYS = [`0x${'11'.repeat(32)}`, `0x${'22'.repeat(32)}`, `0x${'33'.repeat(32)}`] as const;
const ADDR = KEYS.map((k) => privateKeyToAccount(k).address);

interface Env { payloadType: string; payload: string; signatures: { keyid: string; sig: string }[]; eip712?: { signer: string; signature: string }[] }

let dir: string;
let unsigned: Env;

const show = (r: CliRun) => `exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
const statementOf = (e: Env) => JSON.parse(Buffer.from(e.payload, 'base64').toString('utf8'));

/** A copy of `env` whose statement `f` edited; the signatures are kept as they were (that is the attack). */
function tampered(env: Env, f: (s: any) => void): Env {
  const s = statementOf(env);
  f(s);
  return { ...env, payload: Buffer.from(JSON.stringify(s), 'utf8').toString('base64') };
}

async function save(name: string, env: Env): Promise<string> {
  const f = path.join(dir, `${name}.json`);
  await writeFile(f, JSON.stringify(env, null, 2));
  return f;
}

/** Signs with the CLI (`sign`, in place) for the first test, in process elsewhere (faster; same code). */
async function signed(name: string, env: Env, ...keys: string[]): Promise<string> {
  const f = await save(name, env);
  if (name === 'good') {
    for (const k of keys) {
      const r = await runCli(['sign', f, '--key', k]);
      expect(r.code, show(r)).toBe(0);
      expect(r.stdout).toMatch(/^signed .* as 0x[0-9a-fA-F]{40} \(DSSE secp256k1 over the PAE, EIP-712 UpgradeProof over statement 0x[0-9a-f]{64}\)/);
    }
    return f;
  }
  for (const k of keys) await signCommand(f, k);
  return f;
}

/** verify failed: exit 1, the failing check named, each fact present, no crash. */
function expectFailure(r: CliRun, ...facts: (string | RegExp)[]): void {
  expect(r.code, show(r)).toBe(1);
  expect(r.stdout, show(r)).toMatch(/certificate does not verify: .*failed: /);
  for (const f of facts) expect(r.stdout, show(r)).toMatch(f);
  expect(r.stderr).not.toContain('internal error');
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'patchproof-cert-v1-'));
  const f = path.join(dir, 'cert.json');
  const r = await runCli(['check', OLD, NEW, '--out', f, ...cache]);
  expect(r.code, show(r)).toBe(1); // the example is a 'different' pair
  unsigned = JSON.parse(await readFile(f, 'utf8')) as Env;
}, TIMEOUT);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('certificate commands', () => {
  it('check --out writes an unsigned DSSE envelope of an in-toto statement with the failing query embedded', () => {
    expect(unsigned.payloadType).toBe('application/vnd.in-toto+json');
    expect(unsigned.signatures).toEqual([]);
    const s = statementOf(unsigned);
    expect(s.subject.map((x: { name: string }) => x.name)).toEqual(['old:Vault', 'new:Vault']);
    const w = s.predicate.obligations.find((o: { entryPoint: string }) => o.entryPoint === 'withdraw(uint256)');
    expect(w.verdict).toBe('different');
    expect(typeof w.smt).toBe('string');
  });

  it('verifies when signed by 2 of 3 named signers, with hashes, re-solving and rebuild; not with threshold 3', async () => {
    const f = await signed('good', unsigned, KEYS[0], KEYS[1]);
    const r = await runCli(['verify', f, '--signers', ADDR.join(','), '--threshold', '2', '--old', OLD, '--new', NEW, '--rebuild', '--solver', 'z3', ...cache]);
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toMatch(/^certificate verified: .*checks run passed \(schema, signatures, source and code hashes, re-solve \(Z3 WASM\), (re-solve \(z3 binary\), )?rebuild\)/);
    expect(r.stdout).toContain(`EIP-712 signature of ${ADDR[1]}: valid`);
    expect(r.stdout).toContain('2 of the named signers signed this statement with both DSSE and EIP-712');
    // The external solver is used when installed and skipped with a note when not.
    expect(r.stdout).toMatch(/re-solve \(z3 binary\): (passed|not run\n  - z3 is not installed)/);
    const three = await runCli(['verify', f, '--signers', ADDR.join(','), '--threshold', '3']);
    expectFailure(three, /2 of the named signers .*; threshold 3/);
  }, TIMEOUT);

  it('(a) a changed verdict: the signatures no longer match, and re-solving contradicts it', async () => {
    const forged = tampered(JSON.parse(await readFile(await signed('a-src', unsigned, KEYS[0]), 'utf8')) as Env, (s) => {
      for (const o of s.predicate.obligations) if (o.entryPoint === 'withdraw(uint256)') o.verdict = 'equivalent';
      for (const e of s.predicate.entryPoints) if (e.signature === 'withdraw(uint256)') e.verdict = 'equivalent';
      s.predicate.overall = 'equivalent';
    });
    const r = await runCli(['verify', await save('a', forged), '--signers', ADDR[0]!]);
    expectFailure(r, new RegExp(`DSSE signature of ${ADDR[0]}: does not sign this statement's PAE`), /EIP-712 signature of .*: does not sign this statement's UpgradeProof/,
      /obligation equivalence:withdraw\(uint256\): verdict equivalent needs its query unsat, the solver answers sat/);
  }, TIMEOUT);

  it('(b) a dropped obligation and another old compiler: --rebuild finds both', async () => {
    const forged = tampered(unsigned, (s) => {
      s.predicate.obligations = s.predicate.obligations.filter((o: { entryPoint: string }) => o.entryPoint !== 'deposit()');
      s.predicate.implementations.old.compiler.longVersion = '0.8.24+commit.e11b9ed9.Emscripten.clang';
    });
    const r = await runCli(['verify', await save('b', forged), '--old', OLD, '--new', NEW, '--rebuild', ...cache]);
    expectFailure(r, /rebuild: failed/, /obligation equivalence:deposit\(\): added in the fresh run, not in the certificate/, /old compiler: certificate 0\.8\.24\+commit\.e11b9ed9\.Emscripten\.clang, rebuilt 0\.8\.30/);
  }, TIMEOUT);

  it('(c) a swapped code hash: the schema check catches a lone subject, --new catches a consistent swap', async () => {
    const other = 'ab'.repeat(32);
    const lone = await runCli(['verify', await save('c1', tampered(unsigned, (s) => { s.subject[1].digest.keccak256 = other; }))]);
    expectFailure(lone, /schema: failed/, /subject\[1\] .* does not match the new implementation/);
    const both = tampered(unsigned, (s) => { s.subject[1].digest.keccak256 = other; s.predicate.implementations.new.runtimeKeccak256 = `0x${other}`; });
    const r = await runCli(['verify', await save('c2', both), '--old', OLD, '--new', NEW, ...cache]);
    expectFailure(r, new RegExp(`new runtime code: certificate has keccak256 0x${other}, recompiled 0x[0-9a-f]{64}`));
  }, TIMEOUT);

  it('(d) an edited query no longer matches its recorded hash', async () => {
    const forged = tampered(unsigned, (s) => {
      const o = s.predicate.obligations.find((x: { smt?: string }) => x.smt !== undefined);
      o.smt = gzipSync('(assert false)\n(check-sat)\n').toString('base64');
    });
    const r = await runCli(['verify', await save('d', forged)]);
    expectFailure(r, /schema: failed/, /obligation equivalence:withdraw\(uint256\): embedded query has sha256 [0-9a-f]{64}, the certificate records [0-9a-f]{64}/);
  }, TIMEOUT);

  it('(e) a signature from an unlisted key does not count', async () => {
    const f = await signed('e', unsigned, KEYS[2]);
    const r = await runCli(['verify', f, '--signers', `${ADDR[0]},${ADDR[1]}`, '--threshold', '1']);
    expectFailure(r, `signed by ${ADDR[2]}, not among --signers: not counted`, /0 of the named signers .*\(none\); threshold 1/);
    // Naming the one real signer twice does not make two signatures.
    const twice = await runCli(['verify', f, '--signers', `${ADDR[2]},${ADDR[2]!.toLowerCase()}`, '--threshold', '2']);
    expect(twice.code, show(twice)).toBe(3);
    expect(twice.stderr).toContain('--threshold must be a whole number from 1 to the number of distinct --signers (1), got 2');
  }, TIMEOUT);

  it('(f) signatures replayed over another statement do not verify', async () => {
    const good = JSON.parse(await readFile(await signed('f-src', unsigned, KEYS[0]), 'utf8')) as Env;
    const other = tampered(unsigned, (s) => { s.predicate.createdAt = '2030-01-01T00:00:00.000Z'; });
    const r = await runCli(['verify', await save('f', { ...other, signatures: good.signatures, eip712: good.eip712 }), '--signers', ADDR[0]!]);
    expectFailure(r, new RegExp(`DSSE signature of ${ADDR[0]}: does not sign this statement's PAE \\(it recovers 0x[0-9a-fA-F]{40}, not ${ADDR[0]}\\)`));
  }, TIMEOUT);

  it('(g) attach refuses a proposal that installs different code, binds the right one, and refuses a signed certificate', async () => {
    const newHash = statementOf(unsigned).predicate.implementations.new.runtimeKeccak256 as Hex;
    const impl = '0x1111111111111111111111111111111111111111';
    const calldata = encodeFunctionData({ abi: parseAbi(['function upgradeToAndCall(address,bytes)']), functionName: 'upgradeToAndCall', args: [impl, '0x'] });
    const proposal = path.join(dir, 'proposal.json');
    await writeFile(proposal, JSON.stringify({ kind: 'governor', chainId: 1, targets: ['0x00000000000000000000000000000000000000bb'], values: ['0'], calldatas: [calldata], description: 'Upgrade the vault' }));
    const f = await save('g', unsigned);
    const wrong = await runCli(['attach', f, '--proposal', proposal, '--impl-codehash', statementOf(unsigned).predicate.implementations.old.runtimeKeccak256]);
    expect(wrong.code, show(wrong)).toBe(1);
    expect(wrong.stdout).toContain(`installs implementation ${impl} whose code hash is`);
    expect(wrong.stdout).toContain(`but the certified new code (Vault) has keccak256 ${newHash}: the proposal installs different code`);
    const right = await runCli(['attach', f, '--proposal', proposal, '--impl-codehash', newHash]);
    expect(right.code, show(right)).toBe(0);
    expect(right.stdout).toMatch(/^attached governor action 0x[0-9a-f]{64}/);
    const gs = await signed('g-signed', JSON.parse(await readFile(f, 'utf8')) as Env, KEYS[0]);
    const v = await runCli(['verify', gs, '--signers', ADDR[0]!]);
    expect(v.code, show(v)).toBe(0);
    expect(v.stdout).toMatch(/proposal binding: passed\n  - governor action 0x[0-9a-f]{64} installs/);
    const again = await runCli(['attach', gs, '--proposal', proposal, '--impl-codehash', newHash]);
    expect(again.code, show(again)).toBe(3);
    expect(again.stderr).toContain('is already signed: attaching changes the statement and would void the signatures; attach first, then sign');
  }, TIMEOUT);
});
