import type { Compilation, ContractOutput } from '../frontend/compile.ts';
import { upgradeVerdict, type Finding } from './finding.ts';
import { layoutAnalysis } from './layout/index.ts';
import { analyzeHazards } from './hazards/index.ts';

/**
 * Upgrade safety (issue 5): what the new implementation breaks in the contract between it and the proxy
 * that keeps the old one's storage. Two concerns, each with its own catalog of stable codes:
 * storage layout (PP1xx, ./layout/) and proxy/implementation hazards (PP2xx, ./hazards/).
 */
export interface UpgradeSide {
  readonly compilation: Compilation;
  readonly contract: ContractOutput;
}

export interface UpgradeInput {
  readonly old: UpgradeSide;
  readonly new: UpgradeSide;
}

export interface UpgradeReport {
  readonly verdict: 'compatible' | 'incompatible';
  /** Every finding, errors first, then by new location. */
  readonly findings: readonly Finding[];
}

/** One analysis contributes findings; the report is their union. */
export type UpgradeAnalysis = (input: UpgradeInput) => readonly Finding[];

const ANALYSES: readonly UpgradeAnalysis[] = [layoutAnalysis, analyzeHazards];

const rank = { error: 0, warning: 1, info: 2 } as const;

export function analyzeUpgrade(input: UpgradeInput, analyses: readonly UpgradeAnalysis[] = ANALYSES): UpgradeReport {
  const findings = analyses.flatMap((a) => a(input));
  const sorted = [...findings].sort(
    (a, b) => rank[a.severity] - rank[b.severity] || (a.newLoc?.line ?? 0) - (b.newLoc?.line ?? 0) || a.code.localeCompare(b.code),
  );
  return { verdict: upgradeVerdict(sorted), findings: sorted };
}
