import { assertNever } from '../util/assert.ts';
import { diverges, type Part, type ShadowResult, type ShownLog, type SideOutcome, type TxOutcome } from './types.ts';

/*
 * Shadow results for people (text) and machines (JSON, `"command": "shadow"`, schemaVersion 1). Fuzz
 * reports never say "equivalent": a run without divergence is "no divergence observed".
 */

export const SHADOW_SCHEMA_VERSION = 1;

/** 0 when no transaction diverges, 1 when one does (the CLI's exit code). */
export function shadowExitCode(r: ShadowResult): 0 | 1 {
  return r.outcomes.some(diverges) ? 1 : 0;
}

const hex = (x: bigint): string => '0x' + x.toString(16);
/** Small numbers in decimal (amounts, counters), everything else in hex (hashes, packed words). */
const num = (x: bigint): string => (x < 1n << 96n ? x.toString() : hex(x));
const topic = (x: bigint): string => '0x' + x.toString(16).padStart(64, '0');
const addr = (x: bigint): string => '0x' + x.toString(16).padStart(40, '0');
const slotName = (s: { slot: bigint; name?: string }): string => (s.name === undefined ? `slot ${hex(s.slot)}` : `${s.name} (slot ${hex(s.slot)})`);

/** What a side did, in a phrase: `success returning (100)`, `revert: Error("no")`, `exceptional halt (out of gas)`. */
export function outcomeText(s: SideOutcome): string {
  if (s.halt !== undefined) return `exceptional halt (${s.halt})`;
  if (s.status === 'revert') return `revert: ${s.revert ?? `${s.output} (undecoded)`}`;
  if (s.output === '0x') return 'success';
  return `success returning ${s.returned ?? s.output}`;
}

const logText = (l: ShownLog | undefined): string => (l === undefined ? 'no log' : (l.event ?? `log topics [${l.topics.map(topic).join(', ')}] data ${l.data}`));

/** One line for one differing part of a transaction. */
export function partText(o: TxOutcome, part: Part): string {
  switch (part) {
    case 'success':
    case 'revertData':
    case 'returnData':
      return `old ${outcomeText(o.old)}; new ${outcomeText(o.new)}`;
    case 'storage':
      return o.storageDiff.map((d) => `${slotName(d)}: old ${num(d.old)}, new ${num(d.new)}`).join('; ');
    case 'logs': {
      const n = Math.max(o.old.logs.length, o.new.logs.length);
      for (let i = 0; i < n; i++) {
        const a = o.old.logs[i];
        const b = o.new.logs[i];
        if (a === undefined || b === undefined || a.data !== b.data || a.topics.join() !== b.topics.join()) {
          return `log #${i + 1}: old ${logText(a)}; new ${logText(b)}`;
        }
      }
      return 'the logs differ';
    }
    default:
      return assertNever(part, 'divergence part');
  }
}

function txHeading(o: TxOutcome): string {
  const t = o.tx;
  const value = t.value === 0n ? '' : ` value ${t.value}`;
  return `#${t.index} ${t.call} from ${addr(t.from)}${value}`;
}

const labelOf = (o: TxOutcome): string | undefined => (o.tx.label === undefined || o.tx.label === o.tx.call ? undefined : o.tx.label);

function sideLines(name: string, s: SideOutcome): string[] {
  const lines = [`    ${name}: ${outcomeText(s)}`];
  for (const c of s.changes) lines.push(`      wrote ${slotName(c)}: ${num(c.before)} -> ${num(c.after)}`);
  for (const l of s.logs) lines.push(`      log ${logText(l)}`);
  return lines;
}

function divergenceBlock(o: TxOutcome): string[] {
  const lines = [`  ${txHeading(o)} (block ${o.tx.number}, timestamp ${o.tx.timestamp})`];
  const label = labelOf(o);
  if (label !== undefined) lines.push(`    ${label}`);
  const first = o.differs[0];
  if (first !== undefined) lines.push(`    first divergence (${first}): ${partText(o, first)}`);
  for (const p of o.differs.slice(1)) lines.push(`    also ${p}: ${partText(o, p)}`);
  if (o.stateDifferedBefore) lines.push('    (the two storages already differed before this transaction)');
  return [...lines, ...sideLines('old', o.old), ...sideLines('new', o.new)];
}

/** The first diverging transaction of each entry point: what a fuzz run reports. */
function firstPerEntryPoint(r: ShadowResult): TxOutcome[] {
  const seen = new Set<string>();
  return r.outcomes.filter((o) => {
    const key = o.tx.signature ?? o.tx.call.replace(/\(.*$/, '');
    if (!diverges(o) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function formatShadowText(r: ShadowResult): string {
  const lines: string[] = [];
  const k = r.outcomes.length;
  const diverging = r.outcomes.filter(diverges);
  const head = r.fuzz === undefined
    ? `shadow replay of ${k} transaction${k === 1 ? '' : 's'} from ${r.txsFile ?? '?'}`
    : `shadow fuzz: ${r.fuzz.entryPoints.length} entry point(s) x ${r.fuzz.perEntryPoint} = ${k} random transactions (seed ${r.fuzz.seed})`;
  lines.push(head, `  old: ${r.old.file} (${r.old.contract})`, `  new: ${r.new.file} (${r.new.contract})`);
  if (r.stateFile !== undefined) lines.push(`  starting state: ${r.stateFile}`);
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  lines.push('');

  if (r.fuzz === undefined) {
    for (const o of r.outcomes) {
      const verdict = diverges(o) ? `DIVERGES: ${o.differs.join(', ')}` : `same: ${outcomeText(o.old)}`;
      const label = labelOf(o);
      lines.push(`  ${txHeading(o)}  ${verdict}${label === undefined ? '' : `  -- ${label}`}`);
    }
    lines.push('');
    if (diverging.length > 0) {
      lines.push('divergences:');
      for (const o of diverging) lines.push(...divergenceBlock(o));
      lines.push('');
    }
  } else if (diverging.length > 0) {
    lines.push('first divergence per entry point (each side keeps its own storage: every earlier transaction counts):');
    for (const o of firstPerEntryPoint(r)) lines.push(...divergenceBlock(o));
    lines.push('', 'to replay them: add --save-txs <file.json>, then run shadow with --txs <file.json>', '');
  }
  lines.push(summaryText(r));
  return lines.join('\n') + '\n';
}

/** The last line of every report. */
export function summaryText(r: ShadowResult): string {
  const k = r.outcomes.length;
  const diverging = r.outcomes.filter(diverges);
  const first = diverging[0];
  if (r.fuzz !== undefined) {
    if (first === undefined) return `no divergence observed in ${k} transactions (this is testing, not a proof)`;
    return `divergence found: ${diverging.length} of ${k} random transactions diverge, the first is #${first.tx.index} ${first.tx.call} (${first.differs[0]})`;
  }
  if (first === undefined) return `no divergence: both versions behaved the same on all ${k} transaction${k === 1 ? '' : 's'}`;
  return `divergence: ${diverging.length} of ${k} transactions diverge, the first is #${first.tx.index} ${first.tx.call} (${first.differs[0]})`;
}

const sideJson = (s: SideOutcome) => ({
  status: s.status,
  ...(s.halt === undefined ? {} : { halt: s.halt }),
  output: s.output,
  ...(s.returned === undefined ? {} : { returned: s.returned }),
  ...(s.revert === undefined ? {} : { revert: s.revert }),
  logs: s.logs.map((l) => ({ topics: l.topics.map(topic), data: l.data, ...(l.event === undefined ? {} : { event: l.event }) })),
  storageChanges: s.changes.map((c) => ({ slot: hex(c.slot), ...(c.name === undefined ? {} : { name: c.name }), before: hex(c.before), after: hex(c.after) })),
});

function txJson(o: TxOutcome) {
  const t = o.tx;
  const first = o.differs[0];
  return {
    index: t.index,
    ...(t.label === undefined ? {} : { label: t.label }),
    call: t.call,
    ...(t.signature === undefined ? {} : { signature: t.signature }),
    from: addr(t.from),
    value: t.value.toString(),
    block: { timestamp: t.timestamp.toString(), number: t.number.toString() },
    calldata: t.calldata,
    diverges: diverges(o),
    differs: o.differs,
    ...(first === undefined ? {} : { firstDivergence: { part: first, description: partText(o, first) } }),
    stateDifferedBefore: o.stateDifferedBefore,
    storageDiff: o.storageDiff.map((d) => ({ slot: hex(d.slot), ...(d.name === undefined ? {} : { name: d.name }), old: hex(d.old), new: hex(d.new) })),
    old: sideJson(o.old),
    new: sideJson(o.new),
  };
}

/** The JSON report. In fuzz mode `transactions` holds only the first divergence per entry point. */
export function shadowJson(r: ShadowResult): object {
  const diverging = r.outcomes.filter(diverges);
  return {
    schemaVersion: SHADOW_SCHEMA_VERSION,
    command: 'shadow',
    mode: r.mode,
    old: r.old,
    new: r.new,
    ...(r.txsFile === undefined ? {} : { txsFile: r.txsFile }),
    ...(r.stateFile === undefined ? {} : { stateFile: r.stateFile }),
    ...(r.fuzz === undefined ? {} : { fuzz: r.fuzz }),
    warnings: r.warnings,
    summary: {
      transactions: r.outcomes.length,
      diverging: diverging.length,
      firstDivergence: diverging[0]?.tx.index ?? null,
      message: summaryText(r),
    },
    transactions: (r.fuzz === undefined ? r.outcomes : firstPerEntryPoint(r)).map(txJson),
    exitCode: shadowExitCode(r),
  };
}
