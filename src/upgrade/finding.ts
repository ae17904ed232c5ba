import type { SrcLoc } from '../util/loc.ts';

/**
 * A finding of the upgrade-safety analysis (storage layout compatibility and proxy hazards, issue 5).
 * Codes are stable and live in one catalog per concern: PP1xx storage layout (src/upgrade/layout/),
 * PP2xx proxy and implementation hazards (src/upgrade/hazards/). Tests assert on codes, never on text.
 */
export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  /** Stable code, e.g. `PP101`. */
  readonly code: string;
  readonly severity: Severity;
  /** Short stable title of the code, e.g. `variable inserted before existing ones`. */
  readonly title: string;
  /** One line: what happened, where, and the fix. */
  readonly message: string;
  /** Location in the new version (absent when the thing was deleted). */
  readonly newLoc?: SrcLoc;
  /** Location in the old version (absent when the thing is new). */
  readonly oldLoc?: SrcLoc;
  /** Storage position concerned, when there is one (slot as 0x-hex, byte offset). */
  readonly slot?: { readonly slot: string; readonly offset: number };
  /** The variable, member or function concerned, e.g. `Vault.balances` or `Pos.amount`. */
  readonly subject?: string;
}

/** A catalog entry: the code's fixed severity and title. */
export interface FindingKind {
  readonly code: string;
  readonly severity: Severity;
  readonly title: string;
}

export function finding(kind: FindingKind, message: string, extra: Omit<Finding, 'code' | 'severity' | 'title' | 'message'> = {}): Finding {
  return { code: kind.code, severity: kind.severity, title: kind.title, message, ...extra };
}

/** The upgrade report's verdict: `incompatible` when any finding is an error. */
export function upgradeVerdict(findings: readonly Finding[]): 'compatible' | 'incompatible' {
  return findings.some((f) => f.severity === 'error') ? 'incompatible' : 'compatible';
}
