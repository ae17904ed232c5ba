import { mappingSlot, toWord } from '../../src/ir/interp.ts';
import { storageSlots, typeBits, typeName, type IrContract, type StorageType, type ValueType } from '../../src/ir/types.ts';
import { slotOf } from '../../src/ir/slots.ts';
import { parseTypeString } from '../../src/ir/lower/soltypes.ts';
import { keccakBig, wordBytes } from '../../src/util/hash.ts';
import { CONTRACT_ADDRESS } from '../../src/replay/evm.ts';
import type { Rng } from './rng.ts';

/**
 * Inputs for the differential harness: calldata, environment, pre-state and immutables. Random values are
 * mixed with the boundaries where code goes wrong — type limits, powers of two, signed extremes, argument
 * addresses equal to the sender or to each other, amounts that overflow or exactly exhaust a stored value,
 * block numbers equal to a stored one — and with malformed calldata (dirty words, short or long input) and
 * value sent to non-payable functions.
 */

export interface DiffInput {
  readonly calldata: string;
  readonly sender: bigint;
  readonly value: bigint;
  readonly timestamp: bigint;
  readonly number: bigint;
  /** Pre-state words by real slot (zero words left out). */
  readonly storage: ReadonlyMap<bigint, bigint>;
  /** Immutable values by name, as bit patterns of their types. */
  readonly immutables: ReadonlyMap<string, bigint>;
  /** tx.origin and further block values; absent ones take the shared defaults (origin: the sender). */
  readonly extra?: EnvExtras;
}

export type { EnvExtras } from '../../src/ir/interp.ts';
import type { EnvExtras } from '../../src/ir/interp.ts';

/** What an entry point takes. */
export interface EntryShape {
  readonly signature: string;
  readonly kind: 'function' | 'getter' | 'fallback' | 'receive';
  readonly selector: bigint | null;
  readonly params: readonly ValueType[];
  /** Payable in either version: value is then sent freely, else mostly zero. */
  readonly payable: boolean;
  /** Which parameters are `string`/`bytes` (ABI-encoded in the tail; their `params` entry is ignored). */
  readonly byteArrays?: readonly boolean[];
  /** Element types of the parameters that are dynamic arrays of value types (`uint256[]`), else null. */
  readonly arrays?: readonly (ValueType | null)[];
  /** Which parameters are `bytes[]`/`string[]` (offsets, then each element's length and data). */
  readonly bytesArrays?: readonly boolean[];
}

/** The storage and immutables of one or more versions (their union), and every selector they dispatch. */
export interface StateShape {
  /** Fixed slots and the value-typed fields packed into each. */
  readonly fixed: ReadonlyMap<bigint, readonly { readonly offset: number; readonly type: ValueType | null }[]>;
  readonly mappings: readonly { readonly root: bigint; readonly keys: readonly ValueType[]; readonly value: ValueType }[];
  readonly immutables: ReadonlyMap<string, ValueType>;
  readonly selectors: ReadonlySet<bigint>;
  /** Variables made of structs and arrays (or mappings of them), with their layout. */
  readonly aggregates: readonly { readonly root: bigint; readonly layout: StorageType }[];
  /** Root slots of `string`/`bytes` variables: given short, long or corrupt encodings, not random words. */
  readonly byteArrays: ReadonlySet<bigint>;
  /** Mappings (one level, value-type key) to `string`/`bytes`: entries get such encodings too. */
  readonly byteArrayMappings?: readonly { readonly root: bigint; readonly key: ValueType }[];
}

const M256 = (1n << 256n) - 1n;
const mask = (bits: number): bigint => (1n << BigInt(bits)) - 1n;
const CONTRACT = BigInt(CONTRACT_ADDRESS);

export function stateShape(contracts: readonly IrContract[]): StateShape {
  const fixed = new Map<bigint, { offset: number; type: ValueType | null }[]>();
  const mappings = new Map<string, StateShape['mappings'][number]>();
  const immutables = new Map<string, ValueType>();
  const selectors = new Set<bigint>();
  const aggregates = new Map<string, StateShape['aggregates'][number]>();
  const byteArrays = new Set<bigint>();
  const byteArrayMappings = new Map<string, { root: bigint; key: ValueType }>();
  for (const c of contracts) {
    for (const s of c.storage) {
      if (s.typeLabel === 'string' || s.typeLabel === 'bytes') {
        byteArrays.add(s.slot);
        continue;
      }
      const m = s.typeLabel.match(/^mapping\(([\w ]+) => (string|bytes)\)$/);
      const key = m ? parseTypeString(m[1]!) : null;
      if (key?.kind === 'value') {
        byteArrayMappings.set(String(s.slot), { root: s.slot, key: key.type });
        continue;
      }
      if (s.layout && s.layout.kind !== 'value' && s.shape.kind === 'other') aggregates.set(`${s.slot}:${JSON.stringify(s.layout, (_, x) => (typeof x === 'bigint' ? x.toString() : x))}`, { root: s.slot, layout: s.layout });
      if (s.shape.kind === 'mapping') {
        mappings.set(`${s.slot}:${s.shape.keys.map(typeName)}:${typeName(s.shape.value)}`, { root: s.slot, keys: s.shape.keys, value: s.shape.value });
        continue;
      }
      const fields = fixed.get(s.slot) ?? [];
      // Anything else (arrays, structs, strings) still gets a random word at its root slot.
      fields.push({ offset: s.offset, type: s.shape.kind === 'value' ? s.shape.type : null });
      fixed.set(s.slot, fields);
    }
    for (const f of c.functions) {
      if (f.selector !== null) selectors.add(f.selector);
      if (!f.body.ok) continue;
      for (const b of f.body.blocks) for (const i of b.instrs) if (i.kind === 'immutable') immutables.set(i.name, i.type);
    }
  }
  return { fixed, mappings: [...mappings.values()], immutables, selectors, aggregates: [...aggregates.values()], byteArrays, byteArrayMappings: [...byteArrayMappings.values()] };
}

/** Typed values near the edges of `t` (bit patterns). */
function boundaries(t: ValueType, sender: bigint): bigint[] {
  const bits = typeBits(t);
  const m = mask(bits);
  const pow = (k: number) => 1n << BigInt(k);
  const ks = [1, 7, 8, 16, 31, 32, 64, 96, 127, 128, 159, 160, 192, 255].filter((k) => k < bits);
  switch (t.kind) {
    case 'bool':
      return [0n, 1n];
    case 'uint':
      return [0n, 1n, 2n, 3n, 10n, m, m - 1n, m - 2n, pow(bits - 1), pow(bits - 1) - 1n, pow(bits - 1) + 1n, ...ks.flatMap((k) => [pow(k), pow(k) - 1n, pow(k) + 1n])];
    case 'int': {
      const neg = (x: bigint) => -x & m;
      const max = pow(bits - 1) - 1n;
      const min = pow(bits - 1);
      return [0n, 1n, 2n, neg(1n), neg(2n), max, max - 1n, min, min + 1n, ...ks.filter((k) => k < bits - 1).flatMap((k) => [pow(k), neg(pow(k)), pow(k) - 1n, neg(pow(k) + 1n)])];
    }
    case 'address':
      return [0n, 1n, 2n, m, m - 1n, sender, CONTRACT, pow(159)];
    case 'bytes':
      return [0n, m, 1n, 1n << BigInt(bits - 8), m ^ 1n, m >> 8n];
  }
}

interface Ctx {
  readonly rng: Rng;
  readonly sender: bigint;
  /** Words the pre-state is built from, so arguments can be related to stored values. */
  readonly stateValues: readonly bigint[];
  /** Arguments generated so far, typed. */
  readonly args: { readonly type: ValueType; readonly value: bigint }[];
  /**
   * A happy-path input: well-formed calldata, no value where none is accepted, address fields mostly the
   * sender and amounts mostly small, so guarded code (owner checks, limits) is reached often.
   */
  readonly friendly: boolean;
}

/** A typed value (bit pattern) for a parameter of type `t`. */
function typedValue(ctx: Ctx, t: ValueType): bigint {
  const { rng } = ctx;
  const bits = typeBits(t);
  const m = mask(bits);
  if (t.kind === 'bool') return BigInt(rng.int(2));
  if (ctx.friendly && t.kind !== 'address' && rng.chance(0.5)) return rng.magnitude(Math.min(bits, rng.pick([10, 16, 40])));
  const r = rng.int(100);
  if (r < 25) return rng.pick(boundaries(t, ctx.sender));
  if (r < 45 && t.kind !== 'address') {
    // Related to a stored value: equal, one off, or just enough to overflow when added to it.
    const s = rng.pick(ctx.stateValues) & m;
    return rng.pick([s, s + 1n, s - 1n, m - s, m - s + 1n, m - s + 2n, s * 2n]) & m;
  }
  const same = ctx.args.filter((a) => typeName(a.type) === typeName(t));
  if (r < 55 && same.length > 0) return rng.pick(same).value;
  if (t.kind === 'address' && r < 80) return rng.pick([ctx.sender, ctx.sender, 1n, 2n, 0xdeadbeefn, CONTRACT]);
  return rng.chance(0.5) ? rng.magnitude(bits) : rng.bits(bits);
}

/** A raw calldata word the ABI decoder must reject for type `t`; null when every word is valid. */
function dirtyWord(rng: Rng, t: ValueType, clean: bigint): bigint | null {
  const bits = typeBits(t);
  if (t.kind === 'bool') return rng.chance(0.5) ? 2n + rng.magnitude(8) : rng.bits(256) | 2n;
  if (bits === 256) return null;
  // Non-zero bits above the type's width: a random run, or just the top bit.
  const high = (rng.chance(0.5) ? rng.magnitude(256 - bits) | 1n : 1n << BigInt(255 - bits)) << BigInt(bits);
  switch (t.kind) {
    case 'uint':
    case 'address':
      return clean | high;
    case 'int':
      return toWord(clean, t) ^ high;
    case 'bytes':
      return toWord(clean, t) | (rng.magnitude(256 - bits) | 1n);
  }
}

function stateValue(rng: Rng): bigint {
  const r = rng.int(10);
  if (r < 2) return rng.pick([0n, 1n, M256, M256 - 1n, 1n << 255n, (1n << 128n) - 1n, 1n << 128n, (1n << 64n) - 1n]);
  if (r < 6) return rng.magnitude(rng.pick([8, 32, 64, 128]));
  return rng.chance(0.5) ? rng.magnitude(256) : rng.bits(256);
}

function blockValue(ctx: Ctx): bigint {
  const { rng } = ctx;
  const r = rng.int(10);
  if (r < 3 || (ctx.friendly && r < 7)) {
    // A block value at, just after, just before or well after a stored one (lastBlock, unlockTime…).
    const s = rng.pick(ctx.stateValues);
    return (s + rng.pick([0n, 1n, 2n, M256, rng.magnitude(32)])) & M256;
  }
  if (r < 5) return rng.pick([0n, 1n, 2n, (1n << 32n) - 1n, (1n << 64n) - 1n, M256]);
  return rng.magnitude(rng.pick([32, 40, 64]));
}

/** One input for `entry`, shaped by `state`. */
export function generateInput(rng: Rng, entry: EntryShape, state: StateShape): DiffInput {
  const sender = rng.pick([rng.bits(160), rng.magnitude(8) + 1n, 0x1000n, 0xabcdn, mask(160)]);
  const friendly = rng.chance(0.4);
  const stateValues = Array.from({ length: 4 }, () => (friendly && rng.chance(0.7) ? rng.magnitude(40) : stateValue(rng)));
  const ctx: Ctx = { rng, sender, stateValues, args: [], friendly };

  let value: bigint;
  if (entry.payable) value = rng.chance(0.5) ? 0n : rng.pick([1n, rng.magnitude(64), rng.magnitude(128), (M256 - rng.pick(stateValues) + 1n) & M256, M256]);
  else value = !friendly && rng.chance(0.15) ? rng.magnitude(80) + 1n : 0n;

  const timestamp = blockValue(ctx);
  const number = blockValue(ctx);

  // Arguments: typed values, occasionally a word the decoder rejects.
  const words: bigint[] = [];
  let tail = '';
  for (const [i, t] of entry.params.entries()) {
    if (entry.bytesArrays?.[i]) {
      const enc = bytesArrayArg(rng, 32 * entry.params.length + tail.length / 2, friendly);
      words.push(enc.offset);
      tail += enc.tail;
      continue;
    }
    const elem = entry.arrays?.[i];
    if (elem) {
      const enc = valueArrayArg(ctx, elem, 32 * entry.params.length + tail.length / 2);
      words.push(enc.offset);
      tail += enc.tail;
      continue;
    }
    if (entry.byteArrays?.[i]) {
      const enc = byteArrayArg(rng, 32 * entry.params.length + tail.length / 2, friendly);
      words.push(enc.offset);
      tail += enc.tail;
      continue;
    }
    const v = typedValue(ctx, t);
    ctx.args.push({ type: t, value: v });
    const dirty = !friendly && rng.chance(0.1) ? dirtyWord(rng, t, v) : null;
    words.push(dirty ?? toWord(v, t));
  }
  const calldata = calldataFor(rng, entry, words, state.selectors, friendly, tail);

  // Pre-state: every fixed slot, and mapping entries at keys the call is likely to use.
  const storage = new Map<bigint, bigint>();
  const put = (slot: bigint, w: bigint) => {
    if (w !== 0n) storage.set(slot, w);
  };
  for (const [slot, fields] of state.fixed) put(slot, fixedWord(ctx, fields));
  for (const slot of state.byteArrays) for (const [s, w] of byteArrayWords(rng, slot)) put(s, w);
  for (const mp of state.byteArrayMappings ?? []) {
    for (const [k] of keyCombos(ctx, [mp.key])) for (const [s, w] of byteArrayWords(rng, mappingSlot(mp.root, toWord(k!, mp.key)))) put(s, w);
  }
  for (const mp of state.mappings) {
    for (const keys of keyCombos(ctx, mp.keys)) {
      if (rng.chance(0.2)) continue;
      let slot = mp.root;
      keys.forEach((k, i) => (slot = mappingSlot(slot, toWord(k, mp.keys[i]!))));
      put(slot, fieldWord(ctx, mp.value, 0, rng.chance(0.1) ? rng.bits(256) : 0n));
    }
  }

  // Structs and arrays: members (packed over zero or junk), short or extreme array lengths, elements.
  const aggWords = new Map<bigint, bigint>();
  for (const a of state.aggregates) fillAggregate(ctx, a.root, a.layout, aggWords, 0);
  for (const [slot, w] of aggWords) {
    storage.delete(slot);
    put(slot, w);
  }

  const immutables = new Map<string, bigint>();
  for (const [name, t] of state.immutables) immutables.set(name, typedValue(ctx, t));
  // Drawn last, so the inputs above stay what they were before these existed.
  const extra: EnvExtras = {
    origin: rng.chance(0.5) ? sender : rng.pick([rng.bits(160), 1n, mask(160), 0xabcdn]),
    chainid: rng.chance(0.5) ? 1n : rng.pick([0n, 5n, 31337n, blockValue(ctx), rng.bits(64)]),
    coinbase: rng.chance(0.5) ? 0n : rng.pick([sender, rng.bits(160), mask(160)]),
    basefee: rng.chance(0.3) ? 0n : blockValue(ctx),
    prevrandao: rng.chance(0.3) ? 0n : rng.bits(256),
    gaslimit: rng.chance(0.5) ? 30_000_000n : blockValue(ctx),
  };
  return { calldata, sender, value, timestamp, number, storage, immutables, extra };
}

function hexWord(w: bigint): string {
  return w.toString(16).padStart(64, '0');
}

function randomBytes(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += rng.int(256).toString(16).padStart(2, '0');
  return s;
}

function calldataFor(rng: Rng, entry: EntryShape, words: readonly bigint[], selectors: ReadonlySet<bigint>, friendly: boolean, tail = ''): string {
  if (entry.kind === 'receive') return '0x';
  if (entry.selector === null) {
    // fallback: 1-3 bytes, or a selector neither version dispatches, then some words.
    if (rng.chance(0.3)) return '0x' + randomBytes(rng, 1 + rng.int(3));
    let sel: bigint;
    do sel = rng.bits(32);
    while (selectors.has(sel));
    return '0x' + sel.toString(16).padStart(8, '0') + randomBytes(rng, rng.pick([0, 0, 1, 32, 64, 100]));
  }
  const full = entry.selector.toString(16).padStart(8, '0') + words.map(hexWord).join('') + tail;
  const r = friendly ? 100 : rng.int(100);
  // Too short for the parameters (the decoder reverts), or trailing bytes (ignored).
  if (r < 10 && words.length > 0) return '0x' + full.slice(0, 2 * (4 + rng.int(32 * words.length + tail.length / 2)));
  if (r < 20) return '0x' + full + randomBytes(rng, 1 + rng.int(40));
  return '0x' + full;
}

/** A field of type `t` at byte `offset` of `base`: a value related to the state pool, or a boundary or random one. */
function fieldWord(ctx: Ctx, t: ValueType, offset: number, base: bigint): bigint {
  const { rng } = ctx;
  const n = t.kind === 'bool' ? 1 : typeBits(t) / 8;
  const m = mask(8 * n);
  let v: bigint;
  // Addresses are often the sender or an argument: owner checks and self-transfers need them.
  if (t.kind === 'bool') v = rng.chance(0.1) ? 2n + rng.magnitude(7) : BigInt(rng.int(2));
  else if (t.kind === 'address' && rng.chance(ctx.friendly ? 0.9 : 0.5)) v = rng.pick([ctx.sender, ctx.sender, ...ctx.args.filter((a) => a.type.kind === 'address').map((a) => a.value)]);
  else if (rng.chance(0.5)) v = rng.pick(ctx.stateValues) & m;
  else v = rng.chance(0.5) ? rng.pick(boundaries(t, ctx.sender)) : rng.bits(8 * n);
  const lo = BigInt(8 * offset);
  return (base & ~(m << lo) & M256) | ((v & m) << lo);
}

function fixedWord(ctx: Ctx, fields: readonly { offset: number; type: ValueType | null }[]): bigint {
  const { rng } = ctx;
  const r = rng.int(100);
  if (r < 12) return 0n;
  if (r < 24 || fields.some((f) => f.type === null)) return rng.bits(256);
  // Packed fields over zero, or over junk in the bytes no field uses (dirty storage).
  let w = rng.chance(0.2) ? rng.bits(256) : 0n;
  for (const f of fields) w = fieldWord(ctx, f.type!, f.offset, w);
  return w;
}

/**
 * A stored byte array at `slot`: empty, short form (sometimes with junk past its length), long form (data
 * at keccak256(slot) + i, sometimes junk past the length in the last word), or an encoding whose form
 * does not match its length (Panic 0x22). Never a huge long-form length: no EVM run could copy it.
 */
function byteArrayWords(rng: Rng, slot: bigint): [bigint, bigint][] {
  const r = rng.int(100);
  if (r < 10) return [];
  if (r < 45) {
    const len = rng.int(32);
    let w = len === 0 ? 0n : rng.bits(8 * len) << BigInt(8 * (32 - len));
    if (rng.chance(0.2)) w |= (rng.bits(256) >> BigInt(8 * len)) & ~0xffn & M256;
    return [[slot, w | BigInt(2 * len)]];
  }
  if (r < 85) {
    const len = 32 + rng.int(rng.chance(0.5) ? 40 : 200);
    const base = mappingSlotBase(slot);
    const out: [bigint, bigint][] = [[slot, BigInt(2 * len + 1)]];
    const n = Math.ceil(len / 32);
    for (let i = 0; i < n; i++) {
      let w = rng.bits(256);
      const tail = len - 32 * i;
      if (tail < 32 && rng.chance(0.7)) w &= M256 ^ (M256 >> BigInt(8 * tail));
      out.push([(base + BigInt(i)) & M256, w]);
    }
    return out;
  }
  // Corrupt: long form with fewer than 32 bytes, or short form claiming 32 or more.
  return rng.chance(0.5) ? [[slot, BigInt(2 * rng.int(32) + 1)]] : [[slot, (rng.bits(200) << 56n) | BigInt(2 * (32 + rng.int(96)))]];
}

function mappingSlotBase(slot: bigint): bigint {
  return keccakBig(wordBytes(slot));
}

/**
 * A `string`/`bytes` argument whose tail starts at `at` (bytes after the selector): mostly a well-formed
 * encoding (0–80 bytes, lengths around a word boundary, sometimes junk past the length), otherwise an
 * offset or length the decoder rejects: past 2^64, pointing past the calldata, or a length near 2^64
 * (the memory decoder panics with 0x41 there).
 */
function byteArrayArg(rng: Rng, at: number, friendly: boolean): { offset: bigint; tail: string } {
  if (friendly && rng.chance(0.5)) {
    // Clean ABI words of small values (amounts, addresses, flags, enum members), now and then after a
    // 4-byte selector, so that `abi.decode` of the bytes gets past its checks.
    const words = Array.from({ length: 1 + rng.int(4) }, () => hexWord(rng.pick([0n, 1n, 2n, rng.magnitude(8), rng.magnitude(64), rng.magnitude(160)])));
    const data = (rng.chance(0.3) ? randomBytes(rng, 4) : '') + words.join('');
    const len = data.length / 2;
    return { offset: BigInt(at), tail: hexWord(BigInt(len)) + data.padEnd(Math.ceil(len / 32) * 64, '0') };
  }
  const len = rng.chance(0.3) ? rng.pick([0, 1, 31, 32, 33, 64]) : rng.int(81);
  let data = randomBytes(rng, len);
  const padTo = Math.ceil(len / 32) * 64;
  data = rng.chance(0.2) ? data + randomBytes(rng, (padTo - data.length) / 2) : data.padEnd(padTo, '0');
  const good = { offset: BigInt(at), tail: hexWord(BigInt(len)) + data };
  if (friendly || rng.chance(0.75)) return good;
  const r = rng.int(5);
  if (r === 0) return { ...good, offset: rng.pick([1n << 64n, M256, (1n << 64n) - 1n]) };
  if (r === 1) return { ...good, offset: BigInt(at + 32 * rng.pick([1, 2, 40])) };
  if (r === 2) return { ...good, offset: BigInt(rng.int(at + 1)) };
  const big = rng.pick([(1n << 64n) - 1n, 1n << 64n, (1n << 64n) - 0xa0n, (1n << 64n) - 0xbfn, (1n << 64n) - 0xc0n, (1n << 64n) - 0xe0n, M256, BigInt(len + 1)]);
  return { offset: good.offset, tail: hexWord(big) + data };
}

/**
 * A `bytes[]` argument whose tail starts at `at`: mostly 0–3 well-formed elements (their offsets
 * relative to the head area, then each length and data), otherwise something the decoder or the element
 * read rejects — the array's offset or length as for value arrays, or an element whose offset is huge,
 * negative (as a signed word) or points past the calldata, or whose length is huge or runs past it.
 */
function bytesArrayArg(rng: Rng, at: number, friendly: boolean): { offset: bigint; tail: string } {
  const n = rng.chance(0.15) ? 0 : 1 + rng.int(3);
  const elems = Array.from({ length: n }, () => byteArrayArg(rng, 0, true).tail);
  const heads: bigint[] = [];
  let rel = 32 * n;
  for (const e of elems) {
    heads.push(BigInt(rel));
    rel += e.length / 2;
  }
  const bad = !friendly && n > 0 && rng.chance(0.35);
  if (bad) {
    const k = rng.int(n);
    const r = rng.int(6);
    if (r === 0) heads[k] = rng.pick([1n << 64n, M256, M256 - 31n, (1n << 255n) + 32n]);
    else if (r === 1) heads[k] = BigInt(rel + rng.pick([0, 1, 32, 64]));
    else if (r === 2) heads[k] = BigInt(rel - rng.pick([1, 31, 32]));
    else if (r === 3) elems[k] = hexWord(rng.pick([(1n << 64n) - 1n, 1n << 64n, M256, BigInt(rel + 100)])) + elems[k]!.slice(64);
    else if (r === 4) heads[k] = BigInt(rng.int(32 * n + 1));
    else elems[k] = hexWord(BigInt(elems[k]!.length / 2)) + elems[k]!.slice(64);
  }
  const good = { offset: BigInt(at), tail: hexWord(BigInt(n)) + heads.map(hexWord).join('') + elems.join('') };
  if (friendly || bad || rng.chance(0.8)) return good;
  const r = rng.int(4);
  if (r === 0) return { ...good, offset: rng.pick([1n << 64n, M256, (1n << 64n) - 1n]) };
  if (r === 1) return { ...good, offset: BigInt(at + 32 * rng.pick([1, 2, 40])) };
  if (r === 2) return { ...good, offset: BigInt(rng.int(at + 1)) };
  return { offset: good.offset, tail: hexWord(rng.pick([(1n << 64n) - 1n, 1n << 64n, M256, BigInt(n + 1), BigInt(n + 5)])) + good.tail.slice(64) };
}

/**
 * A dynamic array of `elem` whose tail starts at `at`: mostly 0–4 typed elements (now and then a dirty
 * one the decoder or the element read rejects), otherwise an offset or length the decoder rejects — past
 * 2^64, pointing past the calldata, a length the calldata does not hold, or one whose memory copy would
 * not fit (Panic 0x41).
 */
function valueArrayArg(ctx: Ctx, elem: ValueType, at: number): { offset: bigint; tail: string } {
  const { rng } = ctx;
  const n = rng.chance(0.15) ? 0 : 1 + rng.int(4);
  let data = '';
  for (let k = 0; k < n; k++) {
    const v = typedValue(ctx, elem);
    ctx.args.push({ type: elem, value: v });
    const dirty = !ctx.friendly && rng.chance(0.08) ? dirtyWord(rng, elem, v) : null;
    data += hexWord(dirty ?? toWord(v, elem));
  }
  const good = { offset: BigInt(at), tail: hexWord(BigInt(n)) + data };
  if (ctx.friendly || rng.chance(0.75)) return good;
  const r = rng.int(5);
  if (r === 0) return { ...good, offset: rng.pick([1n << 64n, M256, (1n << 64n) - 1n]) };
  if (r === 1) return { ...good, offset: BigInt(at + 32 * rng.pick([1, 2, 40])) };
  if (r === 2) return { ...good, offset: BigInt(rng.int(at + 1)) };
  const big = rng.pick([(1n << 64n) - 1n, 1n << 64n, (1n << 59n) - 6n, (1n << 59n) - 4n, M256, BigInt(n + 1)]);
  return { offset: good.offset, tail: hexWord(big) + data };
}

/** Candidate keys (typed values) for each level of a mapping, combined, at most ~36 combinations. */
function keyCombos(ctx: Ctx, keyTypes: readonly ValueType[]): bigint[][] {
  const per = keyTypes.map((t) => {
    const out = new Set<bigint>();
    if (t.kind === 'address') out.add(ctx.sender);
    for (const a of ctx.args) if (typeName(a.type) === typeName(t)) out.add(a.value);
    if (t.kind === 'address') out.add(1n);
    else out.add(0n).add(1n);
    return [...out].slice(0, 6);
  });
  let combos: bigint[][] = [[]];
  for (const level of per) combos = combos.flatMap((c) => level.map((k) => [...c, k]));
  return combos.slice(0, 36);
}

/** A readable one-line form of an input for failure messages. */
export function describeInput(x: DiffInput): string {
  const hex = (v: bigint) => '0x' + v.toString(16);
  const st = [...x.storage].map(([s, v]) => `    ${hex(s)} = ${hex(v)}`).join('\n');
  const im = [...x.immutables].map(([n, v]) => `${n}=${hex(v)}`).join(', ');
  return [
    `  calldata: ${x.calldata}`,
    `  env: sender=${hex(x.sender)} value=${x.value} timestamp=${x.timestamp} number=${x.number}${im ? ` immutables: ${im}` : ''}${x.extra ? ' ' + Object.entries(x.extra).map(([k, v]) => `${k}=${hex(v as bigint)}`).join(' ') : ''}`,
    `  pre-state (${x.storage.size} non-zero slots):${st ? '\n' + st : ' (empty)'}`,
  ].join('\n');
}

/** Random contents for a storage value of type `t` at `slot`: members, array lengths and elements, mapping entries. */
function fillAggregate(ctx: Ctx, slot: bigint, t: StorageType, words: Map<bigint, bigint>, depth: number): void {
  const { rng } = ctx;
  if (depth > 6) return;
  switch (t.kind) {
    case 'value':
      return;
    case 'bytes':
      // Also over a random root word (a struct at a fixed slot): never a long form no run could copy.
      words.set(slot, 0n);
      for (const [s, w] of byteArrayWords(rng, slot)) words.set(s, w);
      return;
    case 'struct':
      for (const m of t.members) {
        const s = slot + m.slot;
        if (m.type.kind === 'value') {
          if (rng.chance(0.15)) continue;
          const base = words.get(s) ?? (rng.chance(0.15) ? rng.bits(256) : 0n);
          words.set(s, fieldWord(ctx, m.type.type, m.offset, base));
        } else fillAggregate(ctx, s, m.type, words, depth + 1);
      }
      return;
    case 'array': {
      const size = storageSlots(t.elem);
      let n = t.length ?? 0n;
      let data = slot;
      if (t.length === null) {
        const r = rng.int(20);
        n = r < 3 ? 0n : r < 17 ? BigInt(1 + rng.int(4)) : rng.pick([(1n << 64n) - 1n, 1n << 64n, rng.bits(256)]);
        words.set(slot, n);
        data = slotOf(slot, [{ kind: 'data' }]);
      }
      const shown = n < 6n ? n : 6n;
      if (t.elem.kind === 'value' && t.elem.bytes <= 16) {
        // Packed elements: whole words of random bytes (elements, and junk past the length).
        const per = BigInt(Math.floor(32 / t.elem.bytes));
        const slots = t.length === null ? (shown + per - 1n) / per + 1n : storageSlots(t);
        for (let s = 0n; s < slots; s++) if (!rng.chance(0.15)) words.set(data + s, rng.chance(0.5) ? rng.bits(256) : fieldWord(ctx, t.elem.type, 0, 0n));
        return;
      }
      for (let i = 0n; i < shown; i++) fillElement(ctx, data + i * size, t.elem, words, depth);
      return;
    }
    case 'mapping':
      for (const [k] of keyCombos(ctx, [t.key])) {
        if (rng.chance(0.2)) continue;
        fillElement(ctx, slotOf(slot, [{ kind: 'key', word: toWord(k!, t.key) }]), t.value, words, depth);
      }
      return;
  }
}

function fillElement(ctx: Ctx, slot: bigint, t: StorageType, words: Map<bigint, bigint>, depth: number): void {
  if (t.kind === 'value') words.set(slot, fieldWord(ctx, t.type, 0, ctx.rng.chance(0.1) ? ctx.rng.bits(256) : 0n));
  else fillAggregate(ctx, slot, t, words, depth + 1);
}
