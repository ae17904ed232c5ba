import { concatHex, encodeAbiParameters, keccak256, type Hex } from 'viem';
import { assertNever } from '../util/assert.ts';

/*
 * solc's storage layout (the `storageLayout` output) and what shadow replay derives from it: where a
 * mapping entry lives, how a value type sits in its slot, and names for the slots a transaction wrote.
 */

export interface LayoutVariable {
  readonly label: string;
  readonly slot: string;
  readonly offset: number;
  readonly type: string;
}

export interface LayoutType {
  readonly encoding: 'inplace' | 'mapping' | 'dynamic_array' | 'bytes';
  readonly label: string;
  readonly numberOfBytes: string;
  readonly key?: string;
  readonly value?: string;
  readonly base?: string;
  readonly members?: readonly LayoutVariable[];
}

export interface StorageLayout {
  readonly storage: readonly LayoutVariable[];
  readonly types: Readonly<Record<string, LayoutType>> | null;
}

export const word = (x: bigint): Hex => ('0x' + x.toString(16).padStart(64, '0')) as Hex;

/** The ABI type a storage value type is encoded as (mapping keys, display), or undefined for non-value types. */
export function abiTypeOf(t: LayoutType): string | undefined {
  const l = t.label;
  if (/^u?int\d+$/.test(l) || /^bytes\d+$/.test(l) || l === 'bool' || l === 'address') return l;
  if (l === 'address payable' || l.startsWith('contract ')) return 'address';
  if (l.startsWith('enum ')) return 'uint8';
  return undefined;
}

/** keccak256(h(key) . slot): the slot of a mapping entry. `keyBytes` is h(key): the padded word, or the raw bytes of a string/bytes key. */
export function mappingSlot(keyBytes: Hex, slot: bigint): bigint {
  return BigInt(keccak256(concatHex([keyBytes, word(slot)])));
}

/** h(key) for a value-type key: the key ABI-encoded as one 32-byte word (bytesN left-aligned, ints sign-extended). */
export function keyWord(abiType: string, value: unknown): Hex {
  return encodeAbiParameters([{ type: abiType }], [value]);
}

/** Where element `i` of an array with elements of `t` starts, relative to the array's first slot. */
export function elementPosition(t: LayoutType, i: number): { slot: bigint; offset: number } {
  const size = Number(t.numberOfBytes);
  if (size <= 16) {
    const perSlot = Math.floor(32 / size);
    return { slot: BigInt(Math.floor(i / perSlot)), offset: (i % perSlot) * size };
  }
  return { slot: BigInt(i * Math.ceil(size / 32)), offset: 0 };
}

const MAX_NAMED_ELEMENTS = 64;
/** Candidate keys tried per mapping level; nested mappings try fewer so naming stays cheap. */
const KEYS_PER_LEVEL = [512, 48, 12];

/**
 * Names for slots, from one or two layouts. Fixed variables (and struct members, static array
 * elements) are named outright; mapping entries are named for every candidate key: the words a
 * transaction's calldata carries, its sender, and the keys the state file used. A slot nobody can name
 * is shown by number.
 */
export class SlotNamer {
  private readonly names = new Map<bigint, Set<string>>();

  constructor(layouts: readonly { layout: StorageLayout; side: string }[], candidates: Iterable<bigint>) {
    const keys = [...new Set([...candidates].map((k) => k & ((1n << 256n) - 1n)))];
    const perSide = layouts.map(({ layout, side }) => {
      const found = new Map<bigint, string[]>();
      const add = (slot: bigint, name: string) => found.set(slot, [...(found.get(slot) ?? []), name]);
      for (const v of layout.storage) walk(layout, v.type, BigInt(v.slot), v.label, keys, add, 0);
      return { side, found };
    });
    // Agreeing layouts give one name; otherwise each side's name is tagged.
    const all = new Set(perSide.flatMap((p) => [...p.found.keys()]));
    for (const slot of all) {
      const shown = perSide.map((p) => ({ side: p.side, name: (p.found.get(slot) ?? []).join(', ') }));
      const distinct = new Set(shown.map((s) => s.name));
      const text = distinct.size === 1 ? shown[0]!.name : shown.filter((s) => s.name !== '').map((s) => `${s.name} (${s.side})`).join(' / ');
      this.names.set(slot, new Set([text]));
    }
  }

  /** A name the state file gave a slot (`balances[0x…]`), used when the layout walk did not find it. */
  learn(slot: bigint, name: string): void {
    if (!this.names.has(slot)) this.names.set(slot, new Set([name]));
  }

  name(slot: bigint): string | undefined {
    const n = this.names.get(slot);
    return n === undefined ? undefined : [...n].join(', ');
  }
}

function walk(layout: StorageLayout, typeId: string, slot: bigint, name: string, keys: readonly bigint[], add: (slot: bigint, name: string) => void, depth: number): void {
  const t = layout.types?.[typeId];
  if (t === undefined) return;
  switch (t.encoding) {
    case 'inplace':
      if (t.members !== undefined) {
        for (const m of t.members) walk(layout, m.type, slot + BigInt(m.slot), `${name}.${m.label}`, keys, add, depth);
      } else if (t.base !== undefined) {
        const base = layout.types?.[t.base];
        const n = Number(/\[(\d+)\]$/.exec(t.label)?.[1] ?? '0');
        for (let i = 0; base !== undefined && i < Math.min(n, MAX_NAMED_ELEMENTS); i++) {
          walk(layout, t.base, slot + elementPosition(base, i).slot, `${name}[${i}]`, keys, add, depth);
        }
      } else {
        add(slot, name);
      }
      return;
    case 'mapping': {
      const keyType = t.key === undefined ? undefined : layout.types?.[t.key];
      const abiType = keyType === undefined ? undefined : abiTypeOf(keyType);
      const limit = KEYS_PER_LEVEL[depth];
      if (abiType === undefined || t.value === undefined || limit === undefined) return;
      for (const k of keys.slice(0, limit)) {
        const shown = keyFromWord(abiType, k);
        if (shown !== undefined) walk(layout, t.value, mappingSlot(word(k), slot), `${name}[${shown}]`, keys, add, depth + 1);
      }
      return;
    }
    case 'dynamic_array':
    case 'bytes':
      add(slot, t.encoding === 'bytes' ? name : `${name}.length`);
      return;
    default:
      assertNever(t.encoding, 'storage layout encoding');
  }
}

/** The key a 32-byte word stands for as a mapping key of `abiType`, or undefined when the word cannot be one. */
export function keyFromWord(abiType: string, w: bigint): string | undefined {
  if (abiType === 'address') return w >> 160n === 0n ? '0x' + w.toString(16).padStart(40, '0') : undefined;
  if (abiType === 'bool') return w === 0n ? 'false' : w === 1n ? 'true' : undefined;
  const u = /^uint(\d+)$/.exec(abiType);
  if (u !== null) return w >> BigInt(u[1]!) === 0n ? w.toString() : undefined;
  const i = /^int(\d+)$/.exec(abiType);
  if (i !== null) {
    const bits = BigInt(i[1]!);
    const signed = w >> 255n === 1n ? w - (1n << 256n) : w;
    return signed >= -(1n << (bits - 1n)) && signed < 1n << (bits - 1n) ? signed.toString() : undefined;
  }
  const b = /^bytes(\d+)$/.exec(abiType);
  if (b !== null) {
    const n = Number(b[1]);
    const low = BigInt(8 * (32 - n));
    return w & ((1n << low) - 1n) ? undefined : '0x' + (w >> low).toString(16).padStart(2 * n, '0');
  }
  return undefined;
}
