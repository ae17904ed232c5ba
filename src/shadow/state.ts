import { keccak256, stringToHex, type Hex } from 'viem';
import { assertNever, invariant } from '../util/assert.ts';
import { showJson, type Json } from './json.ts';
import { abiTypeOf, elementPosition, keyWord, mappingSlot, word, type LayoutType, type StorageLayout } from './layout.ts';
import { abiValue, expectObject, inputError, M256, parseAddress, parseBool, parseHexBytes, parseSignedInt, parseUint } from './values.ts';

/*
 * The state file: the starting storage of both versions, by variable name (resolved through the OLD
 * version's storage layout) and/or by raw slot, plus the contract's starting balance.
 *
 *   { "storage": { "totalDeposits": "100", "balances": { "0xa11ce…": "60" } },
 *     "slots": { "0x5": "0x…" }, "balance": "100" }
 *
 * Raw slots are applied after the variables, so they win.
 */

export interface InitialState {
  readonly storage: ReadonlyMap<bigint, bigint>;
  /** The contract's balance before the first transaction (wei). */
  readonly balance: bigint;
  readonly warnings: readonly string[];
  /** Names of the slots the file set (`balances[0x…]`), for the report. */
  readonly names: ReadonlyMap<bigint, string>;
  /** The mapping keys the file used, as 32-byte words: candidates for naming slots later written. */
  readonly keyWords: readonly bigint[];
}

export const EMPTY_STATE: InitialState = { storage: new Map(), balance: 0n, warnings: [], names: new Map(), keyWords: [] };

const FIELDS = ['storage', 'slots', 'balance'];

class Writer {
  readonly words = new Map<bigint, bigint>();
  readonly names = new Map<bigint, string>();
  readonly keyWords: bigint[] = [];

  constructor(readonly layout: StorageLayout, readonly where: string) {}

  type(id: string): LayoutType {
    const t = this.layout.types?.[id];
    invariant(t, `storage layout has no type ${id}`);
    return t;
  }

  put(slot: bigint, offset: number, size: number, value: bigint, name: string): void {
    const shift = BigInt(8 * offset);
    const mask = ((1n << BigInt(8 * size)) - 1n) << shift;
    const old = this.words.get(slot) ?? 0n;
    this.words.set(slot, (old & ~mask & M256) | ((value << shift) & mask));
    const known = this.names.get(slot);
    this.names.set(slot, known === undefined || known === name ? name : `${known}, ${name}`);
  }

  assign(typeId: string, v: Json, slot: bigint, offset: number, path: string): void {
    const t = this.type(typeId);
    const at = `${this.where}: ${path} (${t.label})`;
    switch (t.encoding) {
      case 'inplace':
        if (t.members !== undefined) return this.struct(t, v, slot, path, at);
        if (t.base !== undefined) {
          const n = Number(/\[(\d+)\]$/.exec(t.label)?.[1] ?? '0');
          return this.elements(t.base, v, slot, path, at, n);
        }
        return this.put(slot, offset, Number(t.numberOfBytes), storedValue(t, v, at), path);
      case 'mapping': {
        invariant(t.key !== undefined && t.value !== undefined, `mapping type ${typeId} without key or value`);
        const entries = expectObject(v, at, 'an object from keys to values');
        const keyType = this.type(t.key);
        for (const [key, value] of Object.entries(entries)) {
          const { bytes, shown } = mappingKey(keyType, key, `${at}: key ${JSON.stringify(key)}`);
          if (bytes.length === 66) this.keyWords.push(BigInt(bytes));
          this.assign(t.value, value, mappingSlot(bytes, slot), 0, `${path}[${shown}]`);
        }
        return;
      }
      case 'dynamic_array': {
        invariant(t.base !== undefined, `array type ${typeId} without a base type`);
        if (!Array.isArray(v)) throw inputError(at, `expected a JSON array, got ${showJson(v)}`);
        this.put(slot, 0, 32, BigInt((v as readonly Json[]).length), `${path}.length`);
        return this.elements(t.base, v, BigInt(keccak256(word(slot))), path, at, undefined);
      }
      case 'bytes':
        return this.bytes(t, v, slot, path, at);
      default:
        return assertNever(t.encoding, 'storage layout encoding');
    }
  }

  private struct(t: LayoutType, v: Json, slot: bigint, path: string, at: string): void {
    const fields = expectObject(v, at, 'an object by member name');
    const members = t.members ?? [];
    for (const [key, value] of Object.entries(fields)) {
      const m = members.find((x) => x.label === key);
      if (m === undefined) throw inputError(at, `no member ${JSON.stringify(key)}; the members are ${members.map((x) => x.label).join(', ')}`);
      this.assign(m.type, value, slot + BigInt(m.slot), m.offset, `${path}.${key}`);
    }
  }

  private elements(baseId: string, v: Json, slot: bigint, path: string, at: string, length: number | undefined): void {
    if (!Array.isArray(v)) throw inputError(at, `expected a JSON array, got ${showJson(v)}`);
    const items = v as readonly Json[];
    if (length !== undefined && items.length > length) throw inputError(at, `${items.length} elements do not fit an array of length ${length}`);
    const base = this.type(baseId);
    items.forEach((x, i) => {
      const pos = elementPosition(base, i);
      this.assign(baseId, x, slot + pos.slot, pos.offset, `${path}[${i}]`);
    });
  }

  private bytes(t: LayoutType, v: Json, slot: bigint, path: string, at: string): void {
    const data = t.label === 'string' ? (typeof v === 'string' ? stringToHex(v) : undefined) : parseHexBytes(v, undefined, at);
    if (data === undefined) throw inputError(at, `expected a JSON string, got ${showJson(v)}`);
    const len = (data.length - 2) / 2;
    if (len < 32) {
      // Short form: the bytes left-aligned in the slot, 2 * length in the lowest byte.
      const left = len === 0 ? 0n : BigInt(data) << BigInt(8 * (32 - len));
      return this.put(slot, 0, 32, left | BigInt(2 * len), path);
    }
    this.put(slot, 0, 32, BigInt(2 * len + 1), path);
    const start = BigInt(keccak256(word(slot)));
    const hex = data.slice(2);
    for (let i = 0; i * 64 < hex.length; i++) {
      const chunk = hex.slice(i * 64, i * 64 + 64).padEnd(64, '0');
      this.put(start + BigInt(i), 0, 32, BigInt('0x' + chunk), `${path} (data word ${i})`);
    }
  }
}

/** A value type as it sits in its bytes of the slot: two's complement for ints, bytesN right-aligned. */
function storedValue(t: LayoutType, v: Json, at: string): bigint {
  const bits = 8 * Number(t.numberOfBytes);
  const abiType = abiTypeOf(t);
  if (abiType === undefined) {
    // A user-defined value type: its underlying type is not in the layout, so take the raw bits.
    if (t.label.startsWith('function')) throw inputError(at, 'function-typed variables cannot be set here; use "slots"');
    return parseUint(v, bits, at);
  }
  if (abiType === 'bool') return parseBool(v, at) ? 1n : 0n;
  if (abiType === 'address') return BigInt(parseAddress(v, at));
  if (t.label.startsWith('enum ')) return parseUint(v, bits, at);
  if (abiType.startsWith('uint')) return parseUint(v, bits, at);
  if (abiType.startsWith('int')) return BigInt.asUintN(bits, parseSignedInt(v, bits, at));
  const n = /^bytes(\d+)$/.exec(abiType);
  invariant(n, `unhandled storage value type ${t.label}`);
  return BigInt(parseHexBytes(v, Number(n[1]), at));
}

/** h(key) for a mapping key written as a JSON object key, and the key as shown in names. */
function mappingKey(t: LayoutType, key: string, at: string): { bytes: Hex; shown: string } {
  if (t.encoding === 'bytes') {
    const bytes = t.label === 'string' ? stringToHex(key) : parseHexBytes(key, undefined, at);
    return { bytes, shown: t.label === 'string' ? JSON.stringify(key) : bytes };
  }
  const abiType = abiTypeOf(t);
  if (abiType === undefined) throw inputError(at, `mapping keys of type ${t.label} cannot be set here; use "slots"`);
  const value = abiValue({ type: abiType }, key, at);
  const shown = typeof value === 'bigint' ? value.toString() : String(value);
  return { bytes: keyWord(abiType, value), shown };
}

/** Reads the state file against the old version's layout; checks the names against the new one. */
export function readState(json: Json, file: string, oldLayout: StorageLayout, newLayout: StorageLayout): InitialState {
  const top = expectObject(json, file, 'an object with "storage", "slots" and/or "balance"');
  const unknown = Object.keys(top).filter((k) => !FIELDS.includes(k));
  if (unknown.length > 0) throw inputError(file, `unknown top-level field ${unknown.map((k) => JSON.stringify(k)).join(', ')}; the fields are ${FIELDS.join(', ')}`);
  const w = new Writer(oldLayout, `${file}: "storage"`);
  const warnings: string[] = [];

  if (top.storage !== undefined) {
    const vars = expectObject(top.storage, `${file}: "storage"`, 'an object from variable names to values');
    const known = [...new Set(oldLayout.storage.map((v) => v.label))];
    for (const [name, value] of Object.entries(vars)) {
      const decls = oldLayout.storage.filter((v) => v.label === name);
      const decl = decls[0];
      if (decl === undefined) {
        const list = known.length === 0 ? 'the old version has no storage variables' : `the old version's storage variables are ${known.join(', ')}`;
        throw inputError(`${file}: "storage"`, `unknown variable ${JSON.stringify(name)}; ${list}`);
      }
      if (decls.length > 1) throw inputError(`${file}: "storage"`, `${name} names ${decls.length} variables (inherited ones of the same name); set their slots under "slots"`);
      w.assign(decl.type, value, BigInt(decl.slot), decl.offset, name);
      const warning = layoutMismatch(name, oldLayout, newLayout);
      if (warning !== undefined) warnings.push(`${file}: ${warning}; the state was laid out by the old version's layout`);
    }
  }

  if (top.slots !== undefined) {
    const slots = expectObject(top.slots, `${file}: "slots"`, 'an object from slot numbers to words');
    for (const [key, value] of Object.entries(slots)) {
      const slot = parseUint(key, 256, `${file}: "slots": slot ${JSON.stringify(key)}`);
      w.words.set(slot, parseUint(value, 256, `${file}: "slots": value of slot ${key}`));
    }
  }

  const balance = top.balance === undefined ? 0n : parseUint(top.balance, 256, `${file}: "balance"`);
  return { storage: w.words, balance, warnings, names: w.names, keyWords: w.keyWords };
}

function layoutMismatch(name: string, oldLayout: StorageLayout, newLayout: StorageLayout): string | undefined {
  const o = oldLayout.storage.find((v) => v.label === name);
  const n = newLayout.storage.filter((v) => v.label === name);
  if (o === undefined) return undefined;
  const where = (v: { slot: string; offset: number; type: string }, l: StorageLayout) => `slot ${v.slot} offset ${v.offset} (${l.types?.[v.type]?.label ?? v.type})`;
  const first = n[0];
  if (first === undefined) return `${name} is not a storage variable of the new version`;
  if (n.length > 1) return `${name} names ${n.length} variables in the new version`;
  const oldAt = where(o, oldLayout);
  const newAt = where(first, newLayout);
  return oldAt === newAt ? undefined : `${name} is at ${oldAt} in the old version but at ${newAt} in the new version`;
}
