import type { CheckResult } from '../api.ts';
import { assertNever } from '../util/assert.ts';
import type { ObligationVerdictKind } from '../verdicts/types.ts';
import type { FailOn } from './failon.ts';

/**
 * `check --junit <file>`: JUnit XML (the common Ant/Surefire dialect CI systems read). Suite
 * `patchproof.obligations` has one testcase per obligation (classname: the contract, name: the entry
 * point and the obligation's kind); suite `patchproof.upgrade` one per upgrade finding, or a single
 * passing case when there is none.
 *
 * Refuted obligations (different, violated) and error findings are `<failure>`. Inconclusive ones
 * (unknown, unsupported, vacuous, and proofs only up to the loop bound) follow `--fail-on`: with
 * `inconclusive` (the default) they are `<failure type="inconclusive">`, so the test report fails exactly
 * when the exit code does; with `refuted` or `never` they are `<skipped>` with the reason.
 */
export function toJunit(r: CheckResult, failOn: FailOn): string {
  const contract = r.new.contract;
  const cases: Case[] = r.obligations.map((o) => {
    const ep = r.entryPoints.find((e) => e.signature === o.entryPoint);
    const bounded = o.verdict === 'equivalent' || o.verdict === 'refines' || o.verdict === 'proved' ? boundOf(ep, o.kind) : undefined;
    // A declared-intended addition or removal does not count against the run (see verdicts/types.ts intendedBy).
    const outcome = ep?.intendedBy !== undefined ? 'passed' : bounded !== undefined ? 'inconclusive' : outcomeOf(o.verdict);
    const detail = `${o.verdict}${bounded === undefined ? '' : ` only up to ${bounded} loop iteration(s) (bounded)`}${reasonOf(ep, o.kind)}`;
    return { classname: contract, name: `${o.entryPoint} [${o.kind}]`, timeMs: o.durationMs, outcome, detail };
  });
  const findings: Case[] = r.upgrade.findings.map((f) => ({
    classname: `${contract}.upgrade`,
    name: `${f.code} ${f.subject ?? f.title}`,
    timeMs: 0,
    outcome: f.severity === 'error' ? 'refuted' : 'passed',
    detail: `${f.title}: ${f.message}`,
  }));
  if (findings.length === 0) findings.push({ classname: `${contract}.upgrade`, name: 'storage layout and upgrade hazards', timeMs: 0, outcome: 'passed', detail: '' });
  const suites = [suite('patchproof.obligations', cases, failOn), suite('patchproof.upgrade', findings, failOn)];
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="patchproof ${esc(r.old.contract)} -> ${esc(contract)}">\n${suites.join('')}</testsuites>\n`;
}

type Outcome = 'passed' | 'refuted' | 'inconclusive';

interface Case {
  readonly classname: string;
  readonly name: string;
  readonly timeMs: number;
  readonly outcome: Outcome;
  readonly detail: string;
}

function suite(name: string, cases: readonly Case[], failOn: FailOn): string {
  const failsInconclusive = failOn === 'inconclusive';
  const failures = cases.filter((c) => c.outcome === 'refuted' || (c.outcome === 'inconclusive' && failsInconclusive)).length;
  const skipped = cases.filter((c) => c.outcome === 'inconclusive' && !failsInconclusive).length;
  const time = cases.reduce((a, c) => a + c.timeMs, 0);
  const body = cases.map((c) => testcase(c, failsInconclusive)).join('');
  return `  <testsuite name="${esc(name)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${secs(time)}">\n${body}  </testsuite>\n`;
}

function testcase(c: Case, failsInconclusive: boolean): string {
  const open = `    <testcase classname="${esc(c.classname)}" name="${esc(c.name)}" time="${secs(c.timeMs)}"`;
  switch (c.outcome) {
    case 'passed':
      return `${open}/>\n`;
    case 'refuted':
      return `${open}>\n      <failure type="refuted" message="${esc(c.detail)}">${esc(c.detail)}</failure>\n    </testcase>\n`;
    case 'inconclusive':
      return failsInconclusive
        ? `${open}>\n      <failure type="inconclusive" message="${esc(c.detail)}">${esc(c.detail)}</failure>\n    </testcase>\n`
        : `${open}>\n      <skipped message="inconclusive: ${esc(c.detail)}"/>\n    </testcase>\n`;
    default:
      return assertNever(c.outcome, 'junit outcome');
  }
}

function outcomeOf(v: ObligationVerdictKind): Outcome {
  switch (v) {
    case 'equivalent':
    case 'refines':
    case 'proved':
      return 'passed';
    case 'different':
    case 'violated':
      return 'refuted';
    case 'unknown':
    case 'unsupported':
    case 'vacuous':
      return 'inconclusive';
    default:
      return assertNever(v, 'obligation verdict');
  }
}

type Ep = CheckResult['entryPoints'][number] | undefined;

/** The loop bound an obligation's proof rests on, if any (the entry point's, or its property's). */
function boundOf(ep: Ep, kind: string): number | undefined {
  if (ep === undefined) return undefined;
  const p = ep.properties?.find((x) => x.kind === kind);
  if (p !== undefined) return p.verdict.kind === 'proved' ? p.verdict.bound?.loops : undefined;
  const v = ep.verdict;
  return v.kind === 'equivalent' || v.kind === 'refines' ? v.bound?.loops : undefined;
}

function reasonOf(ep: Ep, kind: string): string {
  if (ep === undefined) return '';
  const p = ep.properties?.find((x) => x.kind === kind);
  const v = p?.verdict ?? ep.verdict;
  if ('reason' in v) return `: ${v.reason}`;
  if ('construct' in v) return `: unsupported construct ${v.construct} at ${v.loc.file}:${v.loc.line}`;
  return '';
}

function secs(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

/** XML attribute and text escaping; control characters XML 1.0 cannot carry become spaces. */
function esc(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;');
}
