import { assertNever, invariant } from '../util/assert.ts';
import type { SrcLoc } from '../util/loc.ts';
import { successors } from '../ir/validate.ts';
import { U256, isSigned, typeBits, type BinOp, type BlockId, type Instr, type KeccakPart, type IrFunction, type RevertData, type SlotPath, type ValueId, type ValueType, type Word } from '../ir/types.ts';
import { BOOL_SORT, bv, width, type Term, type TermFactory } from './term.ts';
import { NAMES } from './names.ts';
import { keccakBig } from '../util/hash.ts';
import { bytesSlotWord, clearStore, copyStore, havocStore, mergeStores, readBytesToken, readStore, writeStore, type BytesWrite, type CopyWrite, type Key, type Store } from './storage.ts';
import type { Region } from '../ir/summary.ts';
import { summariseRegion } from './summaries.ts';
import { BYTES_NAMES, CD_ABI_HASH, CD_BYTES_OK, calldataCleanName, byteStringHash, mappingKeyHash, concatToken, tokenDataWord, calldataBytesToken, calldataWord, literalToken, preBytesToken, reentBytesToken, storedBytesToken } from './bytes.ts';
import { callDataParts } from '../ir/calldata.ts';
import { abiWord, calldataChunks, concatParts } from './calldata.ts';
import { PRECOMPILE_BITS } from '../util/precompiles.ts';
import { storedElement, SymMemory } from './memory.ts';
import { accountsAfterCall, entryAccounts, mergeAccounts, otherBalance, type Accounts } from './accounts.ts';

/**
 * What one version does at one entry point, as terms over the shared inputs. Revert data, return data
 * and the log are folded into chains of an uninterpreted function `h` (see `chain`): equal chains are
 * equal byte sequences, and any real difference can be exhibited by the solver.
 */
export interface Outcome {
  readonly reverted: Term;
  readonly revertData: Term;
  readonly returnData: Term;
  readonly store: Store;
  readonly log: Term;
  /**
   * Path condition of reaching a loop's unrolling bound (FALSE without loops). The fields above describe
   * the paths that do not: every comparison of outcomes must be restricted to `not exhausted`.
   */
  readonly exhausted: Term;
  /** Each `exhausted` terminator reached, with its path condition, bound and loop location. */
  readonly exhaustions: readonly { readonly pc: Term; readonly bound: number; readonly loc: SrcLoc }[];
  /** The external calls made, in order (kind, target, value, calldata words), as a chain like the log. */
  readonly calls: Term;
  /** Every external call: where it happens, with the storage and balance a re-entrant caller sees. */
  readonly reentry: readonly ReentryPoint[];
  /** Every call and code check on any path, in execution order along each path (for replay stubs). */
  readonly callRecords: readonly CallRecord[];
  /** Lengths of the byte strings read, written and overwritten (a replayable counterexample keeps them small). */
  readonly byteLengths: readonly Term[];
  /** Every failing `assert` (a revert with Panic(0x01) lowered from `assert`), with its path condition. */
  readonly failedAsserts: readonly { readonly pc: Term; readonly loc: SrcLoc }[];
  /** The returned words by position (see SymexecOptions.results); meaningful where `reverted` is false. */
  readonly results?: readonly Term[];
  /** Every `a.balance` read: where, after which calls (`key`), of which address (the replay sets these balances). */
  readonly balanceReads: readonly BalanceRead[];
}

export interface BalanceRead {
  readonly pc: Term;
  readonly to: Term;
}

export type CallRecord =
  /** `raw`: a failure's revert data is the call's return words (`callret`, `callrds`, the assembly re-raise), unless solc re-raises it (see `bubbled`). */
  | { readonly kind: 'call'; readonly pc: Term; readonly key: Term; readonly words: readonly Term[]; readonly ok: Term; readonly rds: Term; readonly afford: Term; readonly raw: boolean }
  | { readonly kind: 'code'; readonly pc: Term; readonly to: Term; readonly has: Term };

export interface ReentryPoint {
  readonly pc: Term;
  /** Identifies the call and every call before it: equal keys are the same call in the same history. */
  readonly key: Term;
  /** The calls made so far, this one included (a chain: compared exactly, see `chainEq`). */
  readonly calls: Term;
  readonly store: Store;
  readonly balance: Term;
  readonly loc: SrcLoc;
  /** The callee has more than the stipend and may re-enter and change storage (else it can only read it). */
  readonly mayWrite: boolean;
}

export const ENV_WIDTH: Record<string, number> = { 'msg.sender': 160, 'msg.value': 256, 'block.timestamp': 256, 'block.number': 256, calldatasize: 256, 'address(this)': 160, 'balance(this)': 256 };

/** Selector of the revert data the model gives a failed callee that solc's own re-raise passes on (4 bytes + one free word). */
export const CALLEE_REVERT_SELECTOR = 0xca11fa11n;

/**
 * A call's output bytes as revert data, arg the call key: one token for the whole revert-data chain (its
 * byte count, `call.rds` at the key, then the first 4 bytes, then the rest in 32-byte words, the last
 * zero-padded: the form every revert data takes). Exact evaluation builds them from the call's return
 * words `call.ret.i`, as the replay's stub callees answer (the first 8 words, zero after; see models.ts).
 * The byte count is inside the token: a symbolic first chain element made the solver time out.
 */
export const CALL_OUTPUT = 'call.out';

/** Return words of a call the model and the replay stubs give (later words are zero). */
export const SHOWN_RETURN_WORDS = 8;

/** Environment inputs a counterexample shows only when an entry point reads them (the EVM replay defaults the rest). */
export const EXTRA_ENV_WIDTH: Record<string, number> = {
  'tx.origin': 160,
  'block.chainid': 256,
  'block.coinbase': 160,
  'block.basefee': 256,
  'block.prevrandao': 256,
  'block.gaslimit': 256,
};

interface Edge {
  readonly pc: Term;
  readonly from: BlockId;
  readonly store: Store;
  /** Memory arrays (see memory.ts): local to the run, never compared. */
  readonly mem: Store;
  readonly log: Term;
  /** Values of the target's phis set directly (the results of a summarised call). */
  readonly bind?: ReadonlyMap<ValueId, Term>;
  readonly calls: Term;
  readonly key: Term;
  readonly balance: Term;
  /** `gasleft()` readings since the last external call on this path. */
  readonly gasReads: Term;
  /** Other accounts' balances (see accounts.ts). */
  readonly acct: Accounts;
  /** The key of the last call that ran code (see `codeKey` in symexec): what code every address has now. */
  readonly codeKey: Term;
}

/** Internal calls and loops to abstract by shared summaries, by the id of their entry block. */
export interface SymexecOptions {
  readonly summarise?: ReadonlyMap<BlockId, Region>;
  /** Also give the returned words as terms (`Outcome.results`): a condition function's boolean. */
  readonly results?: boolean;
  /**
   * Model that a callee without code succeeds with no return data (see `checksCode`). Both versions of a
   * comparison must get the same value: the world they share must be the same.
   */
  readonly codeless?: boolean;
}

/**
 * Whether any of the functions checks an address for code: only then is a callee's lack of code
 * observable apart from its answers, which are free otherwise (no data on success included), so the
 * plain answers keep every other query as small as it was.
 */
export function checksCode(...fns: readonly IrFunction[]): boolean {
  return fns.some((f) => f.body.ok && f.body.blocks.some((b) => b.instrs.some((i) => i.kind === 'hascode')));
}

/** The revert data `assert` lowers to (ir/lower/ops.ts): Panic(0x01), and nothing else produces that description. */
function isAssertFailure(r: RevertData): boolean {
  return r.bubble === undefined && r.description === 'Panic(0x01)';
}

export function sortOf(t: ValueType) {
  return t.kind === 'bool' ? BOOL_SORT : bv(typeBits(t));
}

/** Symbolically executes an (acyclic) IR function, merging paths at joins. */
export function symexec(f: IrFunction, F: TermFactory, opts: SymexecOptions = {}): Outcome {
  invariant(f.body.ok, 'symexec of an unsupported function');
  const { blocks, entry } = f.body;
  const byId = new Map(blocks.map((b) => [b.id, b]));
  const vals = new Map<ValueId, Term>();
  const val = (id: ValueId): Term => {
    const t = vals.get(id);
    invariant(t !== undefined, `value %${id} used before definition`);
    return t;
  };
  const incoming = new Map<BlockId, Edge[]>();
  const reverts: { pc: Term; data: Term }[] = [];
  const returns: { pc: Term; store: Store; log: Term; data: Term; calls: Term }[] = [];
  const returnWords: { pc: Term; words: Term[] }[] = [];
  const reentry: ReentryPoint[] = [];
  const callRecords: CallRecord[] = [];
  const balanceReads: BalanceRead[] = [];
  const callInfo = new Map<ValueId, { key: Term; rds: Term; afford: Term; ok: Term; codeless: Term }>();
  /** Whether the call ran the callee's code (it could be paid for and the callee has code). */
  const ran = (c: { afford: Term; codeless: Term }): Term => (c.codeless === F.FALSE ? c.afford : F.and(c.afford, F.not(c.codeless)));
  const exhaustions: { pc: Term; bound: number; loc: SrcLoc }[] = [];
  const failedAsserts: { pc: Term; loc: SrcLoc }[] = [];
  const E = new Encoder(F);
  /** Failed calls solc itself re-raises (see `bubbled`); every other call's revert data is its return words. */
  const solcReraised = new Set(blocks.flatMap((b) => [...b.instrs.flatMap((i) => (i.kind === 'guard' ? [i.revert] : [])), ...(b.term.kind === 'revert' ? [b.term.data] : [])].flatMap((r) => (!r.raw && r.bubble !== undefined ? [r.bubble] : []))));
  const M = new SymMemory(F, f);
  /** Lengths of the memory arrays allocated (a replayable counterexample keeps them small, as byte strings). */
  const memLens: Term[] = [];
  /** Length terms of byte strings (`sbytes` values), for counting their words. */
  const bytesLen = new Map<ValueId, Term>();
  /** Long-form lengths of stored byte strings a write overwrites (it clears their words). */
  const overwritten: Term[] = [];
  /** Word k of byte strings whose words can be addressed one by one (calldata). */
  const bytesWord = new Map<ValueId, (k: Term) => Term>();
  /** The data of a byte string being stored: a token and its words (constant words, or a calldata byte string). */
  const bytesSource = (data: readonly Word[]): { token: Term; word: (k: Term) => Term } => {
    const one = data[0];
    if (one?.kind === 'bytes') {
      invariant(data.length === 1, 'bstore of a byte string and other words');
      const token = val(one.value);
      // Words not known term by term (a concatenation, a join) are a function of the token.
      return { token, word: bytesWord.get(one.value) ?? ((k: Term) => tokenDataWord(F, token, k)) };
    }
    const consts = data.map((w) => {
      invariant(w.kind === 'const', 'bstore of mixed words');
      return w.word;
    });
    const word = (k: Term) => consts.reduceRight((acc: Term, c, j) => F.ite(F.eq(k, F.bv(256, BigInt(j))), F.bv(256, c), acc), F.bv(256, 0n));
    return { token: literalToken(F, consts), word };
  };

  for (const id of topoOrder(entry, byId)) {
    const b = byId.get(id)!;
    let pc: Term;
    let store: Store;
    let mem: Store;
    let log: Term;
    let calls: Term;
    let key: Term;
    let balance: Term;
    let gasReads: Term;
    let acct: Accounts;
    let codeKey: Term;
    if (id === entry) {
      pc = F.TRUE;
      store = null;
      mem = null;
      log = chainStart(F);
      calls = chainStart(F);
      key = F.bv(256, 0n);
      balance = F.var(NAMES.env('balance(this)'), bv(256));
      gasReads = F.bv(256, 0n);
      acct = entryAccounts(F);
      codeKey = F.bv(256, 0n);
    } else {
      const edges = incoming.get(id) ?? [];
      if (edges.length === 0) continue; // every path into this block was infeasible
      pc = F.or(...edges.map((e) => e.pc));
      store = edges.length === 1 ? edges[0]!.store : mergeStores(F, edges.map((e) => ({ guard: e.pc, store: e.store })));
      mem = edges.length === 1 ? edges[0]!.mem : mergeStores(F, edges.map((e) => ({ guard: e.pc, store: e.mem })));
      log = iteChain(F, edges.map((e) => ({ pc: e.pc, value: e.log })));
      calls = iteChain(F, edges.map((e) => ({ pc: e.pc, value: e.calls })));
      key = iteChain(F, edges.map((e) => ({ pc: e.pc, value: e.key })));
      balance = iteChain(F, edges.map((e) => ({ pc: e.pc, value: e.balance })));
      gasReads = iteChain(F, edges.map((e) => ({ pc: e.pc, value: e.gasReads })));
      acct = mergeAccounts(F, edges, (xs) => iteChain(F, xs));
      codeKey = iteChain(F, edges.map((e) => ({ pc: e.pc, value: e.codeKey })));
      for (const i of b.instrs) {
        if (i.kind !== 'phi') continue;
        const byBlock = new Map(i.incoming.map((x) => [x.block, x.value]));
        vals.set(i.id, iteChain(F, edges.map((e) => ({ pc: e.pc, value: e.bind?.get(i.id) ?? val(byBlock.get(e.from)!) }))));
        // A phi over byte strings is a byte string: its length and words follow the path taken.
        const from = edges.map((e) => (e.bind?.has(i.id) ? undefined : byBlock.get(e.from)));
        const lens = from.map((v) => (v === undefined ? undefined : bytesLen.get(v)));
        if (lens.every((l) => l !== undefined)) bytesLen.set(i.id, iteChain(F, edges.map((e, k) => ({ pc: e.pc, value: lens[k]! }))));
        const ws = from.map((v) => (v === undefined ? undefined : bytesWord.get(v)));
        if (ws.every((w) => w !== undefined)) bytesWord.set(i.id, (k) => iteChain(F, edges.map((e, j) => ({ pc: e.pc, value: ws[j]!(k) }))));
      }
    }
    const region = opts.summarise?.get(id);
    if (region) {
      // The region's blocks get no incoming edges and are skipped (a loop's `exhausted` ends with them):
      // its outputs come from the summary.
      const types = region.results.map((r) => phiType(byId.get(region.exit)!.instrs, r));
      const sum = summariseRegion(F, region, region.inputs.map(val), store, log, types);
      const bad = F.and(pc, sum.reverted);
      if (bad !== F.FALSE) reverts.push({ pc: bad, data: region.constRevert ? E.revertData(region.constRevert, val) : sum.revertData });
      pc = F.and(pc, F.not(sum.reverted));
      if (pc !== F.FALSE) push(incoming, region.exit, { pc, from: id, store: sum.store, mem, log: sum.log, calls, key, balance, gasReads, acct, codeKey, bind: new Map(region.results.map((r, k) => [r, sum.results[k]!])) });
      continue;
    }
    /**
     * Whether address `to` has code now. The running contract has code, precompiles (0x01–0x0a on Cancun)
     * have none; any other address as the world says, a function of the calls that ran code so far
     * (`codeKey`: only they can create or destroy code), so a later check sees what a call found.
     */
    const isPrecompile = (to: Term): Term => F.and(F.op('bvule', F.bv(160, 1n), to), F.op('bvule', to, F.bv(160, 0x0an)));
    const hasCodeNow = (to: Term): Term => {
      const self = F.var(NAMES.env('address(this)'), bv(160));
      return F.or(F.eq(to, self), F.and(F.not(isPrecompile(to)), F.not(F.eq(F.uf('call.code', bv(256), [codeKey, F.zext(96, to)]), F.bv(256, 0n)))));
    };
    for (const i of b.instrs) {
      if (i.kind === 'phi') continue;
      if (i.kind === 'guard') {
        const c = val(i.cond);
        const bad = F.and(pc, F.not(c));
        if (bad !== F.FALSE) reverts.push({ pc: bad, data: bubbled(i.revert) ?? E.revertData(i.revert, val) });
        if (bad !== F.FALSE && isAssertFailure(i.revert)) failedAsserts.push({ pc: bad, loc: i.loc });
        pc = F.and(pc, c);
        continue;
      }
      if (i.kind === 'sstore') {
        const key = E.key(i.slot, val);
        const old = readStore(F, store, key);
        store = writeStore(store, key, E.packWord(old, val(i.value), i.offset, i.type));
        continue;
      }
      if (i.kind === 'emit') {
        // The header counts data words; a byte string's token stands for ceil(len/32) of them.
        const dataWords = i.data.reduce((n: Term, w) => {
          const l = w.kind === 'bytes' ? bytesLen.get(w.value) : undefined;
          return F.op('bvadd', n, l === undefined ? F.bv(256, 1n) : F.op('bvlshr', F.op('bvadd', l, F.bv(256, 31n)), F.bv(256, 5n)));
        }, F.bv(256, 0n));
        const words = [F.op('bvor', F.bv(256, BigInt(i.topics.length) << 32n), dataWords), ...i.topics.map((w) => E.word(w, val)), ...i.data.map((w) => E.word(w, val))];
        log = extendChain(F, log, words);
        continue;
      }
      if (i.kind === 'sload') {
        vals.set(i.id, E.unpackWord(readStore(F, store, E.key(i.slot, val)), i.offset, i.type));
        continue;
      }
      if (i.kind === 'call') {
        const amount = i.amount === null ? F.bv(256, 0n) : val(i.amount);
        // Forwarded bytes (flag bit 48): their length word, then their token (one chain element for all
        // their words); any other calldata: its byte count in the header, then its canonical chunks.
        const fwd = i.forward;
        // With a head (flag bit 49): the head's canonical chunks first, its byte count in the header.
        const head = fwd?.head ? calldataChunks(F, fwd.head, val) : { bytes: 0, chunks: [] };
        const { bytes, chunks } = fwd ? { bytes: head.bytes, chunks: [...head.chunks, val(fwd.len), E.word(fwd.data, val)] } : calldataChunks(F, callDataParts(i), val);
        const header = F.bv(256, ((i.call === 'staticcall' ? 2n : 1n) << 64n) | ((fwd?.head ? 1n : 0n) << 49n) | ((fwd ? 1n : 0n) << 48n) | ((i.gas === undefined ? 0n : 1n) << 40n) | ((i.stipend ? 1n : 0n) << 32n) | BigInt(bytes));
        const words = [header, F.zext(96, val(i.to)), amount, ...(i.gas === undefined ? [] : [val(i.gas)]), ...chunks];
        // The log so far travels with each call: transaction logs are one list in execution order, so an
        // event moved across a call is a difference (the answers below depend on the call alone).
        calls = extendChain(F, calls, [...words, log]);
        // The world's answers are keyed by forwarded bytes through their hash, which exact evaluation
        // computes (a token stands for many words and is no argument of a function).
        const keyWords = fwd ? [...words.slice(0, -1), byteStringHash(F, val(fwd.len), words[words.length - 1]!, false)] : words;
        for (const w of keyWords) key = F.uf('call.key', bv(256), [key, w]);
        gasReads = F.bv(256, 0n);
        // A call with more value than the balance fails without running. A callee without code (as the
        // code check below would find it now) runs nothing: the call succeeds with no return data (the
        // call depth limit is assumed never reached). Otherwise the world answers.
        const balanceBefore = balance;
        const afford = F.op('bvule', amount, balance);
        // A precompile has no code but runs all the same: its answers stay the world's.
        const codeless = opts.codeless ? F.and(F.not(hasCodeNow(val(i.to))), F.not(isPrecompile(val(i.to)))) : F.FALSE;
        const ok = F.and(afford, F.or(codeless, F.not(F.eq(F.uf('call.ok', bv(256), [key]), F.bv(256, 0n)))));
        const rds = F.ite(F.and(afford, F.not(codeless)), F.uf('call.rds', bv(256), [key]), F.bv(256, 0n));
        callInfo.set(i.id, { key, rds, afford, ok, codeless });
        callRecords.push({ kind: 'call', pc, key, words, ok, rds, afford, raw: !solcReraised.has(i.id) });
        vals.set(i.id, ok);
        // Value sent to the contract itself comes straight back.
        const self = F.var(NAMES.env('address(this)'), bv(160));
        const sentTo = F.not(F.eq(val(i.to), self));
        if (i.amount !== null) balance = F.ite(F.and(ok, sentTo), F.op('bvsub', balance, amount), balance);
        let ran: Term | null = null;
        // Any callee can read this contract's state back through its getters (read-only re-entrancy, even
        // under the stipend or STATICCALL), so the state at every call must agree between the versions.
        reentry.push({ pc, key, calls, store, balance: balanceBefore, loc: i.loc, mayWrite: i.call === 'call' && !i.stipend });
        if (i.call === 'call' && !i.stipend) {
          // Only a call that ran and succeeded can leave re-entrant writes behind (a failed one is rolled back).
          const reentered = F.and(ok, F.not(codeless), F.not(F.eq(F.uf('call.reenter', bv(256), [key]), F.bv(256, 0n))));
          store = havocStore(store, key, reentered);
          // Only code that ran (and succeeded) can have created or destroyed code at any address.
          codeKey = F.ite(reentered, key, codeKey);
          balance = F.ite(reentered, F.uf('call.balance', bv(256), [key]), balance);
          ran = reentered;
        }
        if (i.amount !== null || ran !== null) acct = accountsAfterCall(F, acct, { ok, to: val(i.to), amount, sentTo, ran, key });
        continue;
      }
      if (i.kind === 'callret' || i.kind === 'callrds') {
        const c = callInfo.get(i.call);
        invariant(c !== undefined, `result of unknown call %${i.call}`);
        if (i.kind === 'callrds') vals.set(i.id, c.rds);
        else vals.set(i.id, F.ite(F.op('bvult', c.rds, F.bv(256, 32n * BigInt(i.index + 1))), F.bv(256, 0n), F.uf(`call.ret.${i.index}`, bv(256), [c.key])));
        continue;
      }
      if (i.kind === 'hascode') {
        const has = hasCodeNow(val(i.to));
        vals.set(i.id, has);
        callRecords.push({ kind: 'code', pc, to: val(i.to), has });
        continue;
      }
      if (i.kind === 'selfbalance') {
        vals.set(i.id, balance);
        continue;
      }
      if (i.kind === 'balance') {
        // BALANCE of address(this) is SELFBALANCE; any other address's balance is the world's (accounts.ts).
        const self = F.var(NAMES.env('address(this)'), bv(160));
        vals.set(i.id, F.ite(F.eq(val(i.to), self), balance, otherBalance(F, acct, val(i.to))));
        balanceReads.push({ pc, to: val(i.to) });
        continue;
      }
      if (i.kind === 'gasleft') {
        // Gas is not modelled: a reading is shared by both versions at the same position (the calls so
        // far, and the number of readings since the last call), and free otherwise.
        vals.set(i.id, F.uf('gasleft', bv(256), [key, gasReads]));
        gasReads = F.op('bvadd', gasReads, F.bv(256, 1n));
        continue;
      }
      if (i.kind === 'sbytes') {
        // The data of the newest byte-string write to this slot, else of the pre-state (or a re-entrant caller).
        const slot = E.key(i.slot, val);
        const [word, len] = [val(i.word), val(i.len)];
        const pre = storedBytesToken(F, (raw) => preBytesToken(F, slot, len, raw), word, len, i.raw);
        const reent = (callKey: Term) => storedBytesToken(F, (raw) => reentBytesToken(F, callKey, slot, len, raw), word, len, i.raw);
        vals.set(i.id, readBytesToken(F, store, slot, pre, reent));
        bytesLen.set(i.id, len);
        // Its words as stored now (a storage-to-storage copy reads them one by one): the long form's
        // data words, or the short form's slot word (the copy masks both at the length).
        const at = store;
        const odd = F.eq(F.extract(0, 0, word), F.bv(1, 1n));
        bytesWord.set(i.id, (k) => F.ite(odd, readStore(F, at, { root: slot.root, shape: slot.shape + 'd', keys: [...slot.keys, k] }), F.ite(F.eq(k, F.bv(256, 0n)), word, F.bv(256, 0n))));
        continue;
      }
      if (i.kind === 'bcat') {
        vals.set(i.id, concatToken(F, i.parts, val));
        bytesLen.set(i.id, val(i.len));
        continue;
      }
      if (i.kind === 'bkeccak') {
        vals.set(i.id, byteStringHash(F, val(i.len), E.word(i.data, val), i.abi));
        continue;
      }
      if (i.kind === 'sclear') {
        const count = val(i.len);
        overwritten.push(fewWords(F, count));
        store = clearStore(F, store, E.key(i.slot, val), count);
        continue;
      }
      if (i.kind === 'scopy') {
        const count = val(i.len);
        overwritten.push(fewWords(F, count));
        const from: CopyWrite['from'] = i.from === null ? { kind: 'calldata', start: val(i.start!) } : { kind: 'storage', slot: E.key(i.from, val), before: store };
        store = copyStore(F, store, E.key(i.slot, val), { count, from });
        continue;
      }
      if (i.kind === 'bstore') {
        const slot = E.key(i.slot, val);
        const w: BytesWrite = { len: val(i.len), old: val(i.old), ...bytesSource(i.data) };
        overwritten.push(F.ite(F.eq(F.extract(0, 0, w.old), F.bv(1, 1n)), F.op('bvlshr', w.old, F.bv(256, 1n)), F.bv(256, 0n)), w.len);
        store = writeStore(store, slot, w.token, undefined, undefined, w);
        store = writeStore(store, slot, bytesSlotWord(F, w));
        continue;
      }
      if (i.kind === 'cdload') {
        // A head word read at its constant offset (`abi.decode(msg.data[4:], …)`) is that argument's word;
        // the entry's length check has passed before any read. Other offsets stay free (see README).
        const off = val(i.offset);
        const k = off.tag === 'const' && off.value >= 4n && (off.value - 4n) % 32n === 0n ? (off.value - 4n) / 32n : -1n;
        vals.set(i.id, k >= 0n && k < BigInt(f.params.length) ? F.var(NAMES.arg(Number(k)), bv(256)) : calldataWord(F, off));
        continue;
      }
      if (i.kind === 'alloc') {
        const len = val(i.len);
        memLens.push(len);
        let src;
        if (i.src) {
          // The copy reads storage as it is now: the data words of the array whose length is at `src`,
          // element by element as an indexed storage read does (the same terms, see storedElement).
          const at = E.key(i.src, val);
          const now = store;
          src = storedElement(F, (off) => readStore(F, now, { root: at.root, shape: at.shape + 'd', keys: [...at.keys, off] }), i.elem, (op, a, b) => E.binTerm(op, a, b, U256), (w) => E.unpackWord(w, 0, i.elem));
        }
        mem = M.alloc(mem, i.id, i.elem, len, src);
        vals.set(i.id, M.ref(i.id));
        continue;
      }
      if (i.kind === 'mlen') {
        vals.set(i.id, M.len(mem, val(i.ref)));
        continue;
      }
      if (i.kind === 'mload') {
        vals.set(i.id, M.load(mem, val(i.ref), val(i.index), i.type));
        continue;
      }
      if (i.kind === 'mwords') {
        // The elements as output words: a token like a byte string's, of 32 bytes per element.
        const ref = val(i.ref);
        vals.set(i.id, M.words(mem, ref, i.elem));
        bytesLen.set(i.id, F.op('bvshl', M.len(mem, ref), F.bv(256, 5n)));
        continue;
      }
      if (i.kind === 'mstore') {
        mem = M.store(mem, val(i.ref), val(i.index), val(i.value), i.type);
        continue;
      }
      if (i.kind === 'cdclean') {
        // Whether every element word is clean: a function of the calldata (exact evaluation checks each
        // word), independent of the words read one by one, like `cd` itself (an over-approximation).
        vals.set(i.id, F.not(F.eq(F.uf(calldataCleanName(i.type), bv(256), [val(i.start), val(i.len)]), F.bv(256, 0n))));
        continue;
      }
      if (i.kind === 'cdbytesok') {
        // Like `cdclean`: a function of the calldata (exact evaluation checks every element).
        vals.set(i.id, F.not(F.eq(F.uf(CD_BYTES_OK, bv(256), [val(i.start), val(i.len)]), F.bv(256, 0n))));
        continue;
      }
      if (i.kind === 'cdabihash') {
        // A function of the calldata and the value words, shared by both versions (exact evaluation
        // hashes the real encoding); not related to other hash forms of the same bytes.
        const shape = i.items.map((it) => ({ value: 'v', words: 'w', bytesarray: 'b', bytes: 's' })[it.kind]).join('');
        const args = i.items.flatMap((it) => (it.kind === 'value' ? [abiWord(F, val(it.value), it.type)] : [val(it.start), val(it.len)]));
        vals.set(i.id, F.uf(`${CD_ABI_HASH}.${shape}`, bv(256), args));
        continue;
      }
      if (i.kind === 'bzero') {
        const len = val(i.len);
        vals.set(i.id, F.uf(BYTES_NAMES.zero, bv(256), [len]));
        bytesLen.set(i.id, len);
        bytesWord.set(i.id, () => F.bv(256, 0n));
        continue;
      }
      if (i.kind === 'bset') {
        const [data, index, x] = [val(i.data), val(i.index), val(i.value)];
        vals.set(i.id, F.uf(BYTES_NAMES.set, bv(256), [data, index, x]));
        const len = bytesLen.get(i.data);
        if (len !== undefined) bytesLen.set(i.id, len);
        // Word by word: the word holding byte `index` has it replaced, the others are the data's.
        const prev = bytesWord.get(i.data) ?? ((k: Term) => tokenDataWord(F, data, k));
        const shift = F.op('bvshl', F.op('bvsub', F.bv(256, 31n), F.op('bvand', index, F.bv(256, 31n))), F.bv(256, 3n));
        const byte = F.op('bvshl', F.zext(248, x), shift);
        const keep = F.op('bvnot', F.op('bvshl', F.bv(256, 0xffn), shift));
        bytesWord.set(i.id, (k) => {
          const w = prev(k);
          return F.ite(F.eq(k, F.op('bvlshr', index, F.bv(256, 5n))), F.op('bvor', F.op('bvand', w, keep), byte), w);
        });
        continue;
      }
      if (i.kind === 'cdbytes') {
        const start = val(i.start);
        vals.set(i.id, calldataBytesToken(F, start, val(i.len)));
        bytesLen.set(i.id, val(i.len));
        bytesWord.set(i.id, (k) => calldataWord(F, F.op('bvadd', start, F.op('bvshl', k, F.bv(256, 5n)))));
        continue;
      }
      vals.set(i.id, E.value(i, val));
    }
    if (pc === F.FALSE) continue;
    const t = b.term;
    switch (t.kind) {
      case 'jmp':
        push(incoming, t.target, { pc, from: id, store, mem, log, calls, key, balance, gasReads, acct, codeKey });
        break;
      case 'br': {
        const c = val(t.cond);
        const pt = F.and(pc, c);
        const pe = F.and(pc, F.not(c));
        if (pt !== F.FALSE) push(incoming, t.then, { pc: pt, from: id, store, mem, log, calls, key, balance, gasReads, acct, codeKey });
        if (pe !== F.FALSE) push(incoming, t.else, { pc: pe, from: id, store, mem, log, calls, key, balance, gasReads, acct, codeKey });
        break;
      }
      case 'return':
        returns.push({ pc, store, log, calls, data: chainOf(F, [F.bv(256, 32n * BigInt(t.values.length)), ...t.values.map((w) => E.word(w, val))]) });
        if (opts.results) returnWords.push({ pc, words: t.values.map((w) => E.word(w, val)) });
        break;
      case 'revert':
        reverts.push({ pc, data: bubbled(t.data) ?? E.revertData(t.data, val) });
        if (isAssertFailure(t.data)) failedAsserts.push({ pc, loc: t.loc });
        break;
      case 'exhausted':
        exhaustions.push({ pc, bound: t.bound, loc: t.loc });
        break;
      default:
        assertNever(t, 'terminator');
    }
  }
  const reverted = F.or(...reverts.map((r) => r.pc));
  const empty = chainOf(F, [F.bv(256, 0n)]);
  const width = Math.max(0, ...returnWords.map((r) => r.words.length));
  const results = opts.results ? Array.from({ length: width }, (_, k) => iteChain(F, returnWords.map((r) => ({ pc: r.pc, value: r.words[k] ?? F.bv(256, 0n) })))) : undefined;
  return {
    reverted,
    revertData: reverts.length ? iteChain(F, reverts.map((r) => ({ pc: r.pc, value: r.data }))) : empty,
    returnData: returns.length ? iteChain(F, returns.map((r) => ({ pc: r.pc, value: r.data }))) : empty,
    store: returns.length === 0 ? null : returns.length === 1 ? returns[0]!.store : mergeStores(F, returns.map((r) => ({ guard: r.pc, store: r.store }))),
    log: returns.length ? iteChain(F, returns.map((r) => ({ pc: r.pc, value: r.log }))) : chainStart(F),
    exhausted: F.or(...exhaustions.map((x) => x.pc)),
    exhaustions,
    calls: returns.length ? iteChain(F, returns.map((r) => ({ pc: r.pc, value: r.calls }))) : chainStart(F),
    reentry,
    callRecords,
    byteLengths: [...new Set([...bytesLen.values(), ...overwritten, ...memLens])],
    failedAsserts,
    balanceReads,
    ...(results ? { results } : {}),
  };

  /**
   * The output of call `r.bubble` re-raised as revert data (solc's re-raise of a failed callee's revert
   * data, OpenZeppelin's assembly one of any call's returned bytes): its returndatasize bytes, whose words
   * are the return words the call's `callret` reads (`call.ret.i`), as one token (see CALL_OUTPUT); empty
   * when the call could not be paid for (returndatasize is 0 then).
   */
  function bubbled(r: RevertData): Term | null {
    if (r.bubble === undefined) return null;
    const c = callInfo.get(r.bubble);
    invariant(c !== undefined, `revert data of unknown call %${r.bubble}`);
    // solc's re-raise of a failed high-level call: the model gives the callee 4 + 32 bytes of revert data
    // (CALLEE_REVERT_SELECTOR and a free word, what the replay's stubs revert with); a call that could
    // not be paid for has none. Such a call's returned bytes are never read otherwise.
    if (!r.raw) return F.ite(c.afford, chainOf(F, [F.bv(256, 36n), F.bv(256, CALLEE_REVERT_SELECTOR), F.uf('call.rev', bv(256), [c.key])]), chainOf(F, [F.bv(256, 0n)]));
    // Assembly re-raising returned bytes (`data.length` and `abi.decode(data, …)` read them too): exactly
    // the call's output, returndatasize bytes of its return words, one token (CALL_OUTPUT). No test of the
    // size here (an ite on it made queries time out): empty output is a token the solver may think differs
    // from empty revert data (never an unsound answer: exact evaluation gives both as no bytes).
    return F.ite(ran(c), chainOf(F, [F.uf(CALL_OUTPUT, bv(256), [c.key])]), chainOf(F, [F.bv(256, 0n)]));
  }
}

/** `n` big-endian bytes of `x`. */
export function bigBytes(x: bigint, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let k = n - 1; k >= 0; k--) {
    out[k] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}

function phiType(instrs: readonly Instr[], id: ValueId): ValueType {
  const phi = instrs.find((i) => i.kind === 'phi' && i.id === id);
  invariant(phi?.kind === 'phi', `call result %${id} is not a phi`);
  return phi.type;
}

function push(m: Map<BlockId, Edge[]>, k: BlockId, e: Edge): void {
  const l = m.get(k);
  if (l) l.push(e);
  else m.set(k, [e]);
}

function topoOrder(entry: BlockId, byId: Map<BlockId, { term: Parameters<typeof successors>[0] }>): BlockId[] {
  const out: BlockId[] = [];
  const seen = new Set<BlockId>();
  const visit = (id: BlockId) => {
    if (seen.has(id)) return;
    seen.add(id);
    for (const s of successors(byId.get(id)!.term)) visit(s);
    out.push(id);
  };
  visit(entry);
  return out.reverse();
}

/** ite over mutually exclusive cases; the last case is the default (the cases cover every input). */
export function iteChain(F: TermFactory, cases: readonly { pc: Term; value: Term }[]): Term {
  invariant(cases.length > 0, 'empty ite chain');
  let acc = cases[cases.length - 1]!.value;
  for (let i = cases.length - 2; i >= 0; i--) acc = F.ite(cases[i]!.pc, cases[i]!.value, acc);
  return acc;
}

export function chainStart(F: TermFactory): Term {
  return F.bv(256, 0n);
}

export function extendChain(F: TermFactory, acc: Term, words: readonly Term[]): Term {
  for (const w of words) acc = F.uf(NAMES.chain, bv(256), [acc, w]);
  return acc;
}

/**
 * Equality of two chains decided structurally where their shapes are known (through ites and chain
 * links), so the solver cannot make different word sequences collide in `h`.
 */
export function chainEq(F: TermFactory, x: Term, y: Term): Term {
  if (x === y) return F.TRUE;
  const isIte = (t: Term) => t.tag === 'app' && t.fn === 'ite';
  if (isIte(x) && x.tag === 'app') return F.ite(x.args[0]!, chainEq(F, x.args[1]!, y), chainEq(F, x.args[2]!, y));
  if (isIte(y) && y.tag === 'app') return F.ite(y.args[0]!, chainEq(F, x, y.args[1]!), chainEq(F, x, y.args[2]!));
  const link = (t: Term) => t.tag === 'uf' && t.name === NAMES.chain;
  if (link(x) && link(y) && x.tag === 'uf' && y.tag === 'uf') return F.and(F.eq(x.args[1]!, y.args[1]!), chainEq(F, x.args[0]!, y.args[0]!));
  if ((link(x) && y.tag === 'const') || (link(y) && x.tag === 'const')) return F.FALSE;
  return F.eq(x, y);
}

export function chainOf(F: TermFactory, words: readonly Term[]): Term {
  return extendChain(F, chainStart(F), words);
}

/** Semantics of individual instructions as terms. */
class Encoder {
  constructor(private readonly F: TermFactory) {}

  /** The canonical key of a slot path (see storage.ts): offsets summed, one after every hashing step. */
  key(slot: SlotPath, val: (id: ValueId) => Term): Key {
    const F = this.F;
    let root = slot.root;
    const segments: { kind: 'k' | 'd' | 's'; key: Term | null; offset: Term | null }[] = [];
    for (const k of slot.keys) {
      if (k.kind === 'bkey') {
        // keccak256(bytes . root): the string key's hash is the slot itself (see `mappingKeyHash`).
        invariant(segments.length === 0, 'a string mapping key after another hashing step');
        segments.push({ kind: 's', key: mappingKeyHash(F, val(k.len), val(k.value), F.bv(256, root)), offset: null });
        continue;
      }
      if (k.kind === 'add') {
        const n = val(k.value);
        const last = segments[segments.length - 1];
        invariant(last?.kind !== 's', 'an offset after a string mapping key');
        if (last === undefined) {
          // Lowering adds symbolic offsets only after a hashing step; a constant one is part of the root.
          invariant(n.tag === 'const', 'symbolic offset added to a root slot');
          root = (root + n.value) & ((1n << 256n) - 1n);
        } else last.offset = last.offset === null ? n : F.op('bvadd', last.offset, n);
        continue;
      }
      segments.push(k.kind === 'data' ? { kind: 'd', key: null, offset: null } : { kind: 'k', key: this.toWord(val(k.value), k.type), offset: null });
    }
    let shape = '';
    const keys: Term[] = [];
    for (const s of segments) {
      // A mapping entry with an offset step (a struct or fixed-size array value) is 'm'; array data always has one.
      shape += s.kind === 'd' || s.kind === 's' ? s.kind : s.offset === null ? 'k' : 'm';
      if (s.key !== null) keys.push(s.key);
      if (s.kind === 'd' || s.offset !== null) keys.push(s.offset ?? F.bv(256, 0n));
    }
    return { root, shape, keys };
  }

  /** A value as its 32-byte ABI word (also how mapping keys are padded before hashing). */
  toWord(v: Term, t: ValueType): Term {
    return abiWord(this.F, v, t);
  }

  word(w: Word, val: (id: ValueId) => Term): Term {
    if (w.kind === 'bytes') return val(w.value); // a token: one chain element for all its words
    return w.kind === 'const' ? this.F.bv(256, w.word) : this.toWord(val(w.value), w.type);
  }

  revertData(r: RevertData, val: (id: ValueId) => Term): Term {
    const F = this.F;
    if (r.selector === null) return chainOf(F, [F.bv(256, 0n)]);
    return chainOf(F, [F.bv(256, 4n + 32n * BigInt(r.words.length)), F.bv(256, r.selector), ...r.words.map((w) => this.word(w, val))]);
  }

  /** Bytes a value occupies in storage. */
  private storageBytes(t: ValueType): number {
    return t.kind === 'bool' ? 1 : typeBits(t) / 8;
  }

  unpackWord(word: Term, offset: number, t: ValueType): Term {
    const F = this.F;
    const n = this.storageBytes(t);
    const raw = F.extract(8 * (offset + n) - 1, 8 * offset, word);
    return t.kind === 'bool' ? F.not(F.eq(raw, F.bv(8, 0n))) : raw;
  }

  packWord(word: Term, v: Term, offset: number, t: ValueType): Term {
    const F = this.F;
    const n = this.storageBytes(t);
    let bits = t.kind === 'bool' ? F.ite(v, F.bv(8, 1n), F.bv(8, 0n)) : v;
    const lo = 8 * offset;
    const hi = 8 * (offset + n);
    if (lo > 0) bits = F.concat(bits, F.extract(lo - 1, 0, word));
    if (hi < 256) bits = F.concat(F.extract(255, hi, word), bits);
    return bits;
  }

  value(i: Exclude<Instr, { kind: 'phi' | 'guard' | 'sstore' | 'emit' | 'sload' | 'call' | 'callret' | 'callrds' | 'hascode' | 'selfbalance' | 'balance' | 'gasleft' | 'sbytes' | 'cdload' | 'cdbytes' | 'bstore' | 'sclear' | 'scopy' | 'bkeccak' | 'alloc' | 'mlen' | 'mload' | 'mstore' | 'bcat' | 'bzero' | 'bset' | 'mwords' | 'cdclean' | 'cdbytesok' | 'cdabihash' }>, val: (id: ValueId) => Term): Term {
    const F = this.F;
    switch (i.kind) {
      case 'const':
        return i.type.kind === 'bool' ? F.bool(i.value !== 0n) : F.bv(typeBits(i.type), i.value);
      case 'arg':
        return F.var(NAMES.arg(i.index), bv(256));
      case 'env':
        return F.var(NAMES.env(i.name), sortOf(i.type));
      case 'immutable':
        return F.var(NAMES.immutable(i.name, i.type), sortOf(i.type));
      case 'abiok':
        return abiValid(F, val(i.a), i.type);
      case 'bin':
        return this.bin(i.op, val(i.a), val(i.b), i.type);
      case 'un': {
        const a = val(i.a);
        if (i.op === 'not') return F.not(a);
        return F.op(i.op === 'bnot' ? 'bvnot' : 'bvneg', a);
      }
      case 'conv':
        return convert(F, val(i.a), i.from, i.to);
      case 'select':
        return F.ite(val(i.cond), val(i.a), val(i.b));
      case 'keccak':
        return this.keccak(i.parts, val);
      case 'blockhash': {
        const n = val(i.n);
        const back = F.op('bvsub', F.var(NAMES.env('block.number'), bv(256)), n);
        const recent = F.and(F.op('bvule', F.bv(256, 1n), back), F.op('bvule', back, F.bv(256, 256n)));
        return F.ite(recent, F.uf('blockhash', bv(256), [n]), F.bv(256, 0n));
      }
      case 'precompile': {
        // Uninterpreted for the solver, shared by both versions; exact evaluation runs the real function.
        const input = concatParts(F, i.parts, val);
        invariant(input !== null, 'precompile of no bytes');
        return F.uf(NAMES.precompile(i.fn, width(input) / 8), bv(PRECOMPILE_BITS[i.fn]), [input]);
      }
      default:
        return assertNever(i, 'instruction');
    }
  }

  /**
   * keccak256 as one uninterpreted function per input length (`keccak256.<bytes>`) of the input bytes as a
   * bit-vector, shared by both versions; constant inputs are hashed here. The Evaluator computes the real
   * hash, so a counterexample never rests on a value the solver made up.
   */
  keccak(parts: readonly KeccakPart[], val: (id: ValueId) => Term): Term {
    const F = this.F;
    const input = concatParts(F, parts, val);
    if (input === null) return F.bv(256, keccakBig(new Uint8Array()));
    const bytes = width(input) / 8;
    if (input.tag === 'const') return F.bv(256, keccakBig(bigBytes(input.value, bytes)));
    return F.uf(NAMES.keccak(bytes), bv(256), [input]);
  }

  /** A binary operator on terms (as the `bin` instruction). */
  binTerm(op: BinOp, a: Term, b: Term, t: ValueType): Term {
    return this.bin(op, a, b, t);
  }

  private bin(op: BinOp, a: Term, b: Term, t: ValueType): Term {
    const F = this.F;
    const s = isSigned(t);
    switch (op) {
      case 'add':
        return F.op('bvadd', a, b);
      case 'sub':
        return F.op('bvsub', a, b);
      case 'mul':
        return F.op('bvmul', a, b);
      case 'div':
        return F.op(s ? 'bvsdiv' : 'bvudiv', a, b);
      case 'mod':
        return F.op(s ? 'bvsrem' : 'bvurem', a, b);
      case 'div0':
      case 'mod0': {
        // SMT-LIB's division by zero is not the EVM's 0; the quotient term is the one `div`/`mod` make,
        // so Solidity code that tests the divisor first shares it.
        const q = F.op(op === 'div0' ? (s ? 'bvsdiv' : 'bvudiv') : s ? 'bvsrem' : 'bvurem', a, b);
        const w = width(a);
        return F.ite(F.eq(b, F.bv(w, 0n)), F.bv(w, 0n), q);
      }
      case 'exp':
        return power(F, a, b, s).value;
      case 'and':
        return F.op('bvand', a, b);
      case 'or':
        return F.op('bvor', a, b);
      case 'xor':
        return F.op('bvxor', a, b);
      case 'shl':
      case 'shr':
        return shift(F, op, a, b, s);
      case 'eq':
        return F.eq(a, b);
      case 'ne':
        return F.not(F.eq(a, b));
      case 'lt':
        return F.op(s ? 'bvslt' : 'bvult', a, b);
      case 'le':
        return F.op(s ? 'bvsle' : 'bvule', a, b);
      case 'gt':
        return F.op(s ? 'bvslt' : 'bvult', b, a);
      case 'ge':
        return F.op(s ? 'bvsle' : 'bvule', b, a);
      case 'addov': {
        const r = F.op('bvadd', a, b);
        if (!s) return F.op('bvult', r, a);
        const w = width(a);
        const sign = (x: Term) => F.extract(w - 1, w - 1, x);
        return F.and(F.eq(sign(a), sign(b)), F.not(F.eq(sign(r), sign(a))));
      }
      case 'subov': {
        if (!s) return F.op('bvult', a, b);
        const r = F.op('bvsub', a, b);
        const w = width(a);
        const sign = (x: Term) => F.extract(w - 1, w - 1, x);
        return F.and(F.not(F.eq(sign(a), sign(b))), F.not(F.eq(sign(r), sign(a))));
      }
      case 'mulov':
        return F.op(s ? 'smulo' : 'umulo', a, b);
      case 'expov':
        return power(F, a, b, s).overflow;
      case 'land':
        return F.and(a, b);
      case 'lor':
        return F.or(a, b);
      default:
        return assertNever(op, 'binary operator');
    }
  }
}

/** The ABI decoder's validity check of a raw calldata word for a parameter of type `t`. */
export function abiValid(F: TermFactory, w: Term, t: ValueType): Term {
  switch (t.kind) {
    case 'bool':
      return F.op('bvult', w, F.bv(256, 2n));
    case 'uint':
    case 'address': {
      const bits = typeBits(t);
      return bits === 256 ? F.TRUE : F.eq(F.extract(255, bits, w), F.bv(256 - bits, 0n));
    }
    case 'int': {
      const bits = t.bits;
      return bits === 256 ? F.TRUE : F.eq(w, F.sext(256 - bits, F.extract(bits - 1, 0, w)));
    }
    case 'bytes': {
      const bits = 256 - t.size * 8;
      return bits === 0 ? F.TRUE : F.eq(F.extract(bits - 1, 0, w), F.bv(bits, 0n));
    }
  }
}

/** Solidity's value-type conversions. */
export function convert(F: TermFactory, a: Term, from: ValueType, to: ValueType): Term {
  if (from.kind === 'bool' || to.kind === 'bool') {
    invariant(from.kind === to.kind, `conversion ${from.kind} -> ${to.kind}`);
    return a;
  }
  const fw = typeBits(from);
  const tw = typeBits(to);
  if (from.kind === 'bytes' && to.kind === 'bytes') {
    if (tw < fw) return F.extract(fw - 1, fw - tw, a);
    return tw === fw ? a : F.concat(a, F.bv(tw - fw, 0n));
  }
  if (from.kind === 'bytes' || to.kind === 'bytes') {
    invariant(fw === tw, `conversion between bytesN and an integer of another size`);
    return a;
  }
  if (tw < fw) return F.extract(tw - 1, 0, a);
  if (tw > fw) return from.kind === 'int' ? F.sext(tw - fw, a) : F.zext(tw - fw, a);
  return a;
}

function shift(F: TermFactory, op: 'shl' | 'shr', a: Term, amount: Term, signed: boolean): Term {
  const w = width(a);
  const fn = op === 'shl' ? 'bvshl' : signed ? 'bvashr' : 'bvlshr';
  if (w === 256) return F.op(fn, a, amount);
  // Shift amounts are uint256; a shift by >= the width gives 0 (or the sign fill for signed >>).
  const big = F.op('bvule', F.bv(256, BigInt(w)), amount);
  const full = fn === 'bvashr' ? F.op('bvashr', a, F.bv(w, BigInt(w - 1))) : F.bv(w, 0n);
  return F.ite(big, full, F.op(fn, a, F.extract(w - 1, 0, amount)));
}

/**
 * Exponentiation `a ** e` (e is uint256) at a's width: exact for a constant exponent (square and
 * multiply; every intermediate power divides the final one, so an intermediate overflow means the
 * result overflows) and for a constant base (a table over the exponent). Otherwise an uninterpreted
 * function shared by both versions: sound for proofs, and a counterexample that rests on it is checked
 * by concrete execution before it is shown.
 */
export function power(F: TermFactory, a: Term, e: Term, signed: boolean): { value: Term; overflow: Term } {
  const w = width(a);
  const maxU = (1n << BigInt(w)) - 1n;
  const hiS = (1n << BigInt(w - 1)) - 1n;
  const loS = -(1n << BigInt(w - 1));
  const fits = (x: bigint) => (signed ? x >= loS && x <= hiS : x >= 0n && x <= maxU);
  if (e.tag === 'const' && e.value <= 512n) {
    let result = F.bv(w, 1n);
    let overflow = F.FALSE;
    let base = a;
    let n = e.value;
    const mulo = signed ? 'smulo' : 'umulo';
    let first = true;
    while (n > 0n) {
      if (n & 1n) {
        overflow = F.or(overflow, first ? F.FALSE : F.op(mulo, result, base));
        result = first ? base : F.op('bvmul', result, base);
        first = false;
      }
      n >>= 1n;
      if (n > 0n) {
        overflow = F.or(overflow, F.op(mulo, base, base));
        base = F.op('bvmul', base, base);
      }
    }
    return { value: result, overflow };
  }
  if (a.tag === 'const') {
    const b = signed && a.value >> BigInt(w - 1) ? a.value - (1n << BigInt(w)) : a.value;
    if (b === -1n) return { value: F.ite(F.eq(F.extract(0, 0, e), F.bv(1, 1n)), F.bv(w, -1n), F.bv(w, 1n)), overflow: F.FALSE };
    if (b === 0n || b === 1n) return { value: b === 0n ? F.ite(F.eq(e, F.bv(256, 0n)), F.bv(w, 1n), F.bv(w, 0n)) : F.bv(w, 1n), overflow: F.FALSE };
    // Table of exact powers while they fit; beyond that, overflow (checked) or the wrapped value.
    const table: bigint[] = [];
    for (let p = 1n; fits(p) && table.length < 300; p *= b) table.push(p);
    const limit = F.bv(256, BigInt(table.length - 1));
    const over = F.op('bvult', limit, e);
    let value = F.uf(`pow.${signed ? 's' : 'u'}${w}`, bv(w), [a, e]);
    for (let k = table.length - 1; k >= 0; k--) value = F.ite(F.eq(e, F.bv(256, BigInt(k))), F.bv(w, table[k]!), value);
    if (b === 2n && !signed) value = F.ite(over, F.bv(w, 0n), value);
    return { value, overflow: over };
  }
  return {
    value: F.uf(`pow.${signed ? 's' : 'u'}${w}`, bv(w), [a, e]),
    overflow: F.uf(`powov.${signed ? 's' : 'u'}${w}`, BOOL_SORT, [a, e]),
  };
}

/**
 * A stand-in byte length for an array clear's or copy's word count: under 256 (what counterexamples
 * prefer for byte strings) exactly when fewer than 8 words, so a replay clears or copies a handful.
 */
function fewWords(F: TermFactory, count: Term): Term {
  return F.ite(F.op('bvult', count, F.bv(256, 8n)), F.bv(256, 0n), F.bv(256, 256n));
}
