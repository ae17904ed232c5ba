import type { Compilation, ContractOutput } from '../frontend/compile.ts';
import { toWord } from '../ir/interp.ts';
import { typeName, type IrContract, type ValueType } from '../ir/types.ts';
import type { Counterexample } from '../verdicts/types.ts';

/**
 * Immutables in runtime code: solc leaves a 32-byte hole per read, filled by the constructor. A
 * counterexample assumes values for them (the same per name and type in both versions), so a replay
 * writes those values into the holes before running the code.
 */
export type ImmutableSlots = ReadonlyMap<string, { readonly type: ValueType; readonly starts: readonly number[] }>;

/**
 * The immutables the IR reads, keyed by name like the IR, with the byte offsets solc left for them.
 * Undefined when they cannot be keyed so (two immutables of one name in the inheritance chain, or a
 * hole that is not a full word): a replay then runs with zeros, and says so.
 */
export function immutableSlotsOf(comp: Compilation, contract: ContractOutput, ir: IrContract): ImmutableSlots | undefined {
  const types = new Map<string, ValueType>();
  for (const f of ir.functions) {
    if (!f.body.ok) continue;
    for (const b of f.body.blocks) for (const i of b.instrs) if (i.kind === 'immutable') types.set(i.name, i.type);
  }
  const names = new Map<number, string>();
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (n === null || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    if (o.nodeType === 'VariableDeclaration' && typeof o.id === 'number' && typeof o.name === 'string') names.set(o.id, o.name);
    for (const v of Object.values(o)) if (v !== null && typeof v === 'object') walk(v);
  };
  for (const s of comp.sources.values()) walk(s.ast);
  const out = new Map<string, { type: ValueType; starts: number[] }>();
  for (const [id, refs] of Object.entries(contract.immutableReferences ?? {})) {
    const name = names.get(Number(id));
    if (name === undefined || out.has(name) || refs.some((r) => r.length !== 32)) return undefined;
    const type = types.get(name);
    // An immutable the IR never reads (every reader unsupported): any value is as good as zero.
    if (type === undefined) continue;
    out.set(name, { type, starts: refs.map((r) => r.start) });
  }
  return out;
}

/** The runtime code of a side as a counterexample runs it: its immutables set to the values the counterexample assumes. */
export function codeForCounterexample(code: string, slots: ImmutableSlots | undefined, cex: Pick<Counterexample, 'immutables'>): string {
  if (slots === undefined || cex.immutables === undefined) return code;
  return codeWithImmutables(code, slots, (name, t) => {
    const m = cex.immutables!.find((x) => x.name === name && x.type === typeName(t));
    return m === undefined ? undefined : BigInt(m.value);
  });
}

/** The runtime code (0x-hex) with each immutable's value written where solc reserved it, as its ABI word. */
export function codeWithImmutables(code: string, slots: ImmutableSlots, values: (name: string, type: ValueType) => bigint | undefined): string {
  let out = code;
  for (const [name, { type, starts }] of slots) {
    const value = values(name, type);
    if (value === undefined) continue;
    const w = toWord(value, type).toString(16).padStart(64, '0');
    for (const s of starts) out = out.slice(0, 2 + 2 * s) + w + out.slice(2 + 2 * s + 64);
  }
  return out;
}
