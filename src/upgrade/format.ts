import { formatLoc, type SrcLoc } from '../util/loc.ts';
import type { Finding } from './finding.ts';
import type { UpgradeReport } from './index.ts';

/* Presentation of the upgrade report: JSON (schema in the README) and text. No heavy imports: the CLI loads this eagerly. */

/** The upgrade report as JSON: the `upgrade` section of `check --format json`, and all of `layout --format json`. */
export interface JsonUpgrade {
  readonly verdict: 'compatible' | 'incompatible';
  readonly findings: readonly JsonFinding[];
}

export interface JsonFinding {
  readonly code: string;
  readonly severity: Finding['severity'];
  readonly title: string;
  readonly message: string;
  readonly subject?: string;
  readonly slot?: { readonly slot: string; readonly offset: number };
  readonly oldLocation?: { readonly file: string; readonly line: number; readonly col: number };
  readonly newLocation?: { readonly file: string; readonly line: number; readonly col: number };
}

export function upgradeJson(r: UpgradeReport): JsonUpgrade {
  const loc = (l: SrcLoc) => ({ file: l.file, line: l.line, col: l.col });
  return {
    verdict: r.verdict,
    findings: r.findings.map((f) => ({
      code: f.code,
      severity: f.severity,
      title: f.title,
      message: f.message,
      ...(f.subject === undefined ? {} : { subject: f.subject }),
      ...(f.slot === undefined ? {} : { slot: { slot: f.slot.slot, offset: f.slot.offset } }),
      ...(f.oldLoc === undefined ? {} : { oldLocation: loc(f.oldLoc) }),
      ...(f.newLoc === undefined ? {} : { newLocation: loc(f.newLoc) }),
    })),
  };
}

/** Plain text, one finding per line, errors first: `error PP101 new.sol:12:5: message`. */
export function formatUpgradeText(r: UpgradeReport): string {
  const errors = r.findings.filter((f) => f.severity === 'error').length;
  const head = `upgrade: ${r.verdict}${errors > 0 ? ` (${errors} error${errors === 1 ? '' : 's'})` : ''}\n`;
  if (r.findings.length === 0) return head + '  storage layout unchanged where it matters; nothing to report\n';
  return head + r.findings.map((f) => `  ${f.severity.padEnd(7)} ${f.code} ${where(f)}: ${f.message}\n`).join('');
}

function where(f: Finding): string {
  const l = f.newLoc ?? f.oldLoc;
  const at = l === undefined ? '' : formatLoc(l) + (f.newLoc === undefined ? ' (old)' : '');
  const slot = f.slot === undefined ? '' : ` [slot ${f.slot.slot}${f.slot.offset === 0 ? '' : `+${f.slot.offset}`}]`;
  return (at || '-') + slot;
}
