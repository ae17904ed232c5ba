import {
  decodeErrorResult,
  decodeEventLog,
  decodeFunctionData,
  decodeFunctionResult,
  encodeFunctionData,
  toFunctionSelector,
  type Abi,
  type AbiFunction,
  type AbiParameter,
} from 'viem';
import { isObject, showJson, type Json } from './json.ts';
import type { Hex, ShownLog } from './types.ts';
import { abiValue, canonicalType, inputError } from './values.ts';

/*
 * The ABI side of shadow replay, all through viem: resolving a function named in a transaction file,
 * encoding its arguments, and decoding return data, revert data and logs for the report.
 */

export interface AbiEntry {
  /** Canonical signature, as in solc's methodIdentifiers: `withdraw(uint256)`. */
  readonly signature: string;
  readonly selector: Hex;
  readonly fn: AbiFunction;
}

const signatureOf = (fn: AbiFunction): string => `${fn.name}(${fn.inputs.map(canonicalType).join(',')})`;

/** The functions of both versions (union by signature; the old version's ABI item wins). */
export class ShadowAbi {
  readonly entries: ReadonlyMap<string, AbiEntry>;
  private readonly bySelector: ReadonlyMap<Hex, AbiEntry>;

  constructor(readonly oldAbi: Abi, readonly newAbi: Abi) {
    const entries = new Map<string, AbiEntry>();
    for (const item of [...oldAbi, ...newAbi]) {
      if (item.type !== 'function') continue;
      const signature = signatureOf(item);
      if (!entries.has(signature)) entries.set(signature, { signature, selector: toFunctionSelector(signature), fn: item });
    }
    this.entries = new Map([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    this.bySelector = new Map([...entries.values()].map((e) => [e.selector, e]));
  }

  /** Whether either version declares `receive` or `fallback`. */
  has(kind: 'receive' | 'fallback'): boolean {
    return [...this.oldAbi, ...this.newAbi].some((i) => i.type === kind);
  }

  private available(): string {
    const names = [...this.entries.keys()];
    return names.length === 0 ? 'none (pass "calldata" instead)' : names.join(', ');
  }

  /** The function a transaction names: a full signature, or a bare name when it is not overloaded. */
  resolve(name: string, where: string): AbiEntry {
    const wanted = name.replace(/\s+/g, '');
    if (wanted.includes('(')) {
      const e = this.entries.get(wanted);
      if (e !== undefined) return e;
      throw inputError(where, `no function ${wanted} in either version; available: ${this.available()}`);
    }
    const candidates = [...this.entries.values()].filter((e) => e.fn.name === wanted);
    const only = candidates[0];
    if (only === undefined) {
      const hint = wanted === 'receive' || wanted === 'fallback' ? ` (to call ${wanted}, pass "calldata": "0x" or calldata that matches no selector)` : '';
      throw inputError(where, `no function named ${JSON.stringify(wanted)} in either version${hint}; available: ${this.available()}`);
    }
    if (candidates.length > 1) {
      const overloads = candidates.map((e) => e.signature).join(', ');
      throw inputError(where, `function name ${wanted} is ambiguous (overloads: ${overloads}); write the full signature, e.g. "${candidates[0]!.signature}"`);
    }
    return only;
  }

  /** Calldata for `entry` with JSON arguments (`args` undefined when the transaction gave none). */
  encode(entry: AbiEntry, args: Json | undefined, where: string): Hex {
    const params = entry.fn.inputs;
    const at = `${where} (${entry.signature})`;
    if (args === undefined) {
      if (params.length === 0) return encodeFunctionData({ abi: [entry.fn], functionName: entry.fn.name, args: [] });
      throw inputError(at, `"args" is missing; expected ${params.length} argument(s): ${params.map(describeParam).join(', ')}`);
    }
    if (!Array.isArray(args)) throw inputError(at, `"args" must be a JSON array, got ${showJson(args)}`);
    const list = args as readonly Json[];
    if (list.length !== params.length) {
      throw inputError(at, `expected ${params.length} argument(s) (${params.map(describeParam).join(', ') || 'none'}), got ${list.length}`);
    }
    const values = params.map((p, i) => abiValue(p, list[i]!, `${at}: argument ${i + 1} ${describeParam(p)}`));
    try {
      return encodeFunctionData({ abi: [entry.fn], functionName: entry.fn.name, args: values });
    } catch (e) {
      throw inputError(at, `the arguments do not encode: ${(e as Error).message.split('\n')[0]}`);
    }
  }

  /** The signature and a readable form of the call that `calldata` makes. */
  describe(calldata: Hex): { signature?: string; call: string } {
    if (calldata === '0x') return { call: this.has('receive') ? 'receive()' : this.has('fallback') ? 'fallback()' : 'empty calldata' };
    const entry = this.bySelector.get(calldata.slice(0, 10).toLowerCase() as Hex);
    if (entry === undefined) return { call: this.has('fallback') ? `fallback(${calldata})` : `calldata ${calldata}` };
    try {
      const { args } = decodeFunctionData({ abi: [entry.fn], data: calldata });
      return { signature: entry.signature, call: `${entry.fn.name}(${formatValues(entry.fn.inputs, args ?? [])})` };
    } catch {
      return { signature: entry.signature, call: `${entry.signature} with undecodable calldata ${calldata}` };
    }
  }
}

function describeParam(p: AbiParameter): string {
  return p.name ? `${p.name} (${canonicalType(p)})` : canonicalType(p);
}

/** A decoded value for people, by its ABI type: integers in decimal, strings quoted, addresses lower-case. */
export function formatValue(p: AbiParameter, v: unknown): string {
  const array = /^(.*)\[\d*\]$/.exec(p.type);
  if (array !== null && Array.isArray(v)) return `[${v.map((x) => formatValue({ ...p, type: array[1]! } as AbiParameter, x)).join(', ')}]`;
  if (p.type === 'tuple' && 'components' in p) {
    const cs = p.components;
    const at = (c: AbiParameter, i: number): unknown => (Array.isArray(v) ? v[i] : isRecord(v) && c.name ? v[c.name] : undefined);
    return `(${cs.map((c, i) => formatValue(c, at(c, i))).join(', ')})`;
  }
  if (typeof v === 'bigint') return v.toString();
  if (p.type === 'string') return JSON.stringify(v);
  if (typeof v === 'string') return v.toLowerCase();
  return String(v);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function formatValues(params: readonly AbiParameter[], values: readonly unknown[]): string {
  return params.map((p, i) => formatValue(p, values[i])).join(', ');
}

function formatNamed(params: readonly AbiParameter[], values: unknown): string {
  const at = (p: AbiParameter, i: number): unknown => (Array.isArray(values) ? values[i] : isRecord(values) && p.name ? values[p.name] : undefined);
  return params.map((p, i) => (p.name ? `${p.name}=` : '') + formatValue(p, at(p, i))).join(', ');
}

const PANICS: Record<string, string> = {
  '0x1': 'assertion failed',
  '0x11': 'arithmetic overflow or underflow',
  '0x12': 'division or modulo by zero',
  '0x21': 'invalid enum value',
  '0x22': 'corrupt storage byte array',
  '0x31': 'pop from an empty array',
  '0x32': 'array index out of bounds',
  '0x41': 'out of memory',
  '0x51': 'call to a zero internal function',
};

/** Revert data decoded against one version's ABI (Error, Panic and its custom errors); undefined when it does not decode. */
export function decodeRevert(abi: Abi, data: Hex): string | undefined {
  if (data === '0x') return 'empty revert data';
  try {
    const { errorName, args, abiItem } = decodeErrorResult({ abi, data });
    if (errorName === 'Panic' && typeof args?.[0] === 'bigint') {
      const code = '0x' + args[0].toString(16);
      return `Panic(${code}${PANICS[code] === undefined ? '' : ': ' + PANICS[code]})`;
    }
    if (errorName === 'Error') return `Error(${JSON.stringify(args?.[0])})`;
    return `${errorName}(${formatNamed('inputs' in abiItem ? abiItem.inputs : [], args ?? [])})`;
  } catch {
    return undefined;
  }
}

/** Return data decoded as the outputs of `signature` in one version's ABI; undefined when it does not decode. */
export function decodeReturn(abi: Abi, signature: string | undefined, data: Hex): string | undefined {
  const fn = abi.find((i): i is AbiFunction => i.type === 'function' && signatureOf(i) === signature);
  if (fn === undefined || (fn.outputs.length === 0 && data === '0x')) return undefined;
  try {
    const values = decodeFunctionResult({ abi: [fn], functionName: fn.name, data }) as unknown;
    const list = fn.outputs.length === 1 ? [values] : (values as readonly unknown[]);
    return `(${formatValues(fn.outputs, list)})`;
  } catch {
    return undefined;
  }
}

/** One log, decoded with one version's ABI when an event there matches. */
export function decodeLog(abi: Abi, topics: readonly bigint[], data: Hex): ShownLog {
  const hexTopics = topics.map((t) => ('0x' + t.toString(16).padStart(64, '0')) as Hex);
  try {
    const [signature, ...rest] = hexTopics;
    const { eventName, args } = decodeEventLog({ abi, topics: signature === undefined ? [] : [signature, ...rest], data });
    const item = abi.find((i) => i.type === 'event' && i.name === eventName);
    const inputs = item?.type === 'event' ? item.inputs : [];
    return { topics, data, event: `${eventName}(${formatNamed(inputs, args)})` };
  } catch {
    return { topics, data };
  }
}
