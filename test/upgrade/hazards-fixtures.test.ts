import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAZARD_KINDS } from '../../src/upgrade/hazards/index.ts';
import { projectRoot } from '../cli/helpers.ts';
import { codes, hazardsOf, upgradeFixtures } from './hazards-helpers.ts';

/**
 * The hazard analysis (PP2xx) run directly on every `hazard-*` pair of fixtures-upgrade/, and on every
 * behavioural pair of fixtures/ (plain contracts: no upgrade hazards, so `check` keeps its verdicts).
 */
interface Expected { contract: string; verdict: string; findings: string[] }

const pairs = readdirSync(upgradeFixtures).filter((n) => n.startsWith('hazard-')).sort();
const kinds = new Map(HAZARD_KINDS.map((k) => [k.code, k]));

describe('hazard fixture pairs', () => {
  it('has at least 10 pairs, with and without hazards', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(10);
    const clean = pairs.filter((p) => read(p).findings.every((c) => !c.startsWith('PP2')));
    expect(clean.length).toBeGreaterThanOrEqual(2);
  });
  for (const name of pairs) {
    it(name, { timeout: 60_000 }, async () => {
      const dir = path.join(upgradeFixtures, name);
      const exp = read(name);
      const found = await hazardsOf(path.join(dir, 'old.sol'), path.join(dir, 'new.sol'), exp.contract);
      const msg = found.map((f) => `${f.code} ${f.message}`).join('\n');
      expect(codes(found), msg).toEqual(exp.findings.filter((c) => c.startsWith('PP2')).sort());
      for (const f of found) {
        // Every finding is from the catalog, with its fixed severity, and points into the new version.
        expect(kinds.get(f.code)?.severity, f.code).toBe(f.severity);
        expect(f.newLoc?.line, f.message).toBeGreaterThan(0);
        expect(['new.sol', 'oz.sol']).toContain(f.newLoc?.file);
      }
      const errors = found.some((f) => f.severity === 'error');
      if (errors) expect(exp.verdict).toBe('incompatible');
    });
  }
});

describe('behavioural fixtures have no upgrade hazards', () => {
  const plain = readdirSync(path.join(projectRoot, 'fixtures')).filter((n) => !n.includes('.') && n !== 'shadow').sort();
  it('reports nothing for plain (non-upgradeable) contracts', { timeout: 240_000 }, async () => {
    for (const name of plain) {
      const dir = path.join(projectRoot, 'fixtures', name);
      const { contract } = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Expected;
      const found = await hazardsOf(path.join(dir, 'old.sol'), path.join(dir, 'new.sol'), contract);
      expect(codes(found), `${name}: ${found.map((f) => f.message).join('; ')}`).toEqual([]);
    }
  });
});

function read(name: string): Expected {
  return JSON.parse(readFileSync(path.join(upgradeFixtures, name, 'expected.json'), 'utf8')) as Expected;
}
