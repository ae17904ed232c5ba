import type { Instr, KeccakPart } from './types.ts';

type CallInstr = Extract<Instr, { kind: 'call' }>;

/**
 * The exact calldata bytes of a call, as parts in order (see KeccakPart): a low-level call's own parts
 * (`data`), else the 4-byte selector followed by the 32-byte argument words of an interface call. The
 * interpreter and the encoder both read calldata through this, so the two forms cannot drift apart.
 */
export function callDataParts(i: CallInstr): readonly KeccakPart[] {
  if (i.data !== undefined) return i.data;
  return [...(i.selector === null ? [] : [{ word: { kind: 'const', word: i.selector } as const, bytes: 4 }]), ...i.args.map((w) => ({ word: w, bytes: 32 }))];
}

/** Bytes of calldata a call sends (a constant: every modelled encoding is static). */
export function callDataBytes(i: CallInstr): number {
  return callDataParts(i).reduce((n, p) => n + p.bytes, 0);
}
