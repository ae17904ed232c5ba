import { keccakBig, wordBytes } from '../util/hash.ts';
import { slotOf, type ConcreteStep } from '../ir/slots.ts';
import { slotName } from '../ir/slotname.ts';
import { typeBits, typeName, type IrContract, type IrFunction, type ValueType } from '../ir/types.ts';
import type { ShownCall, Counterexample, EmittedEvent, Execution, MappedSlot, ShownValue, StorageValue } from '../verdicts/types.ts';
import type { MappedPlace, StateMap } from '../obligations/statemap.ts';
import type { MappedRuns } from './statemap-cex.ts';
import type { Assignment } from './eval.ts';
import { ENV_WIDTH, EXTRA_ENV_WIDTH } from './symexec.ts';
import { NAMES } from './names.ts';
import type { Key } from './storage.ts';
import { BYTES_NAMES, calldataTails, isBytesArrayParam, isValueArrayParam } from './bytes.ts';
import { arrayTypeNameElem } from '../ir/lower/arrays.ts';

/** One version's concrete outputs for a counterexample. Chains are already word sequences. */
export interface SideRun {
  readonly reverted: boolean;
  /** [byte length, selector, words…] or [0] */
  readonly revertData: readonly bigint[];
  /** [byte length, words…] */
  readonly returnData: readonly bigint[];
  /** Per event: [header (topics << 32 | data words), topics…, data…] */
  readonly log: readonly bigint[];
  /** Per call: [header (kind << 64 | forwarded? << 48 | gas? << 40 | stipend << 32 | calldata bytes), target, value, gas?, calldata chunks… (forwarded: length, data words…)] */
  readonly calls: readonly bigint[];
  /** The calls made, with the answers the model gave them (what replay stubs must answer). */
  readonly shownCalls: readonly ShownCall[];
  readonly storage: readonly { key: Key; keyWords: readonly bigint[]; before: bigint; after: bigint }[];
}

/** A pre-state word the model chose and the executions read. */
export interface PreRead {
  readonly root: bigint;
  readonly shape: string;
  readonly keys: readonly bigint[];
  readonly value: bigint;
}

const hex = (x: bigint) => '0x' + x.toString(16);
const same = (a: readonly bigint[], b: readonly bigint[]) => a.length === b.length && a.every((x, i) => x === b[i]);

interface Context {
  readonly oldFn: IrFunction;
  readonly newFn: IrFunction;
  readonly oldContract: IrContract;
  readonly newContract: IrContract;
}

export function describeCounterexample(ctx: Context & { readonly stateMap?: StateMap }, runs: { old: SideRun; new: SideRun; assignment: Assignment; reads: readonly PreRead[]; blockhashes?: ReadonlyMap<bigint, bigint>; balances?: ReadonlyMap<bigint, bigint>; mapped?: MappedRuns }): Counterexample {
  const { old: o, new: n, assignment: a } = runs;
  const differs: string[] = [];
  if (o.reverted !== n.reverted) differs.push('success');
  else if (o.reverted) {
    if (!same(o.revertData, n.revertData)) differs.push('revertData');
  } else {
    if (!same(o.returnData, n.returnData)) differs.push('returnData');
    if (runs.mapped?.storageDiffers ?? o.storage.some((s, i) => s.after !== n.storage[i]!.after)) differs.push('storage');
    if (!same(o.log, n.log)) differs.push('logs');
    if (!same(o.calls, n.calls)) differs.push('calls');
  }
  const fn = ctx.newFn;
  const tails = calldataTails(fn.params, a);
  const args = fn.params.map((p, i) => {
    const raw = a.var(NAMES.arg(i), 256);
    const shown = isByteArrayName(p.typeName) ? byteArrayArg(raw, tails, p.typeName) : isBytesArrayParam(p) ? bytesArrayArg(raw, tails, p.typeName) : isValueArrayParam(p) ? valueArrayArg(raw, tails, p.typeName) : decodeArg(raw, p.type);
    return { name: p.name, ...shown };
  });
  const env: Record<string, string> = {};
  const world = usesWorld(ctx.oldFn) || usesWorld(ctx.newFn);
  for (const [name, w] of Object.entries(ENV_WIDTH)) {
    // The contract's address and balance are inputs only of code that reads them or calls out.
    if (!world && (name === 'address(this)' || name === 'balance(this)')) continue;
    const v = a.var(name, w);
    env[name] = name === 'msg.sender' ? address(v) : v.toString();
  }
  const read = new Set([ctx.oldFn, ctx.newFn].flatMap(envNamesRead));
  for (const [name, w] of Object.entries(EXTRA_ENV_WIDTH)) {
    if (!read.has(name)) continue;
    const v = a.var(name, w);
    env[name] = w === 160 ? address(v) : v.toString();
  }
  // Every word read or overwritten, once, by its real slot: exactly what a replay must set.
  const pre = new Map<string, StorageValue>();
  for (const r of runs.reads) {
    const v = storageValue(ctx, r.root, r.shape, r.keys, r.value);
    pre.set(v.slot, v);
  }
  for (const r of runs.mapped?.old ?? []) {
    const v = storageValue(ctx, r.root, r.shape, r.keys, r.value);
    pre.set(v.slot, v);
  }
  for (const s of o.storage) {
    const v = storageValue(ctx, s.key.root, s.key.shape, s.keyWords, s.before);
    if (!pre.has(v.slot)) pre.set(v.slot, v);
  }
  const preState = [...pre.values()];
  const stateMapping = runs.mapped === undefined || ctx.stateMap === undefined ? undefined : mappedPreState(ctx, ctx.stateMap, runs.mapped, pre, n);
  // Immutables of either contract (read inline or through a summarised helper), as the model sets them.
  const immutables = new Map<string, { name: string; type: string; value: string }>();
  for (const f of [...ctx.oldContract.functions, ...ctx.newContract.functions]) {
    if (!f.body.ok) continue;
    for (const b of f.body.blocks) {
      for (const i of b.instrs) {
        if (i.kind !== 'immutable') continue;
        const key = NAMES.immutable(i.name, i.type);
        if (immutables.has(key)) continue;
        const v = a.var(key, i.type.kind === 'bool' ? 'bool' : typeBits(i.type));
        immutables.set(key, { name: i.name, type: typeName(i.type), value: i.type.kind === 'address' ? address(v) : v.toString() });
      }
    }
  }
  const rawArgs = fn.params.map((_, i) => a.var(NAMES.arg(i), 256));
  const calldata = calldataOf(fn, rawArgs, a.var('calldatasize', 256), tails);
  return {
    entryPoint: fn.signature,
    args,
    env,
    preState,
    calldata,
    old: execution(ctx.oldContract, ctx.oldFn, o),
    new: execution(ctx.newContract, ctx.newFn, n),
    differs,
    ...(immutables.size ? { immutables: [...immutables.values()] } : {}),
    ...(o.shownCalls.length + n.shownCalls.length > 0 ? { calls: { old: o.shownCalls, new: n.shownCalls } } : {}),
    ...(runs.balances?.size ? { balances: [...runs.balances].map(([at, b]) => ({ address: address(at), balance: b.toString() })) } : {}),
    ...(runs.blockhashes?.size ? { blockhashes: [...runs.blockhashes].map(([k, h]) => ({ number: k.toString(), hash: hex(h) })) } : {}),
    ...(stateMapping === undefined ? {} : { stateMapping }),
  };
}

/** The new version's own pre-state words (where they differ from the old one's) and the mapped places. */
function mappedPreState(ctx: Context, map: StateMap, mapped: MappedRuns, oldPre: ReadonlyMap<string, StorageValue>, n: SideRun): NonNullable<Counterexample['stateMapping']> {
  const mine = new Map<string, StorageValue>();
  for (const r of mapped.new) {
    const v = storageValue(ctx, r.root, r.shape, r.keys, r.value);
    mine.set(v.slot, v);
  }
  for (const s of n.storage) {
    const v = storageValue(ctx, s.key.root, s.key.shape, s.keyWords, s.before);
    if (!mine.has(v.slot)) mine.set(v.slot, v);
  }
  const newPreState = [...mine.values()].filter((v) => oldPre.get(v.slot)?.value !== v.value);
  const places = mapped.instances.map(({ index, keys }) => {
    const m = map[index]!;
    const shape = 'k'.repeat(m.depth);
    const at = (p: MappedPlace): MappedSlot => {
      const v = storageValue(ctx, p.root, shape, keys, 0n);
      return { name: v.name, slot: v.slot, offset: p.offset, bytes: p.bytes, signed: p.signed };
    };
    return { variable: m.text, old: at(m.old), new: at(m.new) };
  });
  return { newPreState, places };
}

/**
 * The calldata that realises the model's inputs: selector and raw argument words, cut or padded to the
 * model's calldatasize (a short calldata is how the model reaches the decoder's length check). Receive
 * gets empty calldata; fallback one byte, which no selector can match.
 */
function calldataOf(fn: IrFunction, args: readonly bigint[], size: bigint, tails: readonly { at: bigint; word: bigint }[] = []): string {
  if (fn.kind === 'receive') return '0x';
  if (fn.selector === null) return '0x00';
  let full = fn.selector.toString(16).padStart(8, '0') + args.map((w) => w.toString(16).padStart(64, '0')).join('');
  // Byte-string arguments: their length and data words at the offsets the model chose.
  for (const t of tails) {
    const at = Number(t.at) * 2;
    if (full.length < at + 64) full = full.padEnd(at + 64, '0');
    full = full.slice(0, at) + t.word.toString(16).padStart(64, '0') + full.slice(at + 64);
  }
  const fullBytes = BigInt(full.length / 2);
  const bytes = Number(size < fullBytes ? size : fullBytes);
  return '0x' + full.padEnd(bytes * 2, '0').slice(0, bytes * 2);
}

/**
 * The assignment with calldata read as the replay sends it (calldataOf: selector, argument words, byte-
 * string tails, cut to calldatasize): a calldata word at any offset, and so `msg.data` or a slice at an
 * unaligned offset, is then the real one rather than the model's free choice.
 */
export function withLaidOutCalldata(fn: IrFunction, a: Assignment): Assignment {
  const hexData = calldataOf(fn, fn.params.map((_, i) => a.var(NAMES.arg(i), 256)), a.var('calldatasize', 256), calldataTails(fn.params, a)).slice(2);
  const size = BigInt(hexData.length / 2);
  const word = (at: bigint): bigint => (at >= size ? 0n : BigInt('0x' + hexData.slice(Number(at) * 2, Number(at) * 2 + 64).padEnd(64, '0')));
  return {
    var: (name, width) => (name === 'calldatasize' ? size : a.var(name, width)),
    uf: (name, args, widths) => (name === BYTES_NAMES.calldata ? word(args[0]!) : a.uf(name, args, widths)),
  };
}

/** Whether `f` reads calldata other than through its parameters' head words (byte strings, msg.data, slices). */
export function readsCalldata(f: IrFunction): boolean {
  return f.body.ok && f.body.blocks.some((b) => b.instrs.some((i) => i.kind === 'cdload' || i.kind === 'cdbytes' || i.kind === 'cdbytesok' || i.kind === 'cdabihash'));
}

function envNamesRead(f: IrFunction): string[] {
  if (!f.body.ok) return [];
  return f.body.blocks.flatMap((b) => b.instrs.flatMap((i) => (i.kind === 'env' ? [i.name] : [])));
}

function address(v: bigint): string {
  return '0x' + v.toString(16).padStart(40, '0');
}

/** How a value of type `t` reads in a 32-byte word; dirty words are shown raw. */
export function decodeWord(w: bigint, t: ValueType): ShownValue {
  const type = typeName(t);
  switch (t.kind) {
    case 'uint':
      return { type, value: (w & ((1n << BigInt(t.bits)) - 1n)).toString() };
    case 'int': {
      const m = (1n << BigInt(t.bits)) - 1n;
      const x = w & m;
      return { type, value: (x >> BigInt(t.bits - 1) ? x - (m + 1n) : x).toString() };
    }
    case 'bool':
      return { type, value: w === 0n ? 'false' : 'true' };
    case 'address':
      return { type, value: address(w & ((1n << 160n) - 1n)) };
    case 'bytes':
      return { type, value: '0x' + (w >> BigInt(256 - t.size * 8)).toString(16).padStart(t.size * 2, '0') };
  }
}

function decodeArg(w: bigint, t: ValueType): ShownValue {
  const bits = typeBits(t);
  const clean = t.kind === 'int' || t.kind === 'bytes' || bits === 256 ? true : w >> BigInt(bits) === 0n;
  const shown = decodeWord(w, t);
  // ABI coder v2 (0.8) rejects the word; code compiled by solc 0.6/0.7 with coder v1 cleans it instead.
  return clean ? shown : { type: shown.type, value: `${hex(w)} (not a valid ${shown.type}: ABI coder v2 rejects it, v1 cleans it)` };
}

/** The real EVM slot of a storage key (root, then per step of `shape` its key word and/or offset) and a readable name. */
function storageValue(ctx: Context, root: bigint, shape: string, keys: readonly bigint[], value: bigint): StorageValue {
  const steps: ConcreteStep[] = [];
  let j = 0;
  for (const kind of shape) {
    if (kind === 's') {
      // A string mapping key: the key word is the slot keccak256(bytes . slot) itself.
      steps.push({ kind: 'at', slot: keys[j++] ?? 0n });
      continue;
    }
    if (kind === 'd') steps.push({ kind: 'data' });
    else steps.push({ kind: 'key', word: keys[j++] ?? 0n });
    if (kind !== 'k') steps.push({ kind: 'add', n: keys[j++] ?? 0n });
  }
  const slot = slotOf(root, steps);
  const vars = [...ctx.oldContract.storage, ...ctx.newContract.storage].filter((s) => s.slot === root);
  const byteArray = keys.length === 0 && vars.some((s) => isByteArrayName(s.typeLabel)) ? ` ${describeByteArraySlot(value, vars.some((s) => s.typeLabel === 'string') ? 'string' : 'bytes')}` : '';
  return { name: slotName([...ctx.oldContract.storage, ...ctx.newContract.storage], root, shape, keys) + byteArray, slot: hex(slot), value: hex(value) };
}

function execution(c: IrContract, f: IrFunction, r: SideRun): Execution {
  if (r.reverted) {
    return { status: 'revert', returnValues: [], revert: describeRevert(c, r.revertData), storageWrites: [], events: [] };
  }
  const words = r.returnData.slice(1);
  const returnValues = f.returns.map((p, i) => {
    if (isByteArrayName(p.typeName)) return decodeByteArray(words, words[i] ?? 0n, p.typeName);
    const elem = arrayTypeNameElem(p.typeName);
    return elem ? decodeValueArray(words, words[i] ?? 0n, p.typeName, elem) : decodeWord(words[i] ?? 0n, p.type);
  });
  const storageWrites = r.storage.filter((s) => s.after !== s.before).map((s) => storageValueFor(c, s));
  return { status: 'success', returnValues, storageWrites, events: decodeLog(c, r.log) };
}

/** How solc reads a `string`/`bytes` slot word: short form with its bytes, long form's length, or corrupt. */
function describeByteArraySlot(w: bigint, type: string): string {
  const odd = (w & 1n) === 1n;
  const len = odd ? w >> 1n : (w >> 1n) & 0x7fn;
  if (odd !== len >= 32n) return '(corrupt byte array encoding: reading it panics with 0x22)';
  if (odd) return `(long form: ${len} bytes at keccak256(slot))`;
  return `(short form: ${type} ${decodeByteArray([len, w], 0n, type).value})`;
}

/** A byte-string argument as the calldata tails hold it (offset word `offset`). */
function byteArrayArg(offset: bigint, tails: readonly { at: bigint; word: bigint }[], type: string): ShownValue {
  const from = offset + 4n;
  const lenWord = tails.find((t) => t.at === from);
  if (lenWord === undefined) return { type, value: `(offset ${hex(offset)}: the ABI decoder rejects it)` };
  const n = (lenWord.word + 31n) / 32n;
  const data = tails.filter((t) => t.at > from && t.at <= from + 32n * n).map((t) => t.word);
  if (data.length !== Number(n)) return { type, value: `(length ${lenWord.word}: the ABI decoder rejects it)` };
  return decodeByteArray([lenWord.word, ...data], 0n, type);
}

/** A dynamic array argument as the calldata tails hold it: its elements as raw words (offset word `offset`). */
function valueArrayArg(offset: bigint, tails: readonly { at: bigint; word: bigint }[], type: string): ShownValue {
  const from = offset + 4n;
  const lenWord = tails.find((t) => t.at === from);
  if (lenWord === undefined) return { type, value: `(offset ${hex(offset)}: the ABI decoder rejects it)` };
  const data = tails.filter((t) => t.at > from && t.at <= from + 32n * lenWord.word).map((t) => t.word);
  if (BigInt(data.length) !== lenWord.word) return { type, value: `(length ${lenWord.word}: the ABI decoder rejects it)` };
  return { type, value: `[${data.map(hex).join(', ')}]` };
}

/** A `bytes[]`/`string[]` argument as the calldata tails hold it: `[e0, e1, …]`, each element shown as a byte string. */
function bytesArrayArg(offset: bigint, tails: readonly { at: bigint; word: bigint }[], type: string): ShownValue {
  const from = offset + 4n;
  const word = (at: bigint): bigint | undefined => tails.find((t) => t.at === at)?.word;
  const n = word(from);
  if (n === undefined) return { type, value: `(offset ${hex(offset)}: the ABI decoder rejects it)` };
  const elems: string[] = [];
  for (let k = 0n; k < n; k++) {
    const head = word(from + 32n + 32n * k);
    if (head === undefined) return { type, value: `(length ${n}: not laid out)` };
    elems.push(byteArrayArg(from + 28n + head, tails, type.slice(0, -2)).value);
  }
  return { type, value: `[${elems.join(', ')}]` };
}

function isByteArrayName(t: string): boolean {
  return t === 'string' || t === 'bytes';
}

/**
 * A `string`/`bytes` value at byte offset `offset` of ABI words: shown as a JSON string when the bytes are
 * text that round-trips through UTF-8, else as 0x-hex (always for `bytes`).
 */
/** A dynamic array of value types at byte offset `offset` of ABI words: `[e0, e1, …]`, each shown as decodeWord does. */
export function decodeValueArray(words: readonly bigint[], offset: bigint, type: string, elem: ValueType): ShownValue {
  const at = Number(offset / 32n);
  const len = Number(words[at] ?? 0n);
  return { type, value: `[${words.slice(at + 1, at + 1 + len).map((w) => decodeWord(w, elem).value).join(', ')}]` };
}

export function decodeByteArray(words: readonly bigint[], offset: bigint, type: string): ShownValue {
  const at = Number(offset / 32n);
  const len = Number(words[at] ?? 0n);
  const bytes = new Uint8Array(words.slice(at + 1, at + 1 + Math.ceil(len / 32)).flatMap((w) => [...wordBytes(w)]).slice(0, len));
  const hexText = '0x' + [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  if (type === 'string') {
    const text = new TextDecoder().decode(bytes);
    if (hexText === '0x' + [...new TextEncoder().encode(text)].map((b) => b.toString(16).padStart(2, '0')).join('')) return { type, value: JSON.stringify(text) };
  }
  return { type, value: hexText };
}

function storageValueFor(c: IrContract, s: SideRun['storage'][number]): StorageValue {
  return storageValue({ oldContract: c, newContract: c } as Context, s.key.root, s.key.shape, s.keyWords, s.after);
}

function describeRevert(c: IrContract, data: readonly bigint[]): { description: string; data: string } {
  if (data.length <= 1) return { description: 'empty', data: '0x' };
  const sel = data[1]!;
  const words = data.slice(2);
  // data[0] is the byte count: re-raised call output need not fill its last word.
  const raw = ('0x' + sel.toString(16).padStart(8, '0') + words.map((w) => w.toString(16).padStart(64, '0')).join('')).slice(0, 2 + 2 * Number(data[0]!));
  if (sel === 0x4e487b71n) return { description: `Panic(${hex(words[0] ?? 0n)})`, data: raw };
  if (sel === 0x08c379a0n) {
    const len = Number(words[1] ?? 0n);
    const bytes = words.slice(2).flatMap((w) => [...wordBytes(w)]).slice(0, len);
    return { description: `Error(${JSON.stringify(new TextDecoder().decode(new Uint8Array(bytes)))})`, data: raw };
  }
  const err = c.errors.get(sel);
  if (err) {
    const name = err.signature.slice(0, err.signature.indexOf('('));
    return { description: `${name}(${err.params.map((p, i) => (isByteArrayName(p.typeName) ? decodeByteArray(words, words[i] ?? 0n, p.typeName) : decodeWord(words[i] ?? 0n, p.type)).value).join(', ')})`, data: raw };
  }
  return { description: `custom error ${hex(sel)}`, data: raw };
}

function decodeLog(c: IrContract, log: readonly bigint[]): EmittedEvent[] {
  const out: EmittedEvent[] = [];
  const bySelector = new Map<bigint, [string, NonNullable<ReturnType<IrContract['events']['get']>>]>();
  for (const [sig, ev] of c.events) bySelector.set(keccakBig(sig), [sig, ev]);
  let i = 0;
  while (i < log.length) {
    const header = log[i++]!;
    const nt = Number(header >> 32n);
    const nd = Number(header & 0xffffffffn);
    const topics = log.slice(i, i + nt);
    const data = log.slice(i + nt, i + nt + nd);
    i += nt + nd;
    const found = topics[0] === undefined ? undefined : bySelector.get(topics[0]);
    let args: ShownValue[] = [];
    if (found) {
      let ti = 1;
      let di = 0;
      args = found[1].params.map((p) => {
        const elem = arrayTypeNameElem(p.typeName);
        if (!p.indexed && elem) return decodeValueArray(data, data[di++] ?? 0n, p.typeName, elem);
        // An indexed array is its hash, shown as the topic word.
        if (elem) return { type: p.typeName, value: `keccak256 ${hex(topics[ti++] ?? 0n)}` };
        return !p.indexed && isByteArrayName(p.typeName) ? decodeByteArray(data, data[di++] ?? 0n, p.typeName) : decodeWord((p.indexed ? topics[ti++] : data[di++]) ?? 0n, p.type);
      });
    }
    out.push({ signature: found ? found[0] : 'anonymous event', topics: topics.map(hex), data: data.map(hex), args });
  }
  return out;
}

/** Whether `f` calls out or reads its own address or balance (then both are inputs of the counterexample). */
export function usesWorld(f: IrFunction): boolean {
  if (!f.body.ok) return false;
  return f.body.blocks.some((b) => b.instrs.some((i) => i.kind === 'call' || i.kind === 'selfbalance' || i.kind === 'balance' || i.kind === 'hascode' || (i.kind === 'env' && i.name === 'address(this)')));
}
