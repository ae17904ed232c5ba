import { describe, expect, it } from 'vitest';
import { analyzeUpgrade } from '../../src/upgrade/index.ts';
import { compilePair, expectedOf, upgradeFixtureNames } from './corpus.ts';

/** Every upgrade fixture pair: the full upgrade report's verdict and its finding codes (fixtures-upgrade/README.md). */
describe('upgrade fixture corpus', () => {
  it('has at least 20 storage layout pairs', () => {
    expect(upgradeFixtureNames.filter((n) => n.startsWith('layout-')).length).toBeGreaterThanOrEqual(20);
  });
  for (const name of upgradeFixtureNames) {
    it(name, { timeout: 60_000 }, async () => {
      const exp = expectedOf(name);
      const report = analyzeUpgrade(await compilePair(name));
      const codes = report.findings.map((f) => f.code).sort();
      expect(codes, report.findings.map((f) => `${f.code} ${f.message}`).join('\n')).toEqual([...exp.findings].sort());
      expect(report.verdict).toBe(exp.verdict);
      for (const f of report.findings) {
        // Every finding points somewhere and says what to do.
        expect(f.newLoc ?? f.oldLoc, `${f.code} has no location`).toBeDefined();
        expect(f.message.length).toBeGreaterThan(20);
      }
    });
  }
});
