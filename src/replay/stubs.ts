import { hexToBytes, keccakHex } from '../util/hash.ts';
import type { ShownCall } from '../verdicts/types.ts';

/**
 * Stub callees for replays: for each called address, runtime code that answers each expected call
 * (matched by call value and exact calldata, first match wins) with the success flag and output the
 * model chose. Stubs never write storage and never call back, so they run under the 2300-gas stipend and
 * in STATICCALL; an unexpected call reverts with empty data. Addresses the model says have no code get no
 * stub. Returns the code per address and a note for every answer a stub cannot give.
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
    const same = list.find((x) => x.data === c.data && x.value === c.value);
    if (same && (same.success !== c.success || same.output !== c.output)) notes.push(`two identical calls to ${c.to} get different answers in the model; the stub gives the first answer to both`);
    list.push(c);
    byTarget.set(to, list);
  }
  const code = new Map<bigint, string>();
  for (const [to, list] of byTarget) {
    if (noCode.has(to)) notes.push(`the model says ${list[0]!.to} has no code for one check and answers a call to it elsewhere`);
    if (to >= 1n && to <= 0x0an) notes.push(`${list[0]!.to} is a precompile; a stub cannot replace it`);
    code.set(to, stubCode(list));
  }
  return { code, notes };
}

const push2 = (n: number): string => '61' + n.toString(16).padStart(4, '0');
const push32 = (x: bigint): string => '7f' + x.toString(16).padStart(64, '0');

/** Assembles the matcher: one block per entry, then the outputs as a data section. */
export function stubCode(entries: readonly ShownCall[]): string {
  const outputs = entries.map((e) => e.output.slice(2));
  // Every block has the same length, so offsets are known before assembly.
  const block = (e: ShownCall, next: number, dataAt: number, len: number): string =>
    push32(BigInt(e.value)) + '34' + '14' + '15' + push2(next) + '57' +
    push2((e.data.length - 2) / 2) + '36' + '14' + '15' + push2(next) + '57' +
    '36' + '5f' + '5f' + '37' + '36' + '5f' + '20' + push32(BigInt(keccakHex(hexToBytes(e.data.slice(2))))) + '14' + '15' + push2(next) + '57' +
    push2(len) + push2(dataAt) + '5f' + '39' + push2(len) + '5f' + (e.success ? 'f3' : 'fd') + '5b';
  const blockLen = block(entries[0]!, 0, 0, 0).length / 2;
  const tail = '5f5ffd';
  let dataAt = entries.length * blockLen + tail.length / 2;
  let code = '';
  entries.forEach((e, i) => {
    const len = outputs[i]!.length / 2;
    code += block(e, (i + 1) * blockLen - 1, dataAt, len);
    dataAt += len;
  });
  return '0x' + code + tail + outputs.join('');
}
