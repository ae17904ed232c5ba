import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/api.ts';
import { EXIT, exitCodeOf, JSON_SCHEMA_VERSION, toJson } from '../../src/report/json.ts';
import { toPlainJson } from '../../src/report/plain.ts';
import { allEquivalent, sampleResult, withdrawCex } from './sample.ts';

describe('exitCodeOf', () => {
  it('maps the overall verdict to the documented exit codes', () => {
    expect(exitCodeOf('equivalent')).toBe(0);
    expect(exitCodeOf('different')).toBe(1);
    expect(exitCodeOf('unknown')).toBe(2);
    expect(exitCodeOf('unsupported')).toBe(2);
    expect(EXIT).toEqual({ proved: 0, different: 1, inconclusive: 2, usage: 3, internal: 70 });
  });
});

describe('toJson', () => {
  const j = toJson(sampleResult());

  it('has the schema-1 top-level fields in a fixed order', () => {
    expect(Object.keys(j)).toEqual([
      'schemaVersion', 'tool', 'compiler', 'old', 'new', 'overall', 'exitCode', 'gasCompared',
      'entryPoints', 'obligations', 'assumptions', 'timings', 'upgrade', 'mode',
    ]);
    expect(j.schemaVersion).toBe(JSON_SCHEMA_VERSION);
    expect(j.schemaVersion).toBe(1);
    expect(j.tool).toEqual({ name: 'patchproof', version: '0.1.0' });
    expect(j.compiler.version).toBe('0.8.30+commit.73712a01');
    expect(j.overall).toBe('different');
    expect(j.exitCode).toBe(1);
    expect(j.gasCompared).toBe(false);
    expect(toJson(allEquivalent()).exitCode).toBe(0);
  });

  it('carries the upgrade report, and an incompatible one exits 1 whatever the entry points say', () => {
    expect(j.upgrade).toEqual({ verdict: 'compatible', findings: [] });
    const loc = { file: 'new.sol', line: 7, col: 5, astId: 12 };
    const bad = toJson({
      ...allEquivalent(),
      overall: 'incompatible',
      upgrade: { verdict: 'incompatible', findings: [{ code: 'PP101', severity: 'error', title: 'variable inserted before existing ones', message: 'Vault.fee takes slot 1', newLoc: loc, slot: { slot: '0x1', offset: 0 }, subject: 'Vault.fee' }] },
    });
    expect(bad.exitCode).toBe(1);
    expect(bad.upgrade.findings).toEqual([
      { code: 'PP101', severity: 'error', title: 'variable inserted before existing ones', message: 'Vault.fee takes slot 1', subject: 'Vault.fee', slot: { slot: '0x1', offset: 0 }, newLocation: { file: 'new.sol', line: 7, col: 5 } },
    ]);
  });

  it('describes each side without the bytecode', () => {
    expect(j.old).toEqual({
      file: 'fixtures/example/old.sol',
      contract: 'Vault',
      runtimeKeccak: '0x' + 'c'.repeat(64),
      sources: [{ path: 'old.sol', sha256: 'b'.repeat(64) }],
    });
    expect(j.new.sources.map((s) => s.path)).toEqual(['new.sol', 'lib/Math.sol']);
  });

  it('gives each entry point only the fields its verdict has', () => {
    const [bal, dep, wd, slow, fb] = j.entryPoints;
    expect(bal).toEqual({
      selector: '0x70a08231', signature: 'balanceOf(address)', kind: 'function', verdict: 'equivalent', how: 'identical-ir',
      location: { file: 'old.sol', line: 26, col: 5 }, durationMs: 2, solverCalls: 0,
    });
    expect(dep).toEqual({ selector: '0xd0e30db0', signature: 'deposit()', kind: 'function', verdict: 'equivalent', how: 'solver', durationMs: 813, solverCalls: 1 });
    expect(wd?.verdict).toBe('different');
    expect(wd?.reason).toBe('new reverts where old succeeds');
    expect(wd?.counterexample).toEqual(JSON.parse(JSON.stringify(withdrawCex)));
    expect(wd).not.toHaveProperty('how');
    expect(slow).toEqual({ selector: '0x12345678', signature: 'slow(uint256)', kind: 'function', verdict: 'unknown', reason: 'solver timeout after 20000 ms', durationMs: 20001, solverCalls: 1 });
    expect(fb).toEqual({
      selector: null, signature: 'fallback()', kind: 'fallback', verdict: 'unsupported', construct: 'inline assembly',
      constructLocation: { file: 'new.sol', line: 44, col: 9 }, durationMs: 0, solverCalls: 0,
    });
  });

  it('lists obligations with hashes only where a solver ran, and whole-millisecond timings', () => {
    expect(j.obligations[0]).toEqual({ id: 'eq:balanceOf(address)', kind: 'equivalence', entryPoint: 'balanceOf(address)', verdict: 'equivalent', durationMs: 0 });
    expect(j.obligations[1]).toMatchObject({ smtSha256: '1'.repeat(64), solver: 'z3-wasm 5.1.0', durationMs: 800 });
    expect(j.timings).toEqual({ compileMs: 220, encodeMs: 12, solveMs: 22201, totalMs: 22501 });
    expect(j.assumptions).toEqual(['gas is not compared', 'external calls answer the same in both versions']);
    expect(JSON.stringify(j)).not.toContain('declare-const');
  });

  it('survives JSON.stringify unchanged even when bigints sneak into settings or counterexamples', () => {
    const sneaky = {
      ...withdrawCex,
      env: { 'msg.value': 7n as unknown as string },
    };
    const r: CheckResult = sampleResult({
      compiler: { version: 'v', settings: { big: 2n ** 255n, nested: [1n, { m: new Map([['k', 3n]]) }], skip: undefined } },
      entryPoints: [{ selector: '0x01020304', signature: 'f()', kind: 'function', verdict: { kind: 'different', reason: 'r', counterexample: sneaky }, durationMs: Number.NaN, solverCalls: 0 }],
    });
    const out = toJson(r);
    const text = JSON.stringify(out);
    expect(JSON.parse(text)).toEqual(out);
    expect(out.compiler.settings).toEqual({ big: (2n ** 255n).toString(), nested: ['1', { m: { k: '3' } }] });
    expect(out.entryPoints[0]?.durationMs).toBe(0);
    expect(text).toContain('"msg.value":"7"');
  });
});

describe('toPlainJson', () => {
  it('rejects what JSON cannot carry instead of silently dropping it', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => toPlainJson(cyclic)).toThrow(/cycle at \$\.self/);
    expect(() => toPlainJson({ f: () => 1 })).toThrow(/function at \$\.f/);
    const shared = { a: 1 };
    expect(toPlainJson([shared, shared])).toEqual([{ a: 1 }, { a: 1 }]);
  });
});
