import type { AbiParameter } from 'viem';
import { PatchproofError } from '../frontend/errors.ts';
import { isObject, JsonNumber, showJson, type Json } from './json.ts';

/*
 * JSON values of the shadow input files converted to what they stand for: integers, addresses and
 * ABI arguments. Every failure is an input error whose message starts with `where` (which file, which
 * entry, which argument) and says what was expected.
 */

export const M256 = (1n << 256n) - 1n;

/** `v` as an object, or an input error saying what was expected there. */
export function expectObject(v: Json | undefined, where: string, what: string): Readonly<Record<string, Json>> {
  if (!isObject(v)) throw inputError(where, `expected ${what} (a JSON object), got ${v === undefined ? 'nothing' : showJson(v)}`);
  return v;
}

export function inputError(where: string, problem: string): PatchproofError {
  return new PatchproofError('input', `${where}: ${problem}`);
}

/** A decimal number (`1e18`, `2.5e3` allowed) as an integer, or undefined when it is not a whole number. */
function wholeNumber(text: string): bigint | undefined {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (m === null) return undefined;
  const [, sign, whole = '', frac = '', exp = '0'] = m;
  const shift = Number(exp) - frac.length;
  if (shift > 1000) return undefined;
  const digits = BigInt(whole + frac) * (sign === '-' ? -1n : 1n);
  if (shift >= 0) return digits * 10n ** BigInt(shift);
  const div = 10n ** BigInt(-shift);
  return digits % div === 0n ? digits / div : undefined;
}

/**
 * An integer written as a JSON number (exact; `1e18` allowed when it is whole), a decimal string (the
 * same syntax) or a 0x-hex string. Anything else, or a fraction, is an error.
 */
export function parseInteger(v: Json, where: string): bigint {
  if (v instanceof JsonNumber) {
    const x = wholeNumber(v.text);
    if (x === undefined) throw inputError(where, `${v.text} is not a whole number`);
    return x;
  }
  if (typeof v === 'string') {
    const s = v.trim();
    if (/^-?0x[0-9a-fA-F]+$/.test(s)) return s.startsWith('-') ? -BigInt(s.slice(1)) : BigInt(s);
    const x = wholeNumber(s);
    if (x !== undefined) return x;
    throw inputError(where, `${JSON.stringify(v)} is not an integer (write a decimal or 0x-hex string, or a JSON number)`);
  }
  throw inputError(where, `expected an integer, got ${showJson(v)}`);
}

/** An integer in [0, 2^bits). */
export function parseUint(v: Json, bits: number, where: string): bigint {
  const x = parseInteger(v, where);
  if (x < 0n) throw inputError(where, `${x} is negative, which does not fit uint${bits}`);
  if (x >> BigInt(bits) !== 0n) throw inputError(where, `${x} does not fit uint${bits} (max ${(1n << BigInt(bits)) - 1n})`);
  return x;
}

/** An integer in [-2^(bits-1), 2^(bits-1)). */
export function parseSignedInt(v: Json, bits: number, where: string): bigint {
  const x = parseInteger(v, where);
  const half = 1n << BigInt(bits - 1);
  if (x < -half || x >= half) throw inputError(where, `${x} does not fit int${bits} (range ${-half} to ${half - 1n})`);
  return x;
}

export function parseAddress(v: Json, where: string): `0x${string}` {
  if (typeof v === 'string' && /^0x[0-9a-fA-F]{40}$/.test(v)) return v.toLowerCase() as `0x${string}`;
  throw inputError(where, `expected an address (0x and 40 hex digits), got ${showJson(v)}`);
}

export function parseBool(v: Json, where: string): boolean {
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  throw inputError(where, `expected true or false, got ${showJson(v)}`);
}

/** 0x-hex bytes; `size` fixes the length (bytesN). */
export function parseHexBytes(v: Json, size: number | undefined, where: string): `0x${string}` {
  const what = size === undefined ? 'bytes' : `bytes${size}`;
  if (typeof v !== 'string' || !/^0x([0-9a-fA-F]{2})*$/.test(v)) {
    throw inputError(where, `expected ${what} as 0x-hex with an even number of digits, got ${showJson(v)}`);
  }
  const n = (v.length - 2) / 2;
  if (size !== undefined && n !== size) throw inputError(where, `expected ${what} (exactly ${size} bytes), got ${n} bytes`);
  return v.toLowerCase() as `0x${string}`;
}

/** The canonical type of an ABI parameter as in a selector: tuples spelled out as `(t1,t2)`. */
export function canonicalType(p: AbiParameter): string {
  if (!p.type.startsWith('tuple')) return p.type;
  const components = 'components' in p ? p.components : [];
  return `(${components.map(canonicalType).join(',')})${p.type.slice('tuple'.length)}`;
}

/**
 * One ABI argument from JSON, in the form viem encodes: bigint for integers, lower-case hex for
 * addresses and bytes, arrays for arrays, arrays or objects (by component name) for tuples.
 */
export function abiValue(p: AbiParameter, v: Json, where: string): unknown {
  const type = p.type;
  const array = /^(.*)\[(\d*)\]$/.exec(type);
  if (array !== null) {
    const [, inner = '', len = ''] = array;
    if (!Array.isArray(v)) throw inputError(where, `expected a JSON array for ${canonicalType(p)}, got ${showJson(v as Json)}`);
    const items = v as readonly Json[];
    if (len !== '' && items.length !== Number(len)) throw inputError(where, `expected ${len} elements for ${canonicalType(p)}, got ${items.length}`);
    const element = { ...p, type: inner } as AbiParameter;
    return items.map((x, i) => abiValue(element, x, `${where}[${i}]`));
  }
  if (type === 'tuple') {
    const components = 'components' in p ? p.components : [];
    if (Array.isArray(v)) {
      const items = v as readonly Json[];
      if (items.length !== components.length) throw inputError(where, `expected ${components.length} components for ${canonicalType(p)}, got ${items.length}`);
      return components.map((c, i) => abiValue(c, items[i]!, `${where}.${c.name || i}`));
    }
    if (isObject(v) && components.every((c) => c.name)) {
      const names = components.map((c) => c.name!);
      const unknown = Object.keys(v).find((k) => !names.includes(k));
      if (unknown !== undefined) throw inputError(where, `${canonicalType(p)} has no component ${unknown} (components: ${names.join(', ')})`);
      return Object.fromEntries(components.map((c) => {
        const x = v[c.name!];
        if (x === undefined) throw inputError(where, `component ${c.name} of ${canonicalType(p)} is missing`);
        return [c.name!, abiValue(c, x, `${where}.${c.name}`)];
      }));
    }
    throw inputError(where, `expected a JSON array (or an object by component name) for ${canonicalType(p)}, got ${showJson(v)}`);
  }
  const int = /^(u?)int(\d*)$/.exec(type);
  if (int !== null) {
    const bits = Number(int[2] || '256');
    return int[1] === 'u' ? parseUint(v, bits, where) : parseSignedInt(v, bits, where);
  }
  if (type === 'address') return parseAddress(v, where);
  if (type === 'bool') return parseBool(v, where);
  if (type === 'bytes') return parseHexBytes(v, undefined, where);
  const fixed = /^bytes(\d+)$/.exec(type);
  if (fixed !== null) return parseHexBytes(v, Number(fixed[1]), where);
  if (type === 'string') {
    if (typeof v !== 'string') throw inputError(where, `expected a JSON string, got ${showJson(v)}`);
    return v;
  }
  throw inputError(where, `arguments of type ${type} are not supported here; pass the transaction as "calldata"`);
}
