import { hexToBytes, keccakHex } from '../util/hash.ts';
import type { ShownCall } from '../verdicts/types.ts';

/**
 * Stub callees for replays: for each called address, runtime code that answers each expected call
 * (matched by call value and exact calldata, first match wins) with the success flag and output the
 * model chose. Stubs never write storage and never call back, so they run under the 2300-gas stipend and
 * in STATICCALL; an unexpected call reverts with empty data. Identical calls the model answers differently
 * (the world may change between them) are told apart by a transient-storage counter per call, which works
 * for CALL (also under the stipend: TSTORE has no gas sentry) but not in STATICCALL. Addresses the model
 * says have no code get no stub (also when it calls them, if every such call succeeds with no data, as a
 * call to an account without code does). Returns the code per address and a note for every answer a stub cannot give.
 */
export function stubsFor(calls: readonly ShownCall[]): { code: Map<bigint, string>; notes: string[] } {
  const byTarget = new Map<bigint, ShownCall[]>();
  const noCode = new Set<bigint>();
  const notes: string[] = [];
  for (const c of calls) {
    const to = BigInt(c.to);
    if (!c.hasCode) {
      noCode.add(to);
      continue;
    }
    const list = byTarget.get(to) ?? [];
    const same = list.filter((x) => x.data === c.data && x.value === c.value);
    if (same.some((x) => x.success !== c.success || x.output !== c.output) && [...same, c].some((x) => x.kind === 'staticcall')) {
      notes.push(`two identical calls to ${c.to} get different answers in the model, one a STATICCALL; the stub gives the first answer to both`);
    }
    list.push(c);
    byTarget.set(to, list);
  }
  const code = new Map<bigint, string>();
  for (const [to, list] of byTarget) {
    // An address without code answers every call with success and no data, as the model has it here: no stub.
    if (noCode.has(to) && !(to >= 1n && to <= 0x0an) && list.every((c) => c.success && (c.output === '0x' || c.output === ''))) continue;
    if (noCode.has(to)) notes.push(`the model says ${list[0]!.to} has no code for one check and answers a call to it elsewhere`);
    if (to >= 1n && to <= 0x0an) notes.push(`${list[0]!.to} is a precompile; a stub cannot replace it`);
    code.set(to, stubCode(list));
  }
  return { code, notes };
}

const push2 = (n: number): string => '61' + n.toString(16).padStart(4, '0');
const push32 = (x: bigint): string => '7f' + x.toString(16).padStart(64, '0');

/**
 * Assembles the matcher: one block per entry, then the outputs as a data section. An entry that shares
 * value and calldata with another entry answered differently (and no STATICCALL among them) also checks
 * and bumps a transient counter keyed by the first such entry, so the n-th identical call gets the n-th
 * answer.
 */
export function stubCode(entries: readonly ShownCall[]): string {
  const outputs = entries.map((e) => e.output.slice(2));
  const counted = entries.map((e, i) => {
    const group = entries.map((x, j) => ({ x, j })).filter(({ x }) => x.data === e.data && x.value === e.value);
    const differ = group.some(({ x }) => x.success !== e.success || x.output !== e.output);
    if (!differ || group.some(({ x }) => x.kind === 'staticcall')) return null;
    return { key: group[0]!.j, occurrence: group.findIndex(({ j }) => j === i) };
  });
  const block = (i: number, next: number, dataAt: number, len: number): string => {
    const e = entries[i]!;
    const c = counted[i];
    const counter = c ? push2(c.key) + '5c' + push2(c.occurrence) + '14' + '15' + push2(next) + '57' + push2(c.occurrence + 1) + push2(c.key) + '5d' : '';
    return push32(BigInt(e.value)) + '34' + '14' + '15' + push2(next) + '57' +
      push2((e.data.length - 2) / 2) + '36' + '14' + '15' + push2(next) + '57' +
      '36' + '5f' + '5f' + '37' + '36' + '5f' + '20' + push32(BigInt(keccakHex(hexToBytes(e.data.slice(2))))) + '14' + '15' + push2(next) + '57' +
      counter +
      push2(len) + push2(dataAt) + '5f' + '39' + push2(len) + '5f' + (e.success ? 'f3' : 'fd') + '5b';
  };
  // push2 operands have a fixed width, so every block's length is known before the offsets are.
  const lengths = entries.map((_, i) => block(i, 0, 0, 0).length / 2);
  const tail = '5f5ffd';
  let dataAt = lengths.reduce((a, b) => a + b, 0) + tail.length / 2;
  let code = '';
  let end = 0;
  entries.forEach((_, i) => {
    const len = outputs[i]!.length / 2;
    end += lengths[i]!;
    // `next` is this block's closing JUMPDEST, where the following block starts.
    code += block(i, end - 1, dataAt, len);
    dataAt += len;
  });
  return '0x' + code + tail + outputs.join('');
}
