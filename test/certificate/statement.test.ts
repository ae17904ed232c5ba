import { gzipSync } from 'node:zlib';
import { concat, encodeAbiParameters, keccak256, parseAbiParameters, toBytes, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/api.ts';
import { envelopeOf, pae, parseEnvelope, type Envelope } from '../../src/certificate/dsse.ts';
import { predicateSchema, validate } from '../../src/certificate/schema.ts';
import { checkSignatures, signEnvelope, upgradeProofDigest } from '../../src/certificate/sign.ts';
import { buildStatement, envelopeOfStatement, PREDICATE_TYPE, readStatement, sha256Of, stripMetadata } from '../../src/certificate/statement.ts';
import { PatchproofError } from '../../src/frontend/errors.ts';
import { sampleResult } from '../report/sample.ts';

const K1 = `0x${'11'.repeat(32)}` as Hex;
const K2 = `0x${'22'.repeat(32)}` as Hex;
const when = new Date('2026-11-24T12:00:00.000Z');
const query = '(declare-const x (_ BitVec 8))\n(assert (= x x))\n(check-sat)\n';

/** The sample result with a query whose hash is real, so it is embedded. */
function result(): CheckResult {
  const r = sampleResult();
  return { ...r, old: { ...r.old, inputSha256: 'a'.repeat(64), compilerVersion: '0.7.6+commit.7338295f.Emscripten.clang' }, new: { ...r.new, inputSha256: 'b'.repeat(64) }, obligations: r.obligations.map((o) => (o.smtSha256 === undefined ? o : { ...o, smtSha256: sha256Of(query) })), queries: new Map([['eq:deposit()', query]]) };
}

function edit(env: Envelope, f: (s: any) => void): Envelope {
  const s = JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8'));
  f(s);
  return { ...env, payload: Buffer.from(JSON.stringify(s), 'utf8').toString('base64') };
}

function rejects(env: Envelope, message: string | RegExp): void {
  let err: unknown;
  try {
    readStatement(env, 'c.json');
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(PatchproofError);
  expect((err as Error).message).toMatch(message);
}

describe('statement and envelope', () => {
  const env = envelopeOfStatement(buildStatement(result(), { now: when, spec: { path: 'vault.spec', content: 'invariant x' } }));

  it('is an in-toto Statement v1 about the old and new runtime code, with a schema-valid patchproof predicate', () => {
    const r = readStatement(env, 'c.json');
    const s = r.statement;
    expect(s._type).toBe('https://in-toto.io/Statement/v1');
    expect(s.predicateType).toBe(PREDICATE_TYPE);
    expect(s.subject[0]).toEqual({ name: 'old:Vault', digest: { keccak256: keccak256('0x6080').slice(2), sha256: sha256Of(new Uint8Array([0x60, 0x80])) } });
    expect(s.predicate.spec).toEqual({ path: 'vault.spec', sha256: sha256Of('invariant x') });
    expect(s.predicate.compiler.soljsonSha256).toMatch(/^[0-9a-f]{64}$/);
    // Each version names its own compiler (a 0.7 old and a 0.8 new are compiled by different ones).
    expect(s.predicate.implementations.old.compiler?.longVersion).toBe('0.7.6+commit.7338295f.Emscripten.clang');
    expect(s.predicate.implementations.old.compiler?.soljsonSha256).not.toBe(s.predicate.compiler.soljsonSha256);
    expect(s.predicate.implementations.new.compiler).toBeUndefined();
    expect(r.queries.get('eq:deposit()')).toBe(query);
    expect(validate(s.predicate, predicateSchema())).toEqual([]);
    expect(r.statementHash).toBe(keccak256(Buffer.from(env.payload, 'base64')));
  });

  it('PAE is the DSSE v1 encoding (the spec\'s example)', () => {
    expect(Buffer.from(pae('http://example.com/HelloWorld', toBytes('hello world'))).toString()).toBe('DSSEv1 29 http://example.com/HelloWorld 11 hello world');
  });

  it('strips the CBOR metadata trailer only when there is one', () => {
    const code = new Uint8Array([0x60, 0x80, 0xa2, 0x01, 0x02, 0x00, 0x03]);
    expect([...stripMetadata(code)]).toEqual([0x60, 0x80]);
    expect([...stripMetadata(new Uint8Array([0x60, 0x80]))]).toEqual([0x60, 0x80]);
  });

  it('refuses an edited query, a forged verdict and a swapped subject, naming the field', () => {
    rejects(edit(env, (s) => { s.predicate.obligations.find((o: any) => o.smt).smt = gzipSync(query.replace('= x x', 'distinct x x')).toString('base64'); }), /obligation eq:deposit\(\): embedded query has sha256 [0-9a-f]{64}, the certificate records/);
    rejects(edit(env, (s) => { s.predicate.overall = 'proven'; }), /schema: predicate.overall must be one of/);
    rejects(edit(env, (s) => { s.subject[1].digest.keccak256 = 'ab'.repeat(32); }), /subject\[1\] .* does not match the new implementation/);
    rejects(edit(env, (s) => { s.predicate.implementations.new.runtimeKeccak256 = `0x${'ab'.repeat(32)}`; }), /subject\[1\] .* does not match the new implementation/);
    rejects(edit(env, (s) => { s.predicate.extra = 1; }), 'predicate.extra is not allowed');
    expect(() => parseEnvelope({ ...env, payloadType: 'text/plain' }, 'c.json')).toThrow('payloadType must be application/vnd.in-toto+json');
  });
});

describe('signatures', () => {
  const env = envelopeOfStatement(buildStatement(result(), { now: when }));

  it('a DSSE signature over keccak256(PAE) and an EIP-712 UpgradeProof signature per signer, both recovered', async () => {
    const st = readStatement(env, 'c.json');
    const once = await signEnvelope(env, st, K1);
    const twice = await signEnvelope(once.env, st, K2);
    const again = await signEnvelope(twice.env, st, K1); // re-signing replaces, never duplicates
    expect(again.env.signatures.map((s) => s.keyid).sort()).toEqual([privateKeyToAccount(K1).address, privateKeyToAccount(K2).address].sort());
    const checks = await checkSignatures(again.env, st);
    expect(checks).toHaveLength(4);
    expect(checks.every((c) => c.problem === undefined)).toBe(true);
    // The DSSE signature is plain secp256k1 over keccak256(PAE): check it with viem's recovery independently.
    const { recoverAddress } = await import('viem');
    const sig = `0x${Buffer.from(once.env.signatures[0]!.sig, 'base64').toString('hex')}` as Hex;
    expect(await recoverAddress({ hash: keccak256(pae('application/vnd.in-toto+json', Buffer.from(env.payload, 'base64'))), signature: sig })).toBe(privateKeyToAccount(K1).address);
  });

  it('the EIP-712 digest is keccak256(0x1901 ++ domainSeparator ++ hashStruct(UpgradeProof)) with domain {name, version}', () => {
    const st = readStatement(env, 'c.json');
    const p = st.statement.predicate;
    const domainType = keccak256(toBytes('EIP712Domain(string name,string version)'));
    const sep = keccak256(encodeAbiParameters(parseAbiParameters('bytes32, bytes32, bytes32'), [domainType, keccak256(toBytes('patchproof')), keccak256(toBytes('1'))]));
    const typeHash = keccak256(toBytes('UpgradeProof(bytes32 statementHash,bytes32 oldCodeHash,bytes32 newCodeHash,bytes32 actionHash,string verdict)'));
    const struct = keccak256(encodeAbiParameters(parseAbiParameters('bytes32, bytes32, bytes32, bytes32, bytes32, bytes32'),
      [typeHash, st.statementHash, p.implementations.old.runtimeKeccak256 as Hex, p.implementations.new.runtimeKeccak256 as Hex, `0x${'00'.repeat(32)}`, keccak256(toBytes(p.overall))]));
    expect(upgradeProofDigest(st)).toBe(keccak256(concat(['0x1901', sep, struct])));
  });

  it('a signature replayed onto another statement, or claimed for another key, does not verify', async () => {
    const signed = (await signEnvelope(env, readStatement(env, 'c.json'), K1)).env;
    const other = envelopeOfStatement(buildStatement(result(), { now: new Date('2026-11-25T00:00:00.000Z') }));
    const replayed = { ...other, signatures: signed.signatures, eip712: signed.eip712 };
    const checks = await checkSignatures(replayed, readStatement(replayed, 'c.json'));
    expect(checks.map((c) => c.kind)).toEqual(['DSSE', 'EIP-712']);
    for (const c of checks) expect(c.problem).toMatch(/does not sign this statement's (PAE|UpgradeProof) \(it recovers 0x[0-9a-fA-F]{40}, not /);
    const claimed = { ...signed, signatures: [{ ...signed.signatures[0]!, keyid: privateKeyToAccount(K2).address }] };
    expect((await checkSignatures(claimed, readStatement(claimed, 'c.json')))[0]!.problem).toContain(`it recovers ${privateKeyToAccount(K1).address}, not ${privateKeyToAccount(K2).address}`);
  });

  it('an unsigned envelope round-trips through parseEnvelope', () => {
    const e = envelopeOf('{}');
    expect(parseEnvelope(JSON.parse(JSON.stringify(e)), 'c.json')).toEqual(e);
  });
});
