import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/api.ts';
import {
  buildCertificate,
  CERTIFICATE_FORMAT,
  compareCertificate,
  readCertificate,
  writeCertificate,
  type Certificate,
} from '../../src/certificate/cert.ts';
import { PatchproofError } from '../../src/frontend/errors.ts';
import { obligations, sampleResult } from '../report/sample.ts';

const when = new Date('2026-11-24T12:00:00.000Z');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'patchproof-cert-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function failure(p: Promise<unknown>): Promise<PatchproofError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(PatchproofError);
  expect((e as PatchproofError).kind).toBe('input');
  return e as PatchproofError;
}

describe('buildCertificate', () => {
  const cert = buildCertificate(sampleResult(), when);

  it('binds tool, compiler, sources, runtime code and verdicts, but no query text or timings', () => {
    expect(cert.format).toBe(CERTIFICATE_FORMAT);
    expect(cert.format).toBe('patchproof-certificate/v0');
    expect(cert.tool).toEqual({ name: 'patchproof', version: '0.1.0' });
    expect(cert.compiler).toEqual({ version: '0.8.30+commit.73712a01', settings: { optimizer: { enabled: false }, evmVersion: 'cancun' } });
    expect(cert.old).toEqual({ file: 'fixtures/example/old.sol', contract: 'Vault', sources: [{ path: 'old.sol', sha256: 'b'.repeat(64) }], runtimeKeccak: '0x' + 'c'.repeat(64) });
    expect(cert.overall).toBe('different');
    expect(cert.entryPoints).toContainEqual({ signature: 'fallback()', selector: null, verdict: 'unsupported' });
    expect(cert.entryPoints).toContainEqual({ signature: 'withdraw(uint256)', selector: '0x2e1a7d4d', verdict: 'different' });
    expect(cert.obligations[0]).toEqual({ id: 'eq:balanceOf(address)', kind: 'equivalence', entryPoint: 'balanceOf(address)', verdict: 'equivalent' });
    expect(cert.obligations[1]).toEqual({ id: 'eq:deposit()', kind: 'equivalence', entryPoint: 'deposit()', verdict: 'equivalent', smtSha256: '1'.repeat(64), solver: 'z3-wasm 5.1.0' });
    expect(cert.assumptions).toHaveLength(2);
    expect(cert.createdAt).toBe('2026-11-24T12:00:00.000Z');
    const text = JSON.stringify(cert);
    expect(text).not.toMatch(/durationMs|timings|declare-const|runtimeBytecode/);
  });

  it('round-trips through writeCertificate and readCertificate', async () => {
    const file = path.join(dir, 'nested', 'cert.json');
    await writeCertificate(file, cert);
    expect((await readFile(file, 'utf8')).endsWith('}\n')).toBe(true);
    expect(await readCertificate(file)).toEqual(cert);
  });
});

describe('readCertificate', () => {
  const good = JSON.parse(JSON.stringify(buildCertificate(sampleResult(), when))) as Record<string, any>;
  const write = async (name: string, content: unknown) => {
    const file = path.join(dir, name);
    await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  };
  const mutate = (f: (c: Record<string, any>) => void) => {
    const c = structuredClone(good);
    f(c);
    return c;
  };

  it('names the file when it is missing or not JSON', async () => {
    const missing = path.join(dir, 'nope.json');
    expect((await failure(readCertificate(missing))).message).toBe(`cannot read certificate ${missing}: no such file`);
    const bad = await write('bad.json', '{ "format": ');
    expect((await failure(readCertificate(bad))).message).toMatch(new RegExp(`^certificate ${bad} is not valid JSON: `));
    expect((await failure(readCertificate(dir))).message).toContain('it is a directory');
  });

  it('rejects another format', async () => {
    const f = await write('fmt.json', mutate((c) => (c.format = 'patchproof-certificate/v9')));
    expect((await failure(readCertificate(f))).message).toBe(
      `invalid certificate ${f}: field format is "patchproof-certificate/v9"; this patchproof reads patchproof-certificate/v0`,
    );
    const arr = await write('arr.json', '[]');
    expect((await failure(readCertificate(arr))).message).toContain('field (top level) must be an object');
  });

  const cases: [string, (c: Record<string, any>) => void, string][] = [
    ['missing tool version', (c) => delete c.tool.version, 'field tool.version is missing'],
    ['missing compiler settings', (c) => delete c.compiler.settings, 'field compiler.settings is missing'],
    ['missing new side', (c) => delete c.new, 'field new is missing'],
    ['missing runtime keccak', (c) => delete c.old.runtimeKeccak, 'field old.runtimeKeccak is missing'],
    ['bad runtime keccak', (c) => (c.new.runtimeKeccak = '0x1234'), 'field new.runtimeKeccak must be a 0x-prefixed lowercase hex keccak256, got "0x1234"'],
    ['sources not an array', (c) => (c.old.sources = {}), 'field old.sources must be an array'],
    ['bad source hash', (c) => (c.new.sources[1].sha256 = 'XYZ'), 'field new.sources[1].sha256 must be a lowercase hex sha256, got "XYZ"'],
    ['bad overall', (c) => (c.overall = 'refuted'), 'field overall must be one of equivalent, refines, different, unknown, unsupported, vacuous, got "refuted"'],
    ['bad selector', (c) => (c.entryPoints[0].selector = 'abc'), 'field entryPoints[0].selector must be a 0x-prefixed 4-byte hex selector or null'],
    ['bad obligation verdict', (c) => (c.obligations[2].verdict = true), 'field obligations[2].verdict must be a string'],
    ['bad smt hash', (c) => (c.obligations[1].smtSha256 = 'ab'), 'field obligations[1].smtSha256 must be a lowercase hex sha256'],
    ['assumption not a string', (c) => (c.assumptions = ['ok', 3]), 'field assumptions[1] must be a string'],
    ['missing createdAt', (c) => delete c.createdAt, 'field createdAt is missing'],
  ];
  for (const [name, f, message] of cases) {
    it(`reports ${name} with the file and field`, async () => {
      const file = await write(`${name.replace(/ /g, '-')}.json`, mutate(f));
      const e = await failure(readCertificate(file));
      expect(e.message).toContain(`invalid certificate ${file}: `);
      expect(e.message).toContain(message);
    });
  }
});

describe('compareCertificate', () => {
  const cert: Certificate = buildCertificate(sampleResult(), when);
  const compare = (over: Partial<CheckResult>) => compareCertificate(cert, sampleResult(over));

  it('finds nothing when the fresh run matches, whatever the timings, paths, solver or clock', () => {
    expect(compareCertificate(cert, sampleResult())).toEqual([]);
    const base = sampleResult();
    const fresh = sampleResult({
      timings: { compileMs: 1, encodeMs: 2, solveMs: 3, totalMs: 4 },
      old: { ...base.old, file: '/elsewhere/old.sol', compileMs: 9 },
      obligations: obligations.map((o) => ({ ...o, durationMs: 1, ...(o.solver ? { solver: 'cvc5 1.0.3' } : {}) })),
      entryPoints: base.entryPoints.map((e) => ({ ...e, durationMs: 1 })),
      compiler: { version: base.compiler.version, settings: { evmVersion: 'cancun', optimizer: { enabled: false } } },
    });
    expect(compareCertificate(cert, fresh)).toEqual([]);
  });

  it('reports tool and compiler changes', () => {
    expect(compare({ tool: { name: 'patchproof', version: '0.2.0' } })).toEqual(['tool: certificate has patchproof 0.1.0, fresh run has patchproof 0.2.0']);
    expect(compare({ compiler: { version: '0.8.31', settings: sampleResult().compiler.settings } })).toEqual([
      'compiler version: certificate has 0.8.30+commit.73712a01, fresh run has 0.8.31',
    ]);
    const [msg] = compare({ compiler: { version: '0.8.30+commit.73712a01', settings: { optimizer: { enabled: true } } } });
    expect(msg).toMatch(/^compiler settings: certificate has \{.*\}, fresh run has \{.*"enabled":true/);
  });

  it('reports every source hash, added or dropped source, and runtime keccak that changed', () => {
    const base = sampleResult();
    const out = compare({
      old: { ...base.old, runtimeKeccak: '0x' + '0'.repeat(64) },
      new: { ...base.new, sources: [{ path: 'new.sol', sha256: '9'.repeat(64) }, { path: 'lib/Other.sol', sha256: 'e'.repeat(64) }] },
    });
    expect(out).toEqual([
      `old runtime keccak256: certificate has 0x${'c'.repeat(64)}, fresh run has 0x${'0'.repeat(64)}`,
      `new source new.sol sha256: certificate has ${'d'.repeat(64)}, fresh run has ${'9'.repeat(64)}`,
      'new source lib/Math.sol: in the certificate but not in the fresh compilation',
      'new source lib/Other.sol: in the fresh compilation but not in the certificate',
    ]);
    expect(compare({ new: { ...base.new, runtimeKeccak: '0x' + '1'.repeat(64) } })).toEqual([
      `new runtime keccak256: certificate has 0x${'f'.repeat(64)}, fresh run has 0x${'1'.repeat(64)}`,
    ]);
    expect(compare({ new: { ...base.new, contract: 'Other' } })).toEqual(['new contract: certificate has Vault, fresh run has Other']);
  });

  it("reports each obligation's verdict and query hash, and obligations added or dropped", () => {
    const changed = obligations.map((o) =>
      o.id === 'eq:deposit()' ? { ...o, smtSha256: '7'.repeat(64) } : o.id === 'eq:slow(uint256)' ? { ...o, verdict: 'equivalent' as const } : o,
    );
    expect(compare({ obligations: changed })).toEqual([
      `obligation eq:deposit() smtSha256: certificate has ${'1'.repeat(64)}, fresh run has ${'7'.repeat(64)}`,
      'obligation eq:slow(uint256) verdict: certificate has unknown, fresh run has equivalent',
    ]);
    const noQuery = obligations.map((o) => (o.id === 'eq:deposit()' ? { ...o, smtSha256: undefined } : o));
    expect(compare({ obligations: noQuery })).toEqual([`obligation eq:deposit() smtSha256: certificate has ${'1'.repeat(64)}, fresh run has (no solver query)`]);
    const extra = { id: 'eq:new()', kind: 'equivalence' as const, entryPoint: 'new()', verdict: 'different' as const, durationMs: 0 };
    expect(compare({ obligations: [...obligations.slice(1), extra] })).toEqual([
      'obligation eq:balanceOf(address): in the certificate but dropped from the fresh run',
      'obligation eq:new(): added in the fresh run, not in the certificate',
    ]);
  });

  it('reports entry points added, dropped or with another verdict, and the overall verdict', () => {
    const base = sampleResult();
    const eps = base.entryPoints.slice(1);
    const added = { selector: '0xaabbccdd', signature: 'added()', kind: 'function' as const, verdict: { kind: 'different' as const, reason: 'only in new' }, durationMs: 0, solverCalls: 0 };
    expect(compare({ entryPoints: [...eps, added] })).toEqual([
      'entry point balanceOf(address): in the certificate but dropped from the fresh run',
      'entry point added(): added in the fresh run, not in the certificate',
    ]);
    const flipped = base.entryPoints.map((e) => (e.signature === 'slow(uint256)' ? { ...e, verdict: { kind: 'equivalent' as const, how: 'solver' as const } } : e));
    expect(compare({ entryPoints: flipped })).toEqual(['entry point slow(uint256) verdict: certificate has unknown, fresh run has equivalent']);
    expect(compare({ overall: 'unknown' })).toEqual(['overall verdict: certificate has different, fresh run has unknown']);
  });

  it('compares against a certificate read back from disk the same way', async () => {
    const file = path.join(dir, 'rt.json');
    await writeCertificate(file, cert);
    const back = await readCertificate(file);
    expect(compareCertificate(back, sampleResult())).toEqual([]);
    expect(compareCertificate(back, sampleResult({ overall: 'equivalent' }))).toHaveLength(1);
  });
});
