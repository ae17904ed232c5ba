import { Common, Hardfork, Mainnet } from '@ethereumjs/common';
import { createEVM } from '@ethereumjs/evm';
import { ENV_DEFAULTS, type EnvExtras } from '../ir/interp.ts';
import { Address, bytesToHex, createAccount, createAddressFromString, hexToBytes } from '@ethereumjs/util';

/**
 * Runs compiled runtime code on a real EVM (@ethereumjs/evm, hardfork Cancun: the evmVersion patchproof
 * compiles for). Every call gets a fresh world: the contract's code at CONTRACT_ADDRESS, the given
 * storage, a caller funded with exactly `value` (gas price 0), and the given block values.
 *
 * This is the ground truth the symbolic model is checked against: counterexample confirmation, the
 * differential harness and shadow replay all go through `runOnEvm`.
 */

/** Where runtime code lives during a replay. Distinct from any small address the model picks. */
export const CONTRACT_ADDRESS = '0x' + 'c0de'.repeat(10);
/** Gas for one call: ample for straight-line code; gas is never compared, running out is reported as a halt. */
export const GAS_LIMIT = ENV_DEFAULTS.gaslimit;

const M256 = (1n << 256n) - 1n;

/** A call; tx.origin defaults to the sender and further block values to ENV_DEFAULTS. */
export interface EvmCall extends EnvExtras {
  /** 0x-hex calldata. */
  readonly calldata: string;
  readonly sender: bigint;
  readonly value: bigint;
  readonly timestamp: bigint;
  readonly number: bigint;
  /** Extra balance given to the contract before the call (msg.value is added by the call itself). */
  readonly contractBalance?: bigint;
  /** Where the contract runs (`address(this)`); CONTRACT_ADDRESS when absent. */
  readonly self?: bigint;
  /** Runtime code of stub callees by address (see replay/stubs.ts). */
  readonly stubs?: ReadonlyMap<bigint, string>;
  /**
   * Balances of other accounts when the contract starts running (`a.balance`): the sender's is after
   * msg.value has left it, so the sender is funded with this plus the value.
   */
  readonly balances?: ReadonlyMap<bigint, bigint>;
}

export interface EvmLog {
  readonly topics: readonly bigint[];
  /** Raw data, 0x-hex. */
  readonly data: string;
}

export interface EvmRun {
  readonly status: 'success' | 'revert';
  /** An exceptional halt other than REVERT (invalid opcode, out of gas, …): the EVM's error name. */
  readonly halt?: string;
  /** Raw return data on success, raw revert data on REVERT, '0x' after an exceptional halt. */
  readonly output: string;
  /** Logs of a successful run (none after a revert). */
  readonly logs: readonly EvmLog[];
  /** Post-values of every slot in the pre-state, in `watch`, or SSTOREd to, by slot. */
  readonly storage: ReadonlyMap<bigint, bigint>;
  /** Every slot the code wrote (SSTORE executed, at any depth, on the contract). */
  readonly written: ReadonlySet<bigint>;
  /** External calls the contract made (CALL/STATICCALL executed by it), in order, each with the number of its own events before it: an observable output. */
  readonly calls?: readonly { readonly kind: string; readonly to: bigint; readonly value: bigint; readonly stipend: boolean; readonly data: string; readonly logsBefore: number }[];
  /**
   * The gas operand of each call in `calls` (kept apart: without a `{gas: g}` option solc passes all
   * remaining gas, which differs between versions and is never compared).
   */
  readonly callGas?: readonly bigint[];
  /** The results of the contract's `gasleft()` readings, in order (GAS not consumed by a call). */
  readonly gasReadings?: readonly bigint[];
}

const min256 = (x: bigint): bigint => (x > M256 ? M256 : x);
const word = (x: bigint): Uint8Array => hexToBytes(('0x' + (x & M256).toString(16).padStart(64, '0')) as `0x${string}`);
const bytesToBig = (b: Uint8Array): bigint => (b.length === 0 ? 0n : BigInt(bytesToHex(b)));
export const addressHex = (a: bigint): string => '0x' + (a & ((1n << 160n) - 1n)).toString(16).padStart(40, '0');

let common: Common | undefined;

/**
 * Executes one call of `code` (0x-hex runtime bytecode) with `storage` as the contract's pre-state.
 * `watch` names further slots whose post-values are wanted (e.g. slots the model predicts are written).
 */
export async function runOnEvm(code: string, storage: ReadonlyMap<bigint, bigint>, call: EvmCall, watch: Iterable<bigint> = []): Promise<EvmRun> {
  common ??= new Common({ chain: Mainnet, hardfork: Hardfork.Cancun });
  // Each EVM subscribes to its Common's events and never unsubscribes: sharing one Common would keep every
  // call's EVM and state reachable (about 60 kB a call). A copy has its own emitter and costs ~1 µs.
  const chainid = call.chainid ?? ENV_DEFAULTS.chainid;
  const callCommon = common.copy();
  // CHAINID reads Common.chainId(); a custom chain config cannot hold a 256-bit id, so the copy answers it.
  if (chainid !== 1n) callCommon.chainId = () => chainid;
  // BLOCKHASH within the last 256 blocks asks the blockchain; the call's hashes stand in for it (0 elsewhere).
  const hashes = call.blockhashes;
  const blockchain = {
    getBlock: async (n: number) => ({ hash: () => word(hashes?.get(BigInt(n)) ?? 0n) }),
    putBlock: async () => {},
    shallowCopy() {
      return blockchain;
    },
  };
  const evm = await createEVM({ common: callCommon, blockchain });
  const sm = evm.stateManager;
  const contract = createAddressFromString(call.self === undefined ? CONTRACT_ADDRESS : addressHex(call.self));
  await sm.putAccount(contract, createAccount({ nonce: 1n, balance: call.contractBalance ?? 0n }));
  await sm.putCode(contract, hexToBytes((code.startsWith('0x') ? code : '0x' + code) as `0x${string}`));
  for (const [slot, value] of storage) if (value !== 0n) await sm.putStorage(contract, word(slot), word(value));

  const caller = createAddressFromString(addressHex(call.sender));
  const funds = (a: Address): bigint => call.balances?.get(BigInt(a.toString())) ?? 0n;
  if (!caller.equals(contract)) await sm.putAccount(caller, createAccount({ nonce: 0n, balance: min256(call.value + funds(caller)) }));
  for (const [at, stub] of call.stubs ?? []) {
    const a = createAddressFromString(addressHex(at));
    if (a.equals(contract)) continue;
    if (!a.equals(caller)) await sm.putAccount(a, createAccount({ nonce: 1n, balance: funds(a) }));
    await sm.putCode(a, hexToBytes(stub as `0x${string}`));
  }
  for (const [at, balance] of call.balances ?? []) {
    const a = createAddressFromString(addressHex(at));
    if (a.equals(contract) || a.equals(caller) || call.stubs?.has(at & ((1n << 160n) - 1n)) || balance === 0n) continue;
    await sm.putAccount(a, createAccount({ nonce: 0n, balance }));
  }

  const written = new Set<bigint>();
  const calls: { kind: string; to: bigint; value: bigint; stipend: boolean; data: string; logsBefore: number }[] = [];
  const callGas: bigint[] = [];
  const gasReadings: bigint[] = [];
  let gasAt: number | null = null;
  let logCount = 0;
  evm.events!.on('step', (step) => {
    // A GAS the contract executes is `gasleft()` unless a call opcode consumes it at once (solc passes
    // all remaining gas that way); its result is on the stack at the next step of the same frame.
    if (gasAt !== null && step.depth === gasAt && step.address.equals(contract)) {
      if (!/CALL/.test(step.opcode.name)) gasReadings.push(step.stack[step.stack.length - 1] ?? 0n);
      gasAt = null;
    }
    if (step.opcode.name === 'GAS' && step.address.equals(contract)) gasAt = step.depth;
    if (step.opcode.name.startsWith('LOG') && step.address.equals(contract)) logCount++;
    if ((step.opcode.name === 'CALL' || step.opcode.name === 'STATICCALL') && step.address.equals(contract)) {
      const st = step.stack;
      const at = (k: number): bigint => st[st.length - 1 - k] ?? 0n;
      // sha256, ripemd160 and ecrecover are computed by precompiles 0x01–0x03, not calls to the world;
      // the model has no call there (see the `precompile` instruction).
      const target = at(1) & ((1n << 160n) - 1n);
      if (step.opcode.name === 'STATICCALL' && target >= 1n && target <= 3n) return;
      const isCall = step.opcode.name === 'CALL';
      const off = Number(at(isCall ? 3 : 2));
      const len = Number(at(isCall ? 4 : 3));
      const mem = step.memory as Uint8Array;
      const data = new Uint8Array(len);
      for (let j = 0; j < len; j++) data[j] = mem[off + j] ?? 0;
      calls.push({ kind: step.opcode.name.toLowerCase(), to: at(1) & ((1n << 160n) - 1n), value: isCall ? at(2) : 0n, stipend: at(0) <= 2300n, data: bytesToHex(data), logsBefore: logCount });
      callGas.push(at(0));
    }
    if (step.opcode.name === 'SSTORE' && step.address.equals(contract)) {
      const key = step.stack[step.stack.length - 1];
      if (key !== undefined) written.add(key & M256);
    }
  });

  const result = await evm.runCall({
    to: contract,
    caller,
    origin: call.origin === undefined ? caller : createAddressFromString(addressHex(call.origin)),
    data: hexToBytes((call.calldata || '0x') as `0x${string}`),
    value: call.value,
    gasLimit: GAS_LIMIT,
    block: {
      header: {
        number: call.number,
        timestamp: call.timestamp,
        coinbase: new Address(word(call.coinbase ?? ENV_DEFAULTS.coinbase).slice(12)),
        difficulty: 0n,
        prevRandao: word(call.prevrandao ?? ENV_DEFAULTS.prevrandao),
        gasLimit: call.gaslimit ?? ENV_DEFAULTS.gaslimit,
        baseFeePerGas: call.basefee ?? ENV_DEFAULTS.basefee,
        getBlobGasPrice: () => 0n,
      },
    },
  } as Parameters<typeof evm.runCall>[0]);
  const ex = result.execResult;
  const err = ex.exceptionError?.error;
  const reverted = ex.exceptionError !== undefined;
  const halt = reverted && err !== 'revert' ? String(err) : undefined;

  const post = new Map<bigint, bigint>();
  for (const slot of new Set([...storage.keys(), ...watch, ...written])) post.set(slot, bytesToBig(await sm.getStorage(contract, word(slot))));
  const logs = reverted ? [] : (ex.logs ?? []).map(([, topics, data]) => ({ topics: topics.map(bytesToBig), data: bytesToHex(data) }));
  return {
    status: reverted ? 'revert' : 'success',
    ...(halt === undefined ? {} : { halt }),
    output: halt === undefined ? bytesToHex(ex.returnValue) : '0x',
    logs,
    storage: post,
    written,
    calls,
    callGas,
    gasReadings,
  };
}

const big = (_: string, x: unknown): unknown => (typeof x === 'bigint' ? x.toString() : x);

/** Post-value of `slot` after `run`, given the pre-state. */
export function storageAfter(run: EvmRun, pre: ReadonlyMap<bigint, bigint>, slot: bigint): bigint {
  return run.storage.get(slot) ?? pre.get(slot) ?? 0n;
}

const sameLogs = (a: readonly EvmLog[], b: readonly EvmLog[]): boolean =>
  a.length === b.length && a.every((l, i) => l.data === b[i]!.data && l.topics.length === b[i]!.topics.length && l.topics.every((t, j) => t === b[i]!.topics[j]));

/**
 * The observable parts in which two runs from the same pre-state differ: success, revertData (both
 * reverted), returnData, storage, logs (both succeeded). Empty when they are indistinguishable.
 */
export function evmDifference(a: EvmRun, b: EvmRun, pre: ReadonlyMap<bigint, bigint>): string[] {
  if (a.status !== b.status) return ['success'];
  if (a.status === 'revert') return a.output === b.output ? [] : ['revertData'];
  const out: string[] = [];
  if (a.output !== b.output) out.push('returnData');
  const slots = new Set([...a.storage.keys(), ...b.storage.keys()]);
  if ([...slots].some((s) => storageAfter(a, pre, s) !== storageAfter(b, pre, s))) out.push('storage');
  if (!sameLogs(a.logs, b.logs)) out.push('logs');
  if (JSON.stringify(a.calls ?? [], big) !== JSON.stringify(b.calls ?? [], big)) out.push('calls');
  return out;
}

/** A run in one line for reports: `success returning 0x…`, `revert with 0x…`, `halt (out of gas)`. */
export function describeRun(r: EvmRun): string {
  if (r.halt !== undefined) return `exceptional halt (${r.halt})`;
  return r.status === 'success' ? `success returning ${r.output === '0x' ? '(nothing)' : r.output}` : `revert with ${r.output === '0x' ? '(empty data)' : r.output}`;
}
