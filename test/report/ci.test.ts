import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/api.ts';
import { applyFailOn } from '../../src/report/failon.ts';
import { githubAnnotations, githubSummary } from '../../src/report/github.ts';
import type { PathBase } from '../../src/report/issues.ts';
import { toJunit } from '../../src/report/junit.ts';
import { FINGERPRINT_KEY, toSarif } from '../../src/report/sarif.ts';
import { projectRoot, runCli } from '../cli/helpers.ts';
import { allEquivalent, entryPoints, sampleResult } from './sample.ts';

// The OASIS SARIF 2.1.0 schema (rtm.5, as shipped in @microsoft/jest-sarif, MIT), vendored: no download at test time.
// Its language pattern is not a valid unicode regexp (a stray bracket), hence unicodeRegExp: false.
const schema = JSON.parse(readFileSync(new URL('./sarif-schema-2.1.0.json', import.meta.url), 'utf8')) as object;
// .default: the package is CommonJS (module.exports = Ajv, exports.default = Ajv); NodeNext types see only the latter.
const validateSarif = new AjvDraft04.default({ strict: false, validateFormats: false, allErrors: true, unicodeRegExp: false }).compile(schema);

const base: PathBase = { oldRoot: '/repo/old', newRoot: '/repo/contracts', cwd: '/repo' };

/** The sample with old locations, a removed entry point, a violated property and an upgrade finding. */
function richResult(): CheckResult {
  const eps = entryPoints.map((e) => (e.signature === 'withdraw(uint256)' ? { ...e, location: { file: 'Vault.sol', line: 22, col: 5, astId: 31 }, oldLocation: { file: 'Vault.sol', line: 20, col: 5, astId: 30 } } : e));
  return sampleResult({
    entryPoints: [
      ...eps,
      { selector: '0xaabbccdd', signature: 'sweep()', kind: 'function', verdict: { kind: 'different', reason: 'removed: the selector exists only in the old version' }, location: { file: 'Vault.sol', line: 40, col: 5, astId: 90 }, oldLocation: { file: 'Vault.sol', line: 40, col: 5, astId: 90 }, onlyIn: 'old', durationMs: 0, solverCalls: 0 },
      { selector: '0x11111111', signature: 'pay(uint256)', kind: 'function', verdict: { kind: 'refines', how: 'solver', bound: { loops: 5, exhaustedAt: { file: 'Vault.sol', line: 50, col: 9, astId: 99 } } }, durationMs: 3, solverCalls: 1, properties: [{ kind: 'blocks', text: 'amount > 10', verdict: { kind: 'violated', reason: 'the new version accepts amount = 11' } }] },
    ],
    obligations: [
      ...sampleResult().obligations,
      { id: 'eq:sweep()', kind: 'equivalence', entryPoint: 'sweep()', verdict: 'different', durationMs: 0 },
      { id: 'ref:pay(uint256)', kind: 'refines', entryPoint: 'pay(uint256)', verdict: 'refines', durationMs: 2 },
      { id: 'blocks:pay(uint256)', kind: 'blocks', entryPoint: 'pay(uint256)', verdict: 'violated', durationMs: 1 },
    ],
    upgrade: { verdict: 'incompatible', findings: [{ code: 'PP101', severity: 'error', title: 'variable inserted before existing ones', message: 'fee inserted at slot 0', newLoc: { file: 'Vault.sol', line: 8, col: 5, astId: 3 }, oldLoc: { file: 'Vault.sol', line: 8, col: 5, astId: 2 }, subject: 'Vault.fee' }] },
  });
}

describe('SARIF output', () => {
  it('validates against the SARIF 2.1.0 schema, with and without results', () => {
    for (const r of [richResult(), sampleResult(), allEquivalent()]) {
      const log = toSarif(r, base);
      expect(validateSarif(log), JSON.stringify(validateSarif.errors, null, 2)).toBe(true);
    }
    expect(toSarif(allEquivalent(), base).runs[0]!.results).toEqual([]);
    // The validator does reject what the schema forbids.
    expect(validateSarif({ ...toSarif(sampleResult(), base), version: '2.0.0' })).toBe(false);
    expect(validateSarif({ ...toSarif(sampleResult(), base), bogus: 1 })).toBe(false);
  });

  it('reports refuted as errors and inconclusive as warnings, located in the new source with the old as related', () => {
    const results = toSarif(richResult(), base).runs[0]!.results!;
    const by = (ep: string, rule: string) => results.find((x) => x.ruleId === rule && (x.properties as { entryPoint?: string }).entryPoint === ep);
    const withdraw = by('withdraw(uint256)', 'PPV001')!;
    expect(withdraw.level).toBe('error');
    expect(withdraw.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe('contracts/Vault.sol');
    expect(withdraw.locations![0]!.physicalLocation!.region).toEqual({ startLine: 22, startColumn: 5 });
    expect(withdraw.relatedLocations![0]!.physicalLocation!.artifactLocation!.uri).toBe('old/Vault.sol');
    expect(withdraw.relatedLocations![0]!.physicalLocation!.region!.startLine).toBe(20);
    // A removed entry point exists only in the old source: located there, no related location.
    const sweep = by('sweep()', 'PPV001')!;
    expect(sweep.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe('old/Vault.sol');
    expect(sweep.relatedLocations).toBeUndefined();
    expect(by('slow(uint256)', 'PPV101')!.level).toBe('warning');
    expect(by('fallback()', 'PPV102')!.message.text).toContain('inline assembly at new.sol:44:9');
    expect(by('pay(uint256)', 'PPV104')!.level).toBe('warning');
    expect(by('pay(uint256)', 'PPV002')!.level).toBe('error');
    const layout = results.find((x) => x.ruleId === 'PP101')!;
    expect(layout.level).toBe('error');
    expect(layout.relatedLocations![0]!.physicalLocation!.artifactLocation!.uri).toBe('old/Vault.sol');
    // Proved entry points are not results.
    expect(results.some((x) => (x.properties as { entryPoint?: string }).entryPoint === 'balanceOf(address)')).toBe(false);
  });

  it('keeps rule ids and fingerprints stable when lines move, distinct across issues', () => {
    const a = toSarif(richResult(), base).runs[0]!.results!;
    const moved = richResult();
    const shifted = { ...moved, entryPoints: moved.entryPoints.map((e) => (e.location ? { ...e, location: { ...e.location, line: e.location.line + 7 } } : e)) };
    const b = toSarif(shifted, base).runs[0]!.results!;
    expect(b.map((x) => [x.ruleId, x.partialFingerprints![FINGERPRINT_KEY]])).toEqual(a.map((x) => [x.ruleId, x.partialFingerprints![FINGERPRINT_KEY]]));
    expect(new Set(a.map((x) => x.partialFingerprints![FINGERPRINT_KEY])).size).toBe(a.length);
  });
});

interface JCase {
  name: string;
  failure?: { type: string; message: string };
  skipped?: { message: string };
}
interface JSuite {
  name: string;
  tests: string;
  failures: string;
  skipped: string;
  testcase: JCase[];
}

function parseJunit(xml: string): JSuite[] {
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => n === 'testsuite' || n === 'testcase' }).parse(xml) as { testsuites: { testsuite: JSuite[] } };
  return doc.testsuites.testsuite;
}

describe('JUnit output', () => {
  it('has one testcase per obligation; refuted fail, inconclusive fail under --fail-on inconclusive', () => {
    const [obls, upgrade] = parseJunit(toJunit(richResult(), 'inconclusive'));
    expect(obls!.testcase.map((c) => c.name)).toEqual(richResult().obligations.map((o) => `${o.entryPoint} [${o.kind}]`));
    const c = (name: string) => obls!.testcase.find((x) => x.name === name)!;
    expect(c('balanceOf(address) [equivalence]').failure).toBeUndefined();
    expect(c('withdraw(uint256) [equivalence]').failure!.type).toBe('refuted');
    expect(c('slow(uint256) [equivalence]').failure!.type).toBe('inconclusive');
    expect(c('fallback()\u0020[equivalence]').failure!.message).toContain('inline assembly');
    expect(c('pay(uint256) [refines]').failure!.message).toContain('bounded');
    expect(c('pay(uint256) [blocks]').failure!.type).toBe('refuted');
    expect([obls!.tests, obls!.failures, obls!.skipped]).toEqual(['8', '6', '0']);
    expect(upgrade!.testcase[0]!.failure!.type).toBe('refuted');
  });

  it('shows inconclusive as skipped under --fail-on refuted', () => {
    const [obls] = parseJunit(toJunit(richResult(), 'refuted'));
    const slow = obls!.testcase.find((x) => x.name === 'slow(uint256) [equivalence]')!;
    expect(slow.failure).toBeUndefined();
    expect(slow.skipped!.message).toContain('inconclusive: unknown');
    expect([obls!.failures, obls!.skipped]).toEqual(['3', '3']);
  });

  it('escapes XML in names and messages', () => {
    const r = sampleResult({ obligations: [{ id: 'x', kind: 'equivalence', entryPoint: 'f(<"&>)', verdict: 'different', durationMs: 1 }] });
    const [obls] = parseJunit(toJunit(r, 'inconclusive'));
    expect(obls!.testcase[0]!.name).toBe('f(<"&>) [equivalence]');
  });
});

describe('GitHub Actions output and --fail-on', () => {
  it('writes one workflow command per issue with escaped properties', () => {
    const lines = githubAnnotations(richResult(), base);
    expect(lines[0]).toMatch(/^::error file=contracts\/Vault.sol,line=22,col=5,title=patchproof PPV001::withdraw\(uint256\): behaves differently.*\(old version: old\/Vault.sol:20\)$/);
    expect(lines.filter((l) => l.startsWith('::warning')).length).toBe(3);
    expect(lines.every((l) => !l.includes('\n'))).toBe(true);
    const summary = githubSummary(richResult(), 1, base);
    expect(summary).toContain('### patchproof: different (exit 1)');
    expect(summary).toContain('| ❌ | PP101 | contracts/Vault.sol:8 |');
  });

  it('maps verdict exit codes', () => {
    expect([0, 1, 2].map((c) => applyFailOn(c as 0 | 1 | 2, 'inconclusive'))).toEqual([0, 1, 2]);
    expect([0, 1, 2].map((c) => applyFailOn(c as 0 | 1 | 2, 'refuted'))).toEqual([0, 1, 0]);
    expect([0, 1, 2].map((c) => applyFailOn(c as 0 | 1 | 2, 'never'))).toEqual([0, 0, 0]);
  });
});

describe('check --format sarif --junit under GitHub Actions (CLI)', { timeout: 120_000 }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'patchproof-ci-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints SARIF on stdout, annotations on stderr, writes JUnit and the step summary', async () => {
    const summary = path.join(dir, 'summary.md');
    const junit = path.join(dir, 'report.xml');
    const args = ['check', 'fixtures/example/old.sol', 'fixtures/example/new.sol', '--format', 'sarif', '--junit', junit, '--cache-dir', path.join(projectRoot, 'node_modules/.cache/patchproof-test')];
    const r = await runCli(args, { env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary } });
    expect(r.code, r.stderr).toBe(1);
    const log = JSON.parse(r.stdout) as { runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    expect(validateSarif(log), JSON.stringify(validateSarif.errors)).toBe(true);
    expect(log.runs[0]!.results.map((x) => [x.ruleId, x.locations[0]!.physicalLocation.artifactLocation.uri])).toEqual([['PPV001', 'fixtures/example/new.sol']]);
    expect(r.stderr).toMatch(/^::error file=fixtures\/example\/new.sol,line=\d+,col=\d+,title=patchproof PPV001::withdraw\(uint256\)/m);
    expect(parseJunit(await readFile(junit, 'utf8'))[0]!.failures).toBe('1');
    expect(await readFile(summary, 'utf8')).toContain('### patchproof: different (exit 1)');
    const never = await runCli([...args.filter((x) => x !== 'sarif' && x !== '--format'), '--fail-on', 'never']);
    expect(never.code, never.stderr).toBe(0);
  });
});
