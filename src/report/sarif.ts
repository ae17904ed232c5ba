import type * as Sarif from 'sarif';
import type { CheckResult } from '../api.ts';
import type { SrcLoc } from '../util/loc.ts';
import { fileOf, issuesOf, RULES, type Issue, type PathBase } from './issues.ts';

/**
 * `check --format sarif`: SARIF 2.1.0 for code scanning. One result per refuted or inconclusive verdict
 * (entry points and their properties) and per upgrade finding; proofs are not results. Rule ids are fixed
 * (PPV0xx refuted, PPV1xx inconclusive, PP1xx/PP2xx the upgrade catalog) and every result carries a
 * partial fingerprint that depends on the contract, entry point and rule only, so a result keeps its
 * identity when lines move. Locations are in the new version; the old version's definition is a related
 * location (a removed entry point is located in the old version, there being no other place).
 */

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/** The partialFingerprints key; bump the version when the fingerprint's inputs change. */
export const FINGERPRINT_KEY = 'patchproofIssue/v1';

export function toSarif(r: CheckResult, base: PathBase): Sarif.Log {
  const issues = issuesOf(r);
  const rules: Sarif.ReportingDescriptor[] = RULES.map((x) => ({
    id: x.id,
    name: x.name,
    shortDescription: { text: x.description },
    defaultConfiguration: { level: x.id.startsWith('PPV0') ? 'error' : 'warning' },
  }));
  for (const f of r.upgrade.findings) {
    if (rules.some((x) => x.id === f.code)) continue;
    rules.push({ id: f.code, name: slug(f.title), shortDescription: { text: f.title }, defaultConfiguration: { level: levelOf(f.severity) } });
  }
  const index = new Map(rules.map((x, i) => [x.id, i]));
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'patchproof', version: r.tool.version, semanticVersion: r.tool.version, rules } },
        results: issues.map((i) => result(i, index.get(i.ruleId) ?? -1, base)),
        properties: { overall: r.overall, oldContract: r.old.contract, newContract: r.new.contract, solc: r.compiler.version },
      },
    ],
  };
}

function result(i: Issue, ruleIndex: number, base: PathBase): Sarif.Result {
  const loc = i.loc === undefined ? undefined : location(i.loc, i.locatedIn, base, i.locatedIn === 'old' ? 'only in the old version' : undefined);
  const related = i.oldLoc === undefined || i.locatedIn === 'old' ? undefined : location(i.oldLoc, 'old', base, 'the old version');
  return {
    ruleId: i.ruleId,
    ...(ruleIndex >= 0 ? { ruleIndex } : {}),
    level: i.level,
    message: { text: i.message },
    ...(loc === undefined ? {} : { locations: [loc] }),
    ...(related === undefined ? {} : { relatedLocations: [{ ...related, id: 1 }] }),
    partialFingerprints: { [FINGERPRINT_KEY]: i.fingerprint },
    properties: { verdictClass: i.class, ...(i.entryPoint === undefined ? {} : { entryPoint: i.entryPoint }) },
  };
}

function location(l: SrcLoc, side: 'old' | 'new', base: PathBase, note: string | undefined): Sarif.Location | undefined {
  // A synthesised node (a getter, line 0) has no place in any file.
  if (l.line < 1) return undefined;
  return {
    physicalLocation: {
      artifactLocation: { uri: encodeURI(fileOf(l, side, base)) },
      region: { startLine: l.line, ...(l.col >= 1 ? { startColumn: l.col } : {}) },
    },
    ...(note === undefined ? {} : { message: { text: note } }),
  };
}

function levelOf(s: 'error' | 'warning' | 'info'): Sarif.ReportingConfiguration.level {
  return s === 'info' ? 'note' : s;
}

function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}
