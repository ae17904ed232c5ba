import type { CheckResult, SideInfo } from '../api.ts';
import { formatUpgradeText } from '../upgrade/format.ts';
import { assertNever } from '../util/assert.ts';
import { formatLoc } from '../util/loc.ts';
import type {
  Replay,
  Counterexample,
  EmittedEvent,
  EntryPointResult,
  EquivalenceProof,
  Execution,
  ShownValue,
  StorageValue,
  OverallVerdict,
  PropertyResult,
  VerdictKind,
} from '../verdicts/types.ts';

export interface TextOptions {
  /** ANSI colours for verdicts and differing parts; off unless asked for (the CLI decides from the TTY). */
  readonly color?: boolean;
}

const VERDICTS: readonly VerdictKind[] = ['equivalent', 'refines', 'different', 'unknown', 'unsupported', 'vacuous'];
/** Shown in the summary line even when none has it (the rest only when some entry point has it). */
const ALWAYS_COUNTED: ReadonlySet<VerdictKind> = new Set(['equivalent', 'different', 'unknown', 'unsupported']);

/** Raw revert data longer than this is shortened in text; the JSON report keeps it whole. */
const MAX_DATA_CHARS = 74;

/**
 * The report people read: a header naming both versions, one line per entry point, every counterexample
 * laid out in full, a summary line and the assumptions every verdict rests on. Presentation only: the
 * verdicts come from the CheckResult as they are.
 */
export function formatText(r: CheckResult, opts: TextOptions = {}): string {
  const paint = painter(opts.color === true);
  const out: string[] = [];
  const oldSolc = r.old.compilerVersion;
  out.push(`patchproof ${r.tool.version} (solc ${oldSolc === undefined || oldSolc === r.compiler.version ? r.compiler.version : `${oldSolc} for the old version, ${r.compiler.version} for the new`})`);
  out.push(side('old', r.old), side('new', r.new), '');

  out.push(...entryTable(r.entryPoints, paint));
  out.push(...propertyLines(r.entryPoints, paint));

  for (const ep of r.entryPoints) {
    const v = ep.verdict;
    if ((v.kind === 'different' || v.kind === 'unknown') && v.counterexample !== undefined) {
      out.push('', ...formatCounterexample(ep, v.counterexample, paint, v.kind === 'unknown'));
    }
    for (const p of ep.properties ?? []) {
      const pv = p.verdict;
      if ((pv.kind === 'violated' || pv.kind === 'unknown') && pv.counterexample !== undefined) {
        out.push('', ...formatCounterexample(ep, pv.counterexample, paint, pv.kind === 'unknown', `${propertyTitle(p)}: violated`));
      }
    }
  }

  // The upgrade report only when it has something to say, so plain refactors read as before.
  if (r.upgrade.findings.length > 0) out.push('', formatUpgradeText(r.upgrade).trimEnd());
  out.push('', summaryLine(r, opts));
  const t = r.timings;
  out.push(`time: compile ${ms(t.compileMs)}, encode ${ms(t.encodeMs)}, solve ${ms(t.solveMs)}, total ${ms(t.totalMs)}`);
  if (r.assumptions.length > 0) {
    out.push('', 'assumptions:');
    for (const a of r.assumptions) out.push(`  - ${a}`);
  }
  return out.join('\n') + '\n';
}

/** `N entry points: a equivalent, b different, c unknown, d unsupported; overall: X; gas is not compared` */
export function summaryLine(r: CheckResult, opts: TextOptions = {}): string {
  const paint = painter(opts.color === true);
  const counted = VERDICTS.filter((v) => ALWAYS_COUNTED.has(v) || r.entryPoints.some((e) => e.verdict.kind === v));
  const counts = counted.map((v) => `${r.entryPoints.filter((e) => e.verdict.kind === v).length} ${v}`);
  const n = r.entryPoints.length;
  const bounded = r.entryPoints.filter((e) => (e.verdict.kind === 'equivalent' || e.verdict.kind === 'refines') && e.verdict.bound !== undefined).length;
  const intended = r.entryPoints.filter((e) => e.intendedBy !== undefined).length;
  const props = r.entryPoints.flatMap((e) => e.properties ?? []);
  const propCounts = props.length === 0 ? '' : `; ${plural(props.length, 'property', 'properties')}: ${(['proved', 'violated', 'vacuous', 'unknown', 'unsupported'] as const).map((k) => [k, props.filter((p) => p.verdict.kind === k).length] as const).filter(([, c]) => c > 0).map(([k, c]) => `${c} ${k}`).join(', ')}`;
  const overall =
    r.overall === 'bounded' ? `${paint.verdict(r.overall)} (equivalent only up to the loop bound; not a proof)`
    : r.overall === 'vacuous' ? `${paint.verdict(r.overall)} (something holds only because its assumption is unsatisfiable; not a proof)`
    : r.overall === 'violated' ? `${paint.verdict(r.overall)} (a property of the new version is violated)`
    : r.overall === 'incompatible' ? `${paint.verdict(r.overall)} (the upgrade breaks the proxy's storage or the proxy; see "upgrade" above)`
    : paint.verdict(r.overall);
  return `${n} entry point${n === 1 ? '' : 's'}: ${counts.join(', ')}${bounded ? ` (${bounded} only up to the loop bound)` : ''}${intended ? ` (${intended} different as intended by the spec, left out of the overall verdict)` : ''}${propCounts}; overall: ${overall}; gas is not compared`;
}

function side(label: string, s: SideInfo): string {
  return `${label}: ${s.file} contract ${s.contract} (runtime keccak256 ${s.runtimeKeccak})`;
}

function entryTable(eps: readonly EntryPointResult[], paint: Painter): string[] {
  if (eps.length === 0) return ['no entry points'];
  const rows = eps.map((ep) => ({
    kind: ((ep.verdict.kind === 'equivalent' || ep.verdict.kind === 'refines') && ep.verdict.bound !== undefined ? 'bounded' : ep.verdict.kind) as OverallVerdict,
    verdict: (ep.verdict.kind === 'equivalent' || ep.verdict.kind === 'refines') && ep.verdict.bound !== undefined ? `${ep.verdict.kind} (loops unrolled to ${ep.verdict.bound.loops})` : ep.verdict.kind,
    cells: [ep.signature, ep.selector ?? '-', ms(ep.durationMs), plural(ep.solverCalls, 'solver call')],
    detail: verdictDetail(ep),
  }));
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => (r.cells[i] ?? '').length)));
  const verdictWidth = Math.max(...rows.map((r) => r.verdict.length));
  return rows.map((row) => {
    const cells = row.cells.map((c, i) => (i === 2 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)));
    const verdict = paint.verdict(row.kind, row.verdict) + ' '.repeat(verdictWidth - row.verdict.length);
    return `  ${verdict}  ${cells.join('  ')}  ${row.detail}`.trimEnd();
  });
}

/** The short explanation after an entry point's verdict. */
export function verdictDetail(ep: EntryPointResult): string {
  const v = ep.verdict;
  switch (v.kind) {
    case 'equivalent': {
      const through = v.through === undefined ? '' : ` through the state mapping ${v.through.join('; ')}`;
      return (v.bound === undefined ? `proved by ${proofName(v.how)}` : `proved by ${proofName(v.how)} for runs within the bound; the loop at ${formatLoc(v.bound.exhaustedAt)} can run longer`) + through;
    }
    case 'different':
      return v.reason;
    case 'unknown':
      return v.reason;
    case 'unsupported':
      return `${v.construct} at ${formatLoc(v.loc)}`;
    case 'refines': {
      const proved = v.bound === undefined ? `proved by ${proofName(v.how)}` : `proved by ${proofName(v.how)} for runs within the bound; the loop at ${formatLoc(v.bound.exhaustedAt)} can run longer`;
      const intended = v.intended === undefined ? '' : `; differs only where ${v.intended.map((c) => `\`${c}\``).join(' or ')} (the new version reverts there)`;
      return `${proved}: the new version reverts or behaves exactly like the old one${intended}${v.note === undefined ? '' : ` (${v.note})`}`;
    }
    case 'vacuous':
      return v.reason;
    default:
      return assertNever(v, 'verdict');
  }
}

/** `blocks `amount > 0` (--blocks 1:21)` */
function propertyTitle(p: PropertyResult): string {
  const where = p.origin === undefined ? '' : ` (${p.origin.source} ${p.origin.line}:${p.origin.col})`;
  return p.kind === 'blocks' ? `blocks \`${p.text}\`${where}` : p.text;
}

/** One line per property, under the entry point it belongs to. */
function propertyLines(eps: readonly EntryPointResult[], paint: Painter): string[] {
  const out: string[] = [];
  for (const ep of eps) {
    if (ep.properties === undefined || ep.properties.length === 0) continue;
    if (out.length === 0) out.push('', 'properties:');
    for (const p of ep.properties) {
      const v = p.verdict;
      const rank: OverallVerdict = v.kind === 'proved' ? (v.bound === undefined ? 'equivalent' : 'bounded') : v.kind;
      const detail =
        v.kind === 'proved'
          ? `${v.how === undefined ? 'proved' : `by ${proofName(v.how)}`}${v.bound === undefined ? '' : ` for runs within the bound (loops unrolled to ${v.bound.loops})`}${v.witness === undefined ? '' : `; the old version succeeds there, e.g. ${witnessLine(v.witness)}`}`
          : v.kind === 'unsupported'
            ? `${v.construct} at ${formatLoc(v.loc)}`
            : v.reason;
      out.push(`  ${paint.verdict(rank, v.kind)}  ${ep.signature}  ${propertyTitle(p)}: ${detail}`);
    }
  }
  return out;
}

/** An input in one line: `withdraw(amount = 5) from 0x…, calldata 0x…`. */
function witnessLine(c: Counterexample): string {
  const args = c.args.map((a) => `${a.name || '_'} = ${a.value}`).join(', ');
  const sender = c.env['msg.sender'];
  return `${c.entryPoint.replace(/\(.*$/, '')}(${args})${sender === undefined ? '' : ` from ${sender}`}`;
}

export function proofName(how: EquivalenceProof): string {
  switch (how) {
    case 'identical-ir':
      return 'identical IR';
    case 'identical-terms':
      return 'identical terms';
    case 'solver':
      return 'solver';
    case 'summaries':
      return 'solver, with unchanged internal calls as shared summaries';
    case 'loop-summaries':
      return 'solver, with unchanged loops (and internal calls) as shared summaries';
    default:
      return assertNever(how, 'equivalence proof');
  }
}

/** Observable parts a counterexample can differ in (Counterexample.differs), in the order shown. */
const PART_NAMES: Readonly<Record<string, string>> = {
  success: 'success/revert',
  revertData: 'revert data',
  returnData: 'return data',
  calls: 'external calls',
  storage: 'storage',
  logs: 'events',
};

function formatCounterexample(ep: EntryPointResult, cex: Counterexample, paint: Painter, spurious: boolean, what?: string): string[] {
  const differs = new Set(cex.differs);
  const parts = cex.differs.map((d) => PART_NAMES[d] ?? d);
  const sel = ep.selector === null ? '' : ` [${ep.selector}]`;
  const title = spurious
    ? paint.bad(`SPURIOUS counterexample for ${ep.signature}${sel}: the model predicts a difference the EVM does not show (a patchproof bug; please report)`)
    : `counterexample for ${ep.signature}${sel}${what === undefined ? '' : `: ${what}`}`;
  const out = [title, `  ${spurious ? 'model says it ' : ''}differs in: ${paint.bad(parts.join(', ') || '(not stated)')}`];

  out.push('  arguments:');
  if (cex.args.length === 0) out.push('    (none)');
  for (const a of cex.args) out.push(`    ${a.name || '(unnamed)'}: ${a.type} = ${a.value}`);

  out.push('  environment:');
  const env = Object.entries(cex.env);
  if (env.length === 0) out.push('    (none)');
  const keyWidth = Math.max(0, ...env.map(([k]) => k.length));
  for (const [k, v] of env) out.push(`    ${k.padEnd(keyWidth)} = ${v}`);

  out.push(`  calldata: ${cex.calldata}`);
  out.push('  pre-state (storage read):');
  if (cex.preState.length === 0) out.push('    (none)');
  for (const s of cex.preState) out.push(`    ${storageLine(s)}`);
  if (cex.stateMapping !== undefined) {
    out.push('  new version pre-state (the old storage through the state mapping; where it differs):');
    if (cex.stateMapping.newPreState.length === 0) out.push('    (none)');
    for (const s of cex.stateMapping.newPreState) out.push(`    ${storageLine(s)}`);
    for (const p of cex.stateMapping.places) out.push(`    compared through the mapping ${p.variable}: old ${p.old.name} @ ${p.old.slot} with new ${p.new.name} @ ${p.new.slot}`);
  }
  if (cex.immutables !== undefined) out.push(`  immutables (deployment values assumed, written into both codes for the replay): ${cex.immutables.map((m) => `${m.name}: ${m.type} = ${m.value}`).join(', ')}`);

  if (cex.calls !== undefined) {
    out.push('  external calls (answers chosen by the model, replayed by stub callees):');
    for (const [label, calls] of [['old', cex.calls.old], ['new', cex.calls.new]] as const) {
      for (const c of calls.filter((x) => x.made)) {
        const how = `${c.kind}${c.gas !== undefined ? ` (gas ${c.gas})` : c.stipend ? ' (2300-gas stipend)' : ''}`;
        const answer = c.success ? `succeeds returning ${c.output === '0x' ? '(no data)' : shorten(c.output)}` : `fails with ${c.output === '0x' ? '(no data)' : shorten(c.output)}`;
        out.push(`    ${label}: ${how} ${c.to} value ${c.value} data ${c.data === '0x' ? '(empty)' : shorten(c.data)}: ${answer}`);
      }
    }
  }
  if (cex.balances !== undefined) out.push(`  balances at entry (chosen by the model, set in the replay): ${cex.balances.map((b) => `${b.address}.balance = ${b.balance}`).join(', ')}`);
  if (cex.blockhashes !== undefined) out.push(`  block hashes (chosen by the model, served to the replay): ${cex.blockhashes.map((b) => `blockhash(${b.number}) = ${b.hash}`).join(', ')}`);
  out.push(...execution('old', cex.old, differs, paint), ...execution('new', cex.new, differs, paint));
  if (cex.reentrancy !== undefined) out.push(`  re-entrancy at ${cex.reentrancy.at}: ${cex.reentrancy.explanation}; the runs above use callees that do not re-enter, so the replay below shows them but cannot confirm this difference`);
  if (cex.replay !== undefined) out.push(...replayLines(cex.replay, paint));
  return out;
}

/** The EVM replay: confirmed or not, each side's run, and every disagreement with the model. */
function replayLines(r: Replay, paint: Painter): string[] {
  const out: string[] = [];
  const parts = r.differs.map((d) => PART_NAMES[d] ?? d).join(', ');
  out.push(r.confirmed ? `  EVM replay: confirmed (the compiled code differs in ${parts})` : `  EVM replay: ${paint.bad('NOT reproduced')}`);
  for (const [label, run] of [['old', r.old], ['new', r.new]] as const) {
    const what = run.halt !== undefined ? `exceptional halt (${run.halt})` : run.status === 'success' ? 'success returning' : 'revert with';
    const data = run.halt !== undefined ? '' : run.output === '0x' ? ' (no data)' : ` ${shorten(run.output)}`;
    out.push(`    ${label}: ${what}${data}`);
    for (const c of run.storageChanges) out.push(`      slot ${c.slot} := ${c.value}`);
    for (const l of run.logs) out.push(`      log topics ${l.topics.join(' ')} data ${shorten(l.data)}`);
  }
  if (!r.matchesModel.old || !r.matchesModel.new) out.push(`    ${paint.bad('the model disagrees with the EVM (a patchproof bug; please report):')}`);
  for (const n of r.notes) out.push(`    - ${n}`);
  return out;
}

function execution(label: string, e: Execution, differs: ReadonlySet<string>, paint: Painter): string[] {
  const mark = (part: string) => (differs.has(part) ? '  ' + paint.bad('[differs]') : '');
  const out = [`  ${label} version:`];
  const status = e.status === 'success' ? 'success' : 'revert';
  out.push(`    status: ${status}${mark('success')}`);
  if (e.status === 'revert' || e.revert !== undefined) {
    const rv = e.revert;
    const desc = rv === undefined ? '(revert data not decoded)' : `${rv.description}  (data ${shorten(rv.data)})`;
    out.push(`    revert: ${desc}${mark('revertData')}`);
  }
  if (e.status === 'success' || e.returnValues.length > 0) {
    out.push(`    returns:${e.returnValues.length === 0 ? ' (nothing)' : ''}${mark('returnData')}`);
    e.returnValues.forEach((v, i) => out.push(`      [${i}] ${shown(v)}`));
  }
  out.push(`    storage writes:${e.storageWrites.length === 0 ? ' (none)' : ''}${mark('storage')}`);
  for (const s of e.storageWrites) out.push(`      ${storageLine(s)}`);
  out.push(`    events:${e.events.length === 0 ? ' (none)' : ''}${mark('logs')}`);
  for (const ev of e.events) out.push(`      ${eventLine(ev)}`);
  return out;
}

function storageLine(s: StorageValue): string {
  return `${s.name} @ ${s.slot} = ${s.value}`;
}

function shown(v: ShownValue): string {
  return `${v.type} ${v.value}`;
}

function eventLine(ev: EmittedEvent): string {
  if (ev.args.length > 0) {
    const paren = ev.signature.indexOf('(');
    const name = paren < 0 ? ev.signature : ev.signature.slice(0, paren);
    return `${name}(${ev.args.map(shown).join(', ')})`;
  }
  const topics = ev.topics.length ? ` topics [${ev.topics.join(', ')}]` : '';
  const data = ev.data.length ? ` data [${ev.data.join(', ')}]` : '';
  return `${ev.signature}${topics}${data}`;
}

function shorten(data: string): string {
  if (data.length <= MAX_DATA_CHARS) return data;
  const bytes = Math.floor((data.length - (data.startsWith('0x') ? 2 : 0)) / 2);
  return `${data.slice(0, MAX_DATA_CHARS)}… (${bytes} bytes)`;
}

function ms(x: number): string {
  return `${Math.round(x)} ms`;
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

interface Painter {
  /** `text` (default: the verdict itself) coloured as `v`. */
  verdict(v: OverallVerdict, text?: string): string;
  bad(s: string): string;
}

function painter(color: boolean): Painter {
  const wrap = (code: number, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  return {
    verdict: (v, text) => wrap(verdictColor(v), text ?? v),
    bad: (s) => wrap(31, s),
  };
}

function verdictColor(v: OverallVerdict): number {
  switch (v) {
    case 'equivalent':
    case 'refines':
      return 32;
    case 'bounded':
    case 'vacuous':
      return 33;
    case 'different':
    case 'violated':
    case 'incompatible':
      return 31;
    case 'unknown':
    case 'unsupported':
      return 33;
    default:
      return assertNever(v, 'verdict kind');
  }
}
