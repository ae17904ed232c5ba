import { assertNever } from '../util/assert.ts';
import { formatLoc, type SrcLoc } from '../util/loc.ts';
import { keccakBig, wordBytes } from '../util/hash.ts';
import { callDataParts } from './calldata.ts';
import { bytesArrayOk, cdAbiEncoding, type ConcreteCdAbiItem } from './cdabi.ts';
import { runPrecompile } from '../util/precompiles.ts';
import { mappingSlot, slotOf, type ConcreteStep } from './slots.ts';
import { byteStringInput, concatBytes, storeBytes, storedBytes } from './interpbytes.ts';
import { Heap, MAX_RUN_ELEMENTS } from './interpmem.ts';
import { isSigned, typeBits, type BinOp, type Block, type BlockId, type Instr, type KeccakPart, type IrContract, type IrFunction, type RevertData, type SlotPath, type UnOp, type ValueId, type ValueType, type Word } from './types.ts';

/**
 * A concrete interpreter for the IR: runs one entry point on concrete calldata, environment and storage.
 * It is a second, independent reading of the IR's semantics (the first is the symbolic executor in
 * `smt/`), written so the two can be checked against each other and both against the EVM. It models
 * exactly what the IR says and refuses, with an InterpreterError, anything it cannot run.
 *
 * Values are held as bigints: a bit-vector value of type t is its unsigned bit pattern in [0, 2^bits(t)),
 * a bool is 0n or 1n.
 */

/** Further environment values; absent ones take ENV_DEFAULTS (tx.origin: the sender), in the interpreter and the EVM replay alike. */
export interface EnvExtras {
  readonly origin?: bigint;
  readonly chainid?: bigint;
  readonly coinbase?: bigint;
  readonly basefee?: bigint;
  readonly prevrandao?: bigint;
  readonly gaslimit?: bigint;
  /** Hashes of recent blocks by number (BLOCKHASH within the last 256 blocks); absent ones are 0. */
  readonly blockhashes?: ReadonlyMap<bigint, bigint>;
}

export interface ConcreteInputs extends EnvExtras {
  /** Full calldata, 0x-hex: the 4-byte selector, then the ABI words. `calldatasize` is its length. */
  readonly calldata: string;
  readonly sender: bigint;
  readonly value: bigint;
  readonly timestamp: bigint;
  readonly number: bigint;
  /** Values of immutables by name, in their type's range (signed types may be given negative). */
  readonly immutables?: ReadonlyMap<string, bigint>;
  /** Pre-state words by real EVM slot; absent slots are 0. */
  readonly storage: ReadonlyMap<bigint, bigint>;
  /** The contract's own address (`address(this)`); required only by code that reads it. */
  readonly self?: bigint;
  /** The contract's balance at entry, msg.value included (defaults to msg.value). */
  readonly balance?: bigint;
  /** The world's answer to each external call (no re-entrancy); required only by code that calls out. */
  readonly world?: World;
}

/** One external call as the callee sees it. */
export interface ExternalCall {
  readonly kind: 'call' | 'staticcall';
  readonly stipend: boolean;
  readonly to: bigint;
  readonly value: bigint;
  /** Calldata, 0x-hex. */
  readonly data: string;
  /** How many events this contract had emitted before the call (logs and calls are one ordered list). */
  readonly logsBefore: number;
  /** The `{gas: g}` option, when the call has one (else all available gas is passed). */
  readonly gas?: bigint;
}

/** The callee's answer: success, and the return data (on success) or revert data (on failure), 0x-hex. */
export interface CallAnswer {
  readonly success: boolean;
  readonly output: string;
}

export interface World {
  /** Whether `to` has code (EXTCODESIZE > 0). */
  hasCode(to: bigint): boolean;
  call(c: ExternalCall): CallAnswer;
  /** The next `gasleft()` reading (gas is not modelled: the caller supplies the readings in order). */
  gasleft?(): bigint;
  /**
   * The balance of `a` (never the contract itself) when the entry point starts, msg.value already taken
   * from the sender. Callees do not re-enter or move ether, so later it is this plus what the contract
   * sent `a` since.
   */
  balance?(a: bigint): bigint;
}

/** Environment values a run is given when its inputs leave them out (shared with the EVM replay). */
export const ENV_DEFAULTS = { chainid: 1n, coinbase: 0n, basefee: 0n, prevrandao: 0n, gaslimit: 30_000_000n } as const;

export interface ConcreteLog {
  readonly topics: readonly bigint[];
  /** ABI-encoded data words, 0x-hex (lowercase). */
  readonly data: string;
}

/**
 * Most words an array clear or copy runs over here (at 22,100 gas for a fresh nonzero word, a 30,000,000
 * gas transaction copies fewer than 1,400); past it the EVM runs out of gas, which the IR does not model.
 */
const MAX_STORAGE_LOOP_WORDS = 1024n;

export interface ConcreteRun {
  /**
   * `exhausted`: the run reached a loop's unrolling bound (an `exhausted` terminator), so the IR says
   * nothing about how it ends; return and revert data are '0x', logs empty and storage the pre-state.
   */
  readonly status: 'success' | 'revert' | 'exhausted';
  /** The loop whose bound the run reached (status `exhausted` only). */
  readonly exhaustedAt?: SrcLoc;
  /**
   * Set with status `exhausted` when the run stopped at a memory allocation too large for any EVM run's
   * gas (see interpmem.ts), or at an array clear or copy (`sclear`, `scopy`) of more words than any
   * transaction's gas pays for: the model assumes enough gas, the EVM cannot have it, so nothing is compared.
   */
  readonly outOfGas?: boolean;
  /** ABI encoding of the return words on success, else '0x'. */
  readonly returnData: string;
  /** Revert data (selector and words) on revert, else '0x'. */
  readonly revertData: string;
  /** The IR's description of the revert (`Panic(0x11)`, `Error("…")`, `empty`, a custom error). */
  readonly revertReason?: string;
  /** Set when the revert is solc <0.8's INVALID (RevertData.invalid): the EVM halts with this error. */
  readonly halt?: 'invalid opcode';
  /** Logs of a successful run (none after a revert). */
  readonly logs: readonly ConcreteLog[];
  /** Post-state: the pre-state with every write applied (the pre-state itself after a revert). */
  readonly storage: ReadonlyMap<bigint, bigint>;
  /** Every slot an sstore wrote, in order of first write (also after a revert, as on the EVM). */
  readonly written: ReadonlySet<bigint>;
  /** External calls made, in order (those of a reverted run too). */
  readonly calls: readonly ExternalCall[];
}

/** The IR (or the inputs) asks for something this interpreter cannot run. Never a guess. */
export class InterpreterError extends Error {
  constructor(message: string, readonly loc?: SrcLoc) {
    super(loc ? `${message} (at ${formatLoc(loc)})` : message);
    this.name = 'InterpreterError';
  }
}

const M256 = (1n << 256n) - 1n;
const mask = (bits: number): bigint => (1n << BigInt(bits)) - 1n;
const toSigned = (x: bigint, bits: number): bigint => (x >> BigInt(bits - 1) ? x - (1n << BigInt(bits)) : x);
const hexWord = (w: bigint): string => w.toString(16).padStart(64, '0');

/**
 * The entry point solc's dispatcher runs for `calldata`: the function whose selector is the first four
 * bytes, else `receive()` for empty calldata, else `fallback()` (calldata of 1–3 bytes or no match).
 */
export function dispatch(c: IrContract, calldata: string): IrFunction {
  const bytes = calldataBytes(calldata);
  const special = (kind: 'receive' | 'fallback'): IrFunction => {
    const f = c.functions.find((x) => x.kind === kind && x.selector === null);
    if (!f) throw new InterpreterError(`contract ${c.name} has no ${kind} entry in its IR`);
    return f;
  };
  if (bytes.length === 0) return special('receive');
  if (bytes.length >= 4) {
    const sel = BigInt('0x' + calldata.slice(2, 10));
    const f = c.functions.find((x) => x.selector === sel);
    if (f) return f;
  }
  return special('fallback');
}

/** Runs `f` on concrete inputs. */
export function interpret(f: IrFunction, inputs: ConcreteInputs): ConcreteRun {
  if (!f.body.ok) throw new InterpreterError(`${f.signature} is unsupported: ${f.body.unsupported.construct}`, f.body.unsupported.loc);
  const cd = calldataBytes(inputs.calldata);
  const { blocks, entry } = f.body;
  const byId = new Map<BlockId, Block>(blocks.map((b) => [b.id, b]));
  const vals = new Map<ValueId, bigint>();
  const storage = new Map(inputs.storage);
  const written = new Set<bigint>();
  const logs: ConcreteLog[] = [];
  const calls: ExternalCall[] = [];
  const answers = new Map<ValueId, CallAnswer>();
  let balance = inputs.balance ?? inputs.value;
  const heap = new Heap();
  /** Value the contract sent each other address by successful calls so far (for `a.balance`). */
  const sent = new Map<bigint, bigint>();

  const val = (id: ValueId, loc: SrcLoc): bigint => {
    const v = vals.get(id);
    if (v === undefined) throw new InterpreterError(`value %${id} used before it was defined`, loc);
    return v;
  };
  // Data words of byte-string values (`sbytes`), apart from the single-word values.
  const seqs = new Map<ValueId, readonly bigint[]>();
  const word = (w: Word, loc: SrcLoc): bigint => {
    if (w.kind === 'bytes') throw new InterpreterError(`byte string %${w.value} used as a single word`, loc);
    return w.kind === 'const' ? checkWord(w.word, loc) : toWord(val(w.value, loc), w.type);
  };
  // A byte-string value's SSA value is a handle into `byteHeap`, so phis over byte strings carry them.
  const byteHeap: (readonly bigint[])[] = [];
  const defineBytes = (id: ValueId, ws: readonly bigint[]): void => {
    seqs.set(id, ws);
    vals.set(id, BigInt(byteHeap.length));
    byteHeap.push(ws);
  };
  const words = (w: Word, loc: SrcLoc): readonly bigint[] => {
    if (w.kind !== 'bytes') return [word(w, loc)];
    const s = seqs.get(w.value) ?? byteHeap[Number(vals.get(w.value) ?? -1n)];
    if (s === undefined) throw new InterpreterError(`byte string %${w.value} used before it was defined`, loc);
    return s;
  };
  const revert = (r: RevertData, loc: SrcLoc): ConcreteRun => ({
    status: 'revert',
    returnData: '0x',
    revertData: r.bubble === undefined ? revertBytes(r, (w) => words(w, loc)) : bubbledBytes(r.bubble, loc),
    revertReason: r.description,
    ...(r.invalid ? { halt: 'invalid opcode' as const } : {}),
    logs: [],
    storage: new Map(inputs.storage),
    written,
    calls,
  });
  // An array clear or copy longer than any gas pays for: the EVM runs out of gas there (not modelled).
  const outOfGas = (loc: SrcLoc): ConcreteRun => ({ status: 'exhausted', exhaustedAt: loc, outOfGas: true, returnData: '0x', revertData: '0x', logs: [], storage: new Map(inputs.storage), written, calls });
  const answer = (id: ValueId, loc: SrcLoc): CallAnswer => {
    const a = answers.get(id);
    if (!a) throw new InterpreterError(`%${id} is not a call that was made`, loc);
    return a;
  };
  // The call's output: its revert data, or (re-raised by assembly) its return data when it succeeded.
  const bubbledBytes = (id: ValueId, loc: SrcLoc): string => answer(id, loc).output.toLowerCase();
  const world = (loc: SrcLoc): World => {
    if (!inputs.world) throw new InterpreterError('external call without a world to answer it', loc);
    return inputs.world;
  };

  let prev: BlockId | null = null;
  let cur: BlockId = entry;
  // The CFG is acyclic, so no run visits more blocks than there are; more means a cycle.
  for (let steps = 0; steps <= blocks.length; steps++) {
    const b = byId.get(cur);
    if (!b) throw new InterpreterError(`jump to missing block b${cur} in ${f.signature}`);
    // Phis read their operands on entry, all at once.
    const phis: [ValueId, bigint][] = [];
    for (const i of b.instrs) {
      if (i.kind !== 'phi') continue;
      const inc = i.incoming.find((x) => x.block === prev);
      if (!inc) throw new InterpreterError(`phi %${i.id} in b${b.id} has no operand for predecessor ${prev === null ? '(entry)' : `b${prev}`}`, i.loc);
      phis.push([i.id, val(inc.value, i.loc)]);
    }
    for (const [id, v] of phis) vals.set(id, v);

    for (const i of b.instrs) {
      switch (i.kind) {
        case 'phi':
          break;
        case 'guard':
          if (!truth(val(i.cond, i.loc), i.loc)) return revert(i.revert, i.loc);
          break;
        case 'sstore': {
          const slot = realSlot(i.slot, (id) => val(id, i.loc), i.loc, (id) => words({ kind: 'bytes', value: id }, i.loc));
          storage.set(slot, packWord(storage.get(slot) ?? 0n, val(i.value, i.loc), i.offset, i.type, i.loc));
          written.add(slot);
          break;
        }
        case 'emit':
          logs.push({ topics: i.topics.map((w) => word(w, i.loc)), data: '0x' + i.data.flatMap((w) => words(w, i.loc)).map(hexWord).join('') });
          break;
        case 'sload': {
          const slot = realSlot(i.slot, (id) => val(id, i.loc), i.loc, (id) => words({ kind: 'bytes', value: id }, i.loc));
          vals.set(i.id, unpackWord(storage.get(slot) ?? 0n, i.offset, i.type, i.loc));
          break;
        }
        case 'call': {
          const value = i.amount === null ? 0n : val(i.amount, i.loc);
          // Forwarded bytes: their data words cut to their length.
          const fwd = i.forward;
          const data = fwd
            ? fwd.head
              ? '0x' + [...keccakInput(fwd.head, (id) => val(id, i.loc), i.loc)].map((x) => x.toString(16).padStart(2, '0')).join('') + hexWord(val(fwd.len, i.loc)) + words(fwd.data, i.loc).map(hexWord).join('')
              : '0x' + words(fwd.data, i.loc).map(hexWord).join('').slice(0, 2 * Number(val(fwd.len, i.loc)))
            : '0x' + [...keccakInput(callDataParts(i), (id) => val(id, i.loc), i.loc)].map((x) => x.toString(16).padStart(2, '0')).join('');
          const gas = i.gas === undefined ? undefined : val(i.gas, i.loc);
          // `stipend` as the EVM sees it: a gas operand of at most 2300.
          const c: ExternalCall = { kind: i.call, stipend: i.stipend || (gas !== undefined && gas <= 2300n), to: val(i.to, i.loc), value, data, logsBefore: logs.length, ...(gas === undefined ? {} : { gas }) };
          calls.push(c);
          // CALL with more value than the balance fails at once, with empty returndata.
          const a: CallAnswer = value > balance ? { success: false, output: '0x' } : world(i.loc).call(c);
          // Value sent to the contract itself comes straight back.
          if (a.success && c.to !== inputs.self) {
            balance -= value;
            sent.set(c.to, (sent.get(c.to) ?? 0n) + value);
          }
          answers.set(i.id, a);
          vals.set(i.id, a.success ? 1n : 0n);
          break;
        }
        case 'callrds':
          vals.set(i.id, BigInt((answer(i.call, i.loc).output.length - 2) / 2));
          break;
        case 'callret': {
          const out = answer(i.call, i.loc).output.slice(2);
          const hexw = out.slice(64 * i.index, 64 * (i.index + 1));
          // Words past returndatasize read as zero (the IR reads only whole words inside it).
          vals.set(i.id, hexw.length < 64 ? 0n : BigInt('0x' + hexw));
          break;
        }
        case 'hascode': {
          // The running contract has code (its runtime code is what executes); precompiles (0x01–0x0a) have none.
          const to = val(i.to, i.loc);
          vals.set(i.id, to === inputs.self || ((to < 1n || to > 0x0an) && world(i.loc).hasCode(to)) ? 1n : 0n);
          break;
        }
        case 'selfbalance':
          vals.set(i.id, balance);
          break;
        case 'balance': {
          const to = val(i.to, i.loc);
          const w = world(i.loc);
          if (to !== inputs.self && !w.balance) throw new InterpreterError('a.balance without a world to answer it', i.loc);
          vals.set(i.id, to === inputs.self ? balance : (w.balance!(to) + (sent.get(to) ?? 0n)) & ((1n << 256n) - 1n));
          break;
        }
        case 'gasleft': {
          const w = world(i.loc);
          if (!w.gasleft) throw new InterpreterError('gasleft() without a world to answer it', i.loc);
          vals.set(i.id, w.gasleft());
          break;
        }
        case 'cdload':
          vals.set(i.id, calldataWordAt(cd, val(i.offset, i.loc)));
          break;
        case 'cdbytesok': {
          const rd = (at: bigint): bigint => calldataWordAt(cd, at);
          vals.set(i.id, bytesArrayOk(rd, BigInt(cd.length), val(i.start, i.loc), val(i.len, i.loc)) ? 1n : 0n);
          break;
        }
        case 'cdabihash': {
          const rd = (at: bigint): bigint => calldataWordAt(cd, at);
          const items = i.items.map((it): ConcreteCdAbiItem => (it.kind === 'value' ? { kind: 'value', word: word({ kind: 'value', value: it.value, type: it.type }, i.loc) } : { kind: it.kind, start: val(it.start, i.loc), len: val(it.len, i.loc) }));
          vals.set(i.id, keccakBig(cdAbiEncoding(rd, BigInt(cd.length), items)));
          break;
        }
        case 'cdclean': {
          const start = val(i.start, i.loc);
          const n = val(i.len, i.loc);
          // The decoder's bounds checks came first: the elements lie inside the calldata.
          if (start + 32n * n > BigInt(cd.length)) throw new InterpreterError(`calldata array [${start}, +${n} words) past the calldata's ${cd.length} bytes`, i.loc);
          let clean = true;
          for (let j = 0n; j < n && clean; j++) clean = abiValid(calldataWordAt(cd, start + 32n * j), i.type);
          vals.set(i.id, clean ? 1n : 0n);
          break;
        }
        case 'cdbytes':
          defineBytes(i.id, calldataBytesWords(cd, val(i.start, i.loc), val(i.len, i.loc), i.loc));
          break;
        case 'sbytes':
          defineBytes(i.id, storedBytes(realSlot(i.slot, (id) => val(id, i.loc), i.loc, (id) => words({ kind: 'bytes', value: id }, i.loc)), val(i.word, i.loc), val(i.len, i.loc), i.raw, storage, i.loc));
          break;
        case 'bkeccak':
          vals.set(i.id, keccakBig(byteStringInput(val(i.len, i.loc), words(i.data, i.loc), i.abi)));
          break;
        case 'bcat':
          defineBytes(i.id, concatBytes(val(i.len, i.loc), i.parts.map((p) => (p.kind === 'bytes' ? { len: val(p.len, i.loc), words: words({ kind: 'bytes', value: p.value }, i.loc) } : { bytes: keccakInput([p.part], (id) => val(id, i.loc), i.loc) })), i.loc));
          break;
        case 'sclear': {
          const n = val(i.len, i.loc);
          if (n > MAX_STORAGE_LOOP_WORDS) return outOfGas(i.loc);
          const base = keccakBig(wordBytes(realSlot(i.slot, (id) => val(id, i.loc), i.loc, (id) => words({ kind: 'bytes', value: id }, i.loc))));
          for (let k = 0n; k < n; k++) {
            storage.set((base + k) & ((1n << 256n) - 1n), 0n);
            written.add((base + k) & ((1n << 256n) - 1n));
          }
          break;
        }
        case 'scopy': {
          const n = val(i.len, i.loc);
          if (n > MAX_STORAGE_LOOP_WORDS) return outOfGas(i.loc);
          const M = (1n << 256n) - 1n;
          const base = keccakBig(wordBytes(realSlot(i.slot, (id) => val(id, i.loc), i.loc)));
          // Every source word is read before any is written (the source is never the target array).
          const words: bigint[] = [];
          if (i.from === null) {
            const start = val(i.start!, i.loc);
            for (let k = 0n; k < n; k++) words.push(calldataWordAt(cd, (start + 32n * k) & M));
          } else {
            const src = keccakBig(wordBytes(realSlot(i.from, (id) => val(id, i.loc), i.loc)));
            for (let k = 0n; k < n; k++) words.push(storage.get((src + k) & M) ?? 0n);
          }
          words.forEach((w, k) => {
            storage.set((base + BigInt(k)) & M, w);
            written.add((base + BigInt(k)) & M);
          });
          break;
        }
        case 'bstore': {
          const slot = realSlot(i.slot, (id) => val(id, i.loc), i.loc, (id) => words({ kind: 'bytes', value: id }, i.loc));
          for (const [s, w] of storeBytes(slot, val(i.old, i.loc), val(i.len, i.loc), i.data.flatMap((w) => words(w, i.loc)), i.loc)) {
            storage.set(s, w);
            written.add(s);
          }
          break;
        }
        case 'alloc': {
          const ref = heap.alloc(val(i.len, i.loc), i.elem, i.src && realSlot(i.src, (id) => val(id, i.loc), i.loc, (id) => words({ kind: 'bytes', value: id }, i.loc)), storage);
          if (ref === null) return { status: 'exhausted', exhaustedAt: i.loc, outOfGas: true, returnData: '0x', revertData: '0x', logs: [], storage: new Map(inputs.storage), written, calls };
          vals.set(i.id, ref);
          break;
        }
        case 'bzero': {
          // As an allocation: too long to run is out of gas (the harness skips such runs).
          const n = val(i.len, i.loc);
          if (n > 32n * MAX_RUN_ELEMENTS) return outOfGas(i.loc);
          defineBytes(i.id, new Array<bigint>(Number((n + 31n) / 32n)).fill(0n));
          break;
        }
        case 'bset': {
          const ws = [...words({ kind: 'bytes', value: i.data }, i.loc)];
          const k = val(i.index, i.loc);
          if (k / 32n >= BigInt(ws.length)) throw new InterpreterError(`byte ${k} written past the byte string's ${ws.length} words`, i.loc);
          const shift = 8n * (31n - (k % 32n));
          const w = ws[Number(k / 32n)]!;
          ws[Number(k / 32n)] = (w & ~(0xffn << shift)) | (val(i.value, i.loc) << shift);
          defineBytes(i.id, ws);
          break;
        }
        case 'mlen':
          vals.set(i.id, heap.len(val(i.ref, i.loc), i.loc));
          break;
        case 'mload':
          vals.set(i.id, heap.load(val(i.ref, i.loc), val(i.index, i.loc), i.loc));
          break;
        case 'mwords':
          defineBytes(i.id, heap.elements(val(i.ref, i.loc), i.loc).map((x) => toWord(x, i.elem)));
          break;
        case 'mstore':
          heap.store(val(i.ref, i.loc), val(i.index, i.loc), val(i.value, i.loc), i.loc);
          break;
        default:
          vals.set(i.id, evalValue(i, (id) => val(id, i.loc), inputs, cd));
      }
    }

    const t = b.term;
    switch (t.kind) {
      case 'jmp':
        prev = cur;
        cur = t.target;
        break;
      case 'br':
        prev = cur;
        cur = truth(val(t.cond, t.loc), t.loc) ? t.then : t.else;
        break;
      case 'return':
        return {
          status: 'success',
          returnData: '0x' + t.values.flatMap((w) => words(w, t.loc)).map(hexWord).join(''),
          revertData: '0x',
          logs,
          storage,
          written,
          calls,
        };
      case 'revert':
        return revert(t.data, t.loc);
      case 'exhausted':
        return { status: 'exhausted', exhaustedAt: t.loc, returnData: '0x', revertData: '0x', logs: [], storage: new Map(inputs.storage), written, calls };
      default:
        return assertNever(t, 'terminator');
    }
  }
  throw new InterpreterError(`${f.signature} visits more blocks than it has: its CFG has a cycle`);
}

function calldataBytes(hex: string): Uint8Array {
  if (!/^0x([0-9a-fA-F]{2})*$/.test(hex)) throw new InterpreterError(`calldata is not 0x-hex of whole bytes: ${hex.slice(0, 20)}`);
  const out = new Uint8Array((hex.length - 2) / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 + 2 * i, 4 + 2 * i), 16);
  return out;
}

/** CALLDATALOAD at a 256-bit offset. */
function calldataWordAt(cd: Uint8Array, offset: bigint): bigint {
  return offset >= BigInt(cd.length) ? 0n : calldataWord(cd, Number(offset));
}

/** The calldata bytes [start, start + len) as zero-padded words (see the `cdbytes` instruction). */
function calldataBytesWords(cd: Uint8Array, start: bigint, len: bigint, loc: SrcLoc): bigint[] {
  // solc's checks let an empty element of a `bytes[]` sit at any offset (one negative as a signed word).
  if (len === 0n) return [];
  if (start + len > BigInt(cd.length)) throw new InterpreterError(`calldata byte string [${start}, +${len}) past the calldata's ${cd.length} bytes`, loc);
  const out: bigint[] = [];
  for (let k = 0n; k < len; k += 32n) {
    let w = 0n;
    for (let j = 0n; j < 32n; j++) w = (w << 8n) | (k + j < len ? BigInt(cd[Number(start + k + j)]!) : 0n);
    out.push(w);
  }
  return out;
}

/** CALLDATALOAD: the 32 bytes at `offset`, zero past the end. */
function calldataWord(cd: Uint8Array, offset: number): bigint {
  let w = 0n;
  for (let j = 0; j < 32; j++) w = (w << 8n) | BigInt(cd[offset + j] ?? 0);
  return w;
}

function checkWord(w: bigint, loc: SrcLoc): bigint {
  if (w < 0n || w > M256) throw new InterpreterError(`constant word ${w} is not a 256-bit word`, loc);
  return w;
}

function truth(v: bigint, loc: SrcLoc): boolean {
  if (v !== 0n && v !== 1n) throw new InterpreterError(`condition is not a bool (${v})`, loc);
  return v === 1n;
}

/** A value's 32-byte ABI word: also how mapping keys are padded before hashing. */
export function toWord(v: bigint, t: ValueType): bigint {
  switch (t.kind) {
    case 'bool':
      return v === 0n ? 0n : 1n;
    case 'uint':
    case 'address':
      return v;
    case 'int':
      return toSigned(v, t.bits) & M256;
    case 'bytes':
      return v << BigInt(256 - t.size * 8);
    default:
      return assertNever(t, 'value type');
  }
}

/** The real EVM slot of a slot path: its steps (mapping keys, array data, offsets) applied to the root in order. */
export function realSlot(path: SlotPath, val: (id: ValueId) => bigint, loc?: SrcLoc, bytesOf?: (id: ValueId) => readonly bigint[]): bigint {
  if (path.root < 0n || path.root > M256) throw new InterpreterError(`root slot ${path.root} is not a word`, loc);
  const steps: ConcreteStep[] = path.keys.map((k) => {
    if (k.kind === 'data') return { kind: 'data' };
    if (k.kind === 'add') {
      const n = val(k.value);
      if (n < 0n || n > M256) throw new InterpreterError(`slot offset ${n} is not a word`, loc);
      return { kind: 'add', n };
    }
    if (k.kind === 'bkey') {
      if (!bytesOf) throw new InterpreterError('a string mapping key without its bytes', loc);
      const len = val(k.len);
      const ws = bytesOf(k.value);
      return { kind: 'bkey', bytes: byteStringInput(len, ws, false) };
    }
    return { kind: 'key', word: toWord(val(k.value), k.type) };
  });
  return slotOf(path.root, steps);
}

export { mappingSlot };

/** Bytes a value of type `t` occupies in storage (a bool takes one byte). */
function storageBytes(t: ValueType): number {
  return t.kind === 'bool' ? 1 : typeBits(t) / 8;
}

function storageRange(offset: number, t: ValueType, loc: SrcLoc): { lo: bigint; m: bigint } {
  const n = storageBytes(t);
  if (!Number.isInteger(offset) || offset < 0 || offset + n > 32) throw new InterpreterError(`storage access of ${n} bytes at offset ${offset} leaves the slot`, loc);
  return { lo: BigInt(8 * offset), m: mask(8 * n) };
}

function unpackWord(w: bigint, offset: number, t: ValueType, loc: SrcLoc): bigint {
  const { lo, m } = storageRange(offset, t, loc);
  const raw = (w >> lo) & m;
  // Reading a bool from storage tests the whole byte for non-zero.
  return t.kind === 'bool' ? (raw === 0n ? 0n : 1n) : raw;
}

function packWord(w: bigint, v: bigint, offset: number, t: ValueType, loc: SrcLoc): bigint {
  const { lo, m } = storageRange(offset, t, loc);
  if (v > m || v < 0n) throw new InterpreterError(`stored value ${v} does not fit its type`, loc);
  return (w & ~(m << lo) & M256) | (v << lo);
}

function revertBytes(r: RevertData, words: (w: Word) => readonly bigint[]): string {
  if (r.selector === null) {
    if (r.words.length > 0) throw new InterpreterError(`revert data without a selector but with words (${r.description})`);
    return '0x';
  }
  if (r.selector < 0n || r.selector > 0xffffffffn) throw new InterpreterError(`revert selector ${r.selector} is not 4 bytes`);
  return '0x' + r.selector.toString(16).padStart(8, '0') + r.words.flatMap(words).map(hexWord).join('');
}

function envValue(name: string, t: ValueType, inputs: ConcreteInputs, cd: Uint8Array, loc: SrcLoc): bigint {
  let v: bigint;
  switch (name) {
    case 'msg.sender':
      v = inputs.sender;
      break;
    case 'msg.value':
      v = inputs.value;
      break;
    case 'block.timestamp':
      v = inputs.timestamp;
      break;
    case 'block.number':
      v = inputs.number;
      break;
    case 'calldatasize':
      v = BigInt(cd.length);
      break;
    case 'tx.origin':
      v = inputs.origin ?? inputs.sender;
      break;
    case 'block.chainid':
      v = inputs.chainid ?? ENV_DEFAULTS.chainid;
      break;
    case 'block.coinbase':
      v = inputs.coinbase ?? ENV_DEFAULTS.coinbase;
      break;
    case 'block.basefee':
      v = inputs.basefee ?? ENV_DEFAULTS.basefee;
      break;
    case 'block.prevrandao':
      v = inputs.prevrandao ?? ENV_DEFAULTS.prevrandao;
      break;
    case 'block.gaslimit':
      v = inputs.gaslimit ?? ENV_DEFAULTS.gaslimit;
      break;
    case 'address(this)':
      if (inputs.self === undefined) throw new InterpreterError('address(this) read without an address given', loc);
      v = inputs.self;
      break;
    default:
      throw new InterpreterError(`unknown environment value ${name}`, loc);
  }
  return inRange(v, t, `${name}`, loc);
}

/** A given input value as the bit pattern of type `t`; out of range is an error, not a wrap. */
function inRange(v: bigint, t: ValueType, what: string, loc: SrcLoc): bigint {
  const bits = typeBits(t);
  const lo = isSigned(t) ? -(1n << BigInt(bits - 1)) : 0n;
  if (t.kind === 'bool' ? v !== 0n && v !== 1n : v < lo || v > mask(bits)) throw new InterpreterError(`${what} = ${v} is out of range for its type`, loc);
  return v & mask(bits);
}

type ValueInstr = Exclude<Instr, { kind: 'phi' | 'guard' | 'sstore' | 'emit' | 'sload' | 'call' | 'callret' | 'callrds' | 'hascode' | 'selfbalance' | 'balance' | 'gasleft' | 'sbytes' | 'cdload' | 'cdbytes' | 'bstore' | 'sclear' | 'scopy' | 'bkeccak' | 'alloc' | 'mlen' | 'mload' | 'mstore' | 'bcat' | 'bzero' | 'bset' | 'mwords' | 'cdclean' | 'cdbytesok' | 'cdabihash' }>;

function evalValue(i: ValueInstr, val: (id: ValueId) => bigint, inputs: ConcreteInputs, cd: Uint8Array): bigint {
  switch (i.kind) {
    case 'const':
      return inRange(i.value, i.type, `constant %${i.id}`, i.loc);
    case 'arg':
      if (!Number.isInteger(i.index) || i.index < 0) throw new InterpreterError(`argument index ${i.index}`, i.loc);
      return calldataWord(cd, 4 + 32 * i.index);
    case 'env':
      return envValue(i.name, i.type, inputs, cd, i.loc);
    case 'immutable': {
      const v = inputs.immutables?.get(i.name);
      if (v === undefined) throw new InterpreterError(`no value given for immutable ${i.name}`, i.loc);
      return inRange(v, i.type, `immutable ${i.name}`, i.loc);
    }
    case 'abiok':
      return abiValid(val(i.a), i.type) ? 1n : 0n;
    case 'bin':
      return binary(i.op, val(i.a), val(i.b), i.type, i.loc);
    case 'un':
      return unary(i.op, val(i.a), i.type);
    case 'conv':
      return convert(val(i.a), i.from, i.to, i.loc);
    case 'select':
      return truth(val(i.cond), i.loc) ? val(i.a) : val(i.b);
    case 'keccak':
      return keccakBig(keccakInput(i.parts, val, i.loc));
    case 'precompile':
      return runPrecompile(i.fn, keccakInput(i.parts, val, i.loc));
    case 'blockhash': {
      const n = val(i.n);
      const back = (inputs.number - n) & M256;
      return back >= 1n && back <= 256n ? (inputs.blockhashes?.get(n) ?? 0n) : 0n;
    }
    default:
      return assertNever(i, 'instruction');
  }
}

/** The bytes a keccak instruction hashes (see KeccakPart). */
export function keccakInput(parts: readonly KeccakPart[], val: (id: ValueId) => bigint, loc?: SrcLoc): Uint8Array {
  const out: number[] = [];
  for (const p of parts) {
    if (!Number.isInteger(p.bytes) || p.bytes < 1 || p.bytes > 32) throw new InterpreterError(`keccak part of ${p.bytes} bytes`, loc);
    let x: bigint;
    if (p.word.kind === 'bytes') throw new InterpreterError('keccak256 of a byte string is not modelled', loc);
    if (p.word.kind === 'const') {
      if (p.word.word < 0n || p.word.word > M256) throw new InterpreterError(`keccak constant ${p.word.word} is not a word`, loc);
      x = p.word.word & mask(8 * p.bytes);
    }
    else if (p.bytes === 32) x = toWord(val(p.word.value), p.word.type);
    else {
      const t = p.word.type;
      if (storageBytes(t) !== p.bytes) throw new InterpreterError(`packed ${typeBits(t)}-bit value in ${p.bytes} bytes`, loc);
      x = val(p.word.value);
    }
    for (let k = p.bytes - 1; k >= 0; k--) out.push(Number((x >> BigInt(8 * k)) & 0xffn));
  }
  return new Uint8Array(out);
}

/** The ABI decoder's check of a raw calldata word for a parameter of type `t`. */
export function abiValid(w: bigint, t: ValueType): boolean {
  switch (t.kind) {
    case 'bool':
      return w < 2n;
    case 'uint':
    case 'address':
      return w >> BigInt(typeBits(t)) === 0n;
    case 'int':
      // Sign-extended from its declared width.
      return (toSigned(w & mask(t.bits), t.bits) & M256) === w;
    case 'bytes':
      return (w & mask(256 - t.size * 8)) === 0n;
    default:
      return assertNever(t, 'value type');
  }
}

/** Solidity's value-type conversions on bit patterns. */
export function convert(a: bigint, from: ValueType, to: ValueType, loc?: SrcLoc): bigint {
  if (from.kind === 'bool' || to.kind === 'bool') {
    if (from.kind !== to.kind) throw new InterpreterError(`conversion ${from.kind} -> ${to.kind}`, loc);
    return a;
  }
  const fw = typeBits(from);
  const tw = typeBits(to);
  if (from.kind === 'bytes' && to.kind === 'bytes') return tw <= fw ? a >> BigInt(fw - tw) : a << BigInt(tw - fw);
  if (from.kind === 'bytes' || to.kind === 'bytes') {
    if (fw !== tw) throw new InterpreterError(`conversion between bytes${fw / 8} and a ${tw}-bit integer`, loc);
    return a;
  }
  if (tw < fw) return a & mask(tw);
  if (tw > fw && from.kind === 'int') return toSigned(a, fw) & mask(tw);
  return a;
}

function unary(op: UnOp, a: bigint, t: ValueType): bigint {
  switch (op) {
    case 'not':
      return a === 0n ? 1n : 0n;
    case 'bnot':
      return ~a & mask(typeBits(t));
    case 'neg':
      return -a & mask(typeBits(t));
    default:
      return assertNever(op, 'unary operator');
  }
}

/** Binary operators at the operand type `t`; comparisons and overflow predicates give bools. */
function binary(op: BinOp, a: bigint, b: bigint, t: ValueType, loc: SrcLoc): bigint {
  const w = typeBits(t);
  const m = mask(w);
  const s = isSigned(t);
  // Numeric values of the operands (signed types as their two's-complement value).
  const na = s ? toSigned(a, w) : a;
  const nb = s ? toSigned(b, w) : b;
  const B = (x: boolean): bigint => (x ? 1n : 0n);
  const fits = (x: bigint): boolean => (s ? x >= -(1n << BigInt(w - 1)) && x < 1n << BigInt(w - 1) : x >= 0n && x <= m);
  switch (op) {
    case 'add':
      return (a + b) & m;
    case 'sub':
      return (a - b) & m;
    case 'mul':
      return (a * b) & m;
    case 'div':
    case 'mod':
      // Division by zero is a Panic guard in the IR; reaching it unguarded is a lowering bug.
      if (b === 0n) throw new InterpreterError(`${op} by zero reached without a guard`, loc);
      // bigint division truncates toward zero and the remainder takes the dividend's sign, as in Solidity.
      return (op === 'div' ? na / nb : na % nb) & m;
    case 'div0':
    case 'mod0':
      if (b === 0n) return 0n;
      return (op === 'div0' ? na / nb : na % nb) & m;
    case 'exp':
      return power(na, b, w, s).value;
    case 'and':
      return a & b;
    case 'or':
      return a | b;
    case 'xor':
      return a ^ b;
    case 'shl':
      // The shift amount is a uint256; shifting by the width or more leaves nothing (sign fill for signed >>).
      return b >= BigInt(w) ? 0n : (a << b) & m;
    case 'shr':
      if (s) return (na >> (b >= BigInt(w) ? BigInt(w) : b)) & m;
      return b >= BigInt(w) ? 0n : a >> b;
    case 'eq':
      return B(a === b);
    case 'ne':
      return B(a !== b);
    case 'lt':
      return B(na < nb);
    case 'le':
      return B(na <= nb);
    case 'gt':
      return B(na > nb);
    case 'ge':
      return B(na >= nb);
    case 'addov':
      return B(!fits(na + nb));
    case 'subov':
      return B(!fits(na - nb));
    case 'mulov':
      return B(!fits(na * nb));
    case 'expov':
      return B(power(na, b, w, s).overflow);
    case 'land':
      return B(truth(a, loc) && truth(b, loc));
    case 'lor':
      return B(truth(a, loc) || truth(b, loc));
    default:
      return assertNever(op, 'binary operator');
  }
}

/** base ** e at width w: the wrapped value, and whether the exact result leaves the type's range. */
function power(base: bigint, e: bigint, w: number, signed: boolean): { value: bigint; overflow: boolean } {
  const m = mask(w);
  let value = 1n;
  let b = base & m;
  for (let n = e; n > 0n; n >>= 1n) {
    if (n & 1n) value = (value * b) & m;
    b = (b * b) & m;
  }
  let exact: bigint;
  if (base === 0n) exact = e === 0n ? 1n : 0n;
  else if (base === 1n) exact = 1n;
  else if (base === -1n) exact = e & 1n ? -1n : 1n;
  else {
    // |base| >= 2: past 2^(w+1) in magnitude it overflows whatever follows, so stop there.
    const bound = 1n << BigInt(w + 1);
    exact = 1n;
    for (let i = 0n; i < e && exact <= bound && exact >= -bound; i++) exact *= base;
  }
  const overflow = signed ? exact < -(1n << BigInt(w - 1)) || exact >= 1n << BigInt(w - 1) : exact > m;
  return { value, overflow };
}
