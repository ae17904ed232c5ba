import path from 'node:path';
import type { CheckResult } from '../api.ts';
import type { Finding } from '../upgrade/finding.ts';
import { assertNever } from '../util/assert.ts';
import { sha256Hex } from '../util/hash.ts';
import { formatLoc, type SrcLoc } from '../util/loc.ts';
import type { EntryPointResult, PropertyResult } from '../verdicts/types.ts';

/**
 * What the CI outputs (SARIF, GitHub annotations, step summary) report: every refuted or inconclusive
 * verdict and every upgrade finding of a check, as one flat list. Presentation only: the verdicts are the
 * CheckResult's as they are. Proofs are not issues (JUnit, which lists every obligation, reads the
 * CheckResult itself).
 */

/** `refuted`: a difference or violated property; `inconclusive`: nothing was proved; `finding`: upgrade report. */
export type IssueClass = 'refuted' | 'inconclusive' | 'finding';

export interface Issue {
  /** Stable rule id (see RULES); never contains a location, so it survives edits. */
  readonly ruleId: string;
  readonly class: IssueClass;
  readonly level: 'error' | 'warning' | 'note';
  /** One line. */
  readonly message: string;
  /** The entry point concerned (absent for a finding about no function). */
  readonly entryPoint?: string;
  /** Where in the new version; in the old one when the thing exists only there (`locatedIn`). */
  readonly loc?: SrcLoc;
  readonly locatedIn: 'old' | 'new';
  /** The same thing in the old version, when it has one. */
  readonly oldLoc?: SrcLoc;
  /** Stable identity across runs and line moves: sha256 of rule, contract, entry point and subject. */
  readonly fingerprint: string;
}

export interface RuleInfo {
  readonly id: string;
  readonly name: string;
  readonly description: string;
}

/** Every verdict rule id, with its description (upgrade findings use their own codes, PP1xx/PP2xx). */
export const RULES: readonly RuleInfo[] = [
  { id: 'PPV001', name: 'behaviour-differs', description: 'The new version behaves differently from the old one at this entry point (or the entry point was added or removed).' },
  { id: 'PPV002', name: 'property-violated', description: 'A property (exploit condition to block, assert of the new version) is violated.' },
  { id: 'PPV101', name: 'unknown', description: 'The solver could not decide this obligation (timeout or unconfirmed counterexample): nothing was proved.' },
  { id: 'PPV102', name: 'unsupported', description: 'A construct patchproof does not model exactly: nothing was proved for this entry point.' },
  { id: 'PPV103', name: 'vacuous', description: 'The relation holds only because its assumption is unsatisfiable: nothing was proved.' },
  { id: 'PPV104', name: 'bounded', description: 'Equivalent only up to the loop unrolling bound: not a full proof.' },
];

const RULE_OF = { different: 'PPV001', violated: 'PPV002', unknown: 'PPV101', unsupported: 'PPV102', vacuous: 'PPV103', bounded: 'PPV104' } as const;

/** The issues of a check, in report order: entry points (and their properties), then upgrade findings. */
export function issuesOf(r: CheckResult): Issue[] {
  const contract = r.new.contract;
  const out: Issue[] = [];
  for (const ep of r.entryPoints) {
    const v = ep.verdict;
    const base = placeOf(ep);
    const add = (kind: keyof typeof RULE_OF, message: string, subject = '') => {
      const ruleId = RULE_OF[kind];
      const cls: IssueClass = kind === 'different' || kind === 'violated' ? 'refuted' : 'inconclusive';
      out.push({
        ruleId,
        class: cls,
        level: cls === 'refuted' ? 'error' : 'warning',
        message: `${ep.signature}: ${message}`,
        entryPoint: ep.signature,
        ...base,
        fingerprint: fingerprint(ruleId, contract, ep.signature, subject),
      });
    };
    // An addition or removal a spec file declares intended is left out of the overall verdict: no issue either.
    if (ep.intendedBy !== undefined) continue;
    switch (v.kind) {
      case 'equivalent':
      case 'refines':
        if (v.bound !== undefined) add('bounded', `${v.kind} only up to ${v.bound.loops} loop iteration(s); the bound is reached at ${v.bound.exhaustedAt.file}:${v.bound.exhaustedAt.line}`);
        break;
      case 'different':
        add('different', `behaves differently: ${v.reason}${replayNote(v.counterexample?.replay?.confirmed)}`);
        break;
      case 'unknown':
        add('unknown', `inconclusive (unknown): ${v.reason}`);
        break;
      case 'unsupported':
        // The construct may sit in either version, so its place goes into the text, not the location.
        add('unsupported', `inconclusive: unsupported construct ${v.construct} at ${formatLoc(v.loc)}`, v.construct);
        break;
      case 'vacuous':
        add('vacuous', `inconclusive (vacuous): ${v.reason}`);
        break;
      default:
        assertNever(v, 'verdict');
    }
    for (const p of ep.properties ?? []) propertyIssue(p, add);
  }
  for (const f of r.upgrade.findings) out.push(findingIssue(f, contract));
  return out;
}

type Add = (kind: keyof typeof RULE_OF, message: string, subject?: string) => void;

function propertyIssue(p: PropertyResult, add: Add): void {
  const v = p.verdict;
  const what = `${p.kind} ${p.text}`;
  switch (v.kind) {
    case 'proved':
      if (v.bound !== undefined) add('bounded', `property ${what} proved only up to ${v.bound.loops} loop iteration(s)`, what);
      return;
    case 'violated':
      add('violated', `property ${what} is violated: ${v.reason}${v.at === undefined ? '' : ` at ${formatLoc(v.at)}`}${replayNote(v.counterexample?.replay?.confirmed)}`, what);
      return;
    case 'unknown':
      add('unknown', `property ${what} is inconclusive (unknown): ${v.reason}`, what);
      return;
    case 'vacuous':
      add('vacuous', `property ${what} is vacuous: ${v.reason}`, what);
      return;
    case 'unsupported':
      add('unsupported', `property ${what} is inconclusive: unsupported construct ${v.construct} at ${formatLoc(v.loc)}`, what);
      return;
    default:
      assertNever(v, 'property verdict');
  }
}

function findingIssue(f: Finding, contract: string): Issue {
  const level = f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'note';
  const loc = f.newLoc ?? f.oldLoc;
  return {
    ruleId: f.code,
    class: 'finding',
    level,
    message: `${f.title}: ${f.message}`,
    ...(loc === undefined ? {} : { loc }),
    locatedIn: f.newLoc === undefined && f.oldLoc !== undefined ? 'old' : 'new',
    ...(f.oldLoc === undefined ? {} : { oldLoc: f.oldLoc }),
    fingerprint: fingerprint(f.code, contract, f.subject ?? '', f.slot === undefined ? '' : `${f.slot.slot}:${f.slot.offset}`),
  };
}

function placeOf(ep: EntryPointResult): Pick<Issue, 'loc' | 'locatedIn' | 'oldLoc'> {
  const removed = ep.onlyIn === 'old';
  return {
    ...(ep.location === undefined ? {} : { loc: ep.location }),
    locatedIn: removed ? 'old' : 'new',
    ...(ep.oldLocation === undefined || removed ? {} : { oldLoc: ep.oldLocation }),
  };
}

function replayNote(confirmed: boolean | undefined): string {
  return confirmed === true ? ' (confirmed on the EVM)' : '';
}

function fingerprint(...parts: string[]): string {
  return sha256Hex(parts.join('\u0000'));
}

/** How CI outputs name files: relative to the working directory (the repository checkout), posix separators. */
export interface PathBase {
  /** Absolute project roots the compiler's unit names are relative to. */
  readonly oldRoot: string;
  readonly newRoot: string;
  /** Directory paths are made relative to (default: process.cwd()). */
  readonly cwd?: string;
  /** Absolute file of each unit name, when units are not simply root-relative (Hardhat 3's `project/…`). */
  readonly units?: { readonly old: ReadonlyMap<string, string>; readonly new: ReadonlyMap<string, string> };
}

/** The file of a location as a path relative to `base.cwd`, posix separators. */
export function fileOf(loc: SrcLoc, side: 'old' | 'new', base: PathBase): string {
  const abs = base.units?.[side].get(loc.file) ?? path.resolve(side === 'old' ? base.oldRoot : base.newRoot, loc.file);
  return path.relative(base.cwd ?? process.cwd(), abs).split(path.sep).join('/');
}

/** Counts by class, for summaries. */
export function countIssues(issues: readonly Issue[]): Record<IssueClass, number> {
  const c: Record<IssueClass, number> = { refuted: 0, inconclusive: 0, finding: 0 };
  for (const i of issues) c[i.class]++;
  return c;
}
