import { Common, Hardfork, Mainnet } from '@ethereumjs/common';
import { createEVM, EVMError, type ExecResult, type Log, type Message, type PrecompileInput } from '@ethereumjs/evm';
import { Account, Address, bigIntToBytes, bytesToBigInt, bytesToHex, createAddressFromString, hexToBytes, setLengthLeft } from '@ethereumjs/util';
import { decodeErrorResult, decodeFunctionData, encodeFunctionResult, parseAbi, toFunctionSelector, type Hex } from 'viem';

/*
 * A small Foundry stand-in for running the generated reproductions: @ethereumjs/evm (Cancun) with the
 * cheatcodes they use implemented as a precompile at Foundry's cheatcode address, and forge's test
 * protocol (deploy, setUp(), then each test* function; a revert fails the test). Only what the
 * reproductions need; semantics follow Foundry's where they matter (prank consumes the next call at the
 * prank's depth and pays msg.value from the pranked sender; mockCall matches calldata as a prefix and
 * gives a code-less callee one byte of code so extcodesize checks pass).
 */

const VM_ADDRESS = '0x7109709ecfa91a80626ff3989d68f67f5b1dd12d';
/** forge's default sender and test-contract balance. */
const DEFAULT_SENDER = '0x1804c8ab1f12e6bbf3894d4083f33e07309d1f38';
const TEST_BALANCE = (1n << 96n) - 1n;
const GAS = 1_000_000_000n;

const VM_ABI = parseAbi([
  'struct Log { bytes32[] topics; bytes data; address emitter; }',
  'function load(address target, bytes32 slot) view returns (bytes32 data)',
  'function recordLogs()',
  'function getRecordedLogs() view returns (Log[] logs)',
  'function roll(uint256 newHeight)',
  'function warp(uint256 newTimestamp)',
  'function deal(address account, uint256 newBalance)',
  'function etch(address target, bytes newRuntimeBytecode)',
  'function store(address target, bytes32 slot, bytes32 value)',
  'function mockCall(address callee, bytes data, bytes returnData)',
  'function prank(address msgSender)',
  'function prank(address msgSender, address txOrigin)',
  'function chainId(uint256 newChainId)',
  'function fee(uint256 newBasefee)',
  'function prevrandao(bytes32 newPrevrandao)',
  'function coinbase(address newCoinbase)',
]);

export interface TestOutcome {
  readonly name: string;
  readonly passed: boolean;
  /** The revert reason of a failed test (`Error(string)` decoded when possible). */
  readonly reason?: string;
}

interface Prank {
  readonly sender: Address;
  readonly origin?: Address;
  readonly depth: number;
}

/** Runtime code that returns `data` whatever it is called with: CODECOPY the tail, RETURN it. */
function returner(data: Uint8Array): Uint8Array {
  const n = data.length;
  invariant(n < 0x10000, 'mocked return data too long');
  const prefix = [0x61, n >> 8, n & 0xff, 0x60, 14, 0x60, 0, 0x39, 0x61, n >> 8, n & 0xff, 0x60, 0, 0xf3];
  return Uint8Array.from([...prefix, ...data]);
}

function invariant(cond: unknown, msg: string): asserts cond {
  if (!cond) throw new Error(msg);
}

const word = (b: Hex): Uint8Array => setLengthLeft(hexToBytes(b), 32);

/**
 * Deploys `creationCode` and, for every `test*` name among `functions` (the contract's functions), runs
 * setUp() (when present) then the test, each on a fresh EVM as forge does.
 */
export async function runFoundryTests(creationCode: string, functions: readonly string[]): Promise<TestOutcome[]> {
  const out: TestOutcome[] = [];
  for (const name of functions.filter((f) => f.startsWith('test'))) out.push(await runOne(creationCode, name, functions.includes('setUp')));
  return out;
}

async function runOne(creationCode: string, testName: string, hasSetUp: boolean): Promise<TestOutcome> {
  const common = new Common({ chain: Mainnet, hardfork: Hardfork.Cancun });
  const vmAddress = createAddressFromString(VM_ADDRESS);
  // Mutated by warp/roll; the EVM reads block values through this very object.
  const header = {
    number: 1n,
    timestamp: 1n,
    coinbase: new Address(new Uint8Array(20)),
    difficulty: 0n,
    prevRandao: new Uint8Array(32),
    gasLimit: GAS,
    baseFeePerGas: 0n,
    getBlobGasPrice: () => 0n,
  };
  const block = { header };
  const stack: Message[] = [];
  let prank: Prank | undefined;
  let recording = false;
  let recorded: Log[] = [];
  const mocks: { callee: string; data: Uint8Array; ret: Uint8Array }[] = [];
  const restoreOrigin = new Map<Message, Address | undefined>();

  const cheat = async (input: PrecompileInput): Promise<ExecResult> => {
    const sm = input._EVM.stateManager;
    const ok = (returnValue: Hex = '0x'): ExecResult => ({ returnValue: hexToBytes(returnValue), executionGasUsed: 0n });
    let call;
    try {
      call = decodeFunctionData({ abi: VM_ABI, data: bytesToHex(input.data) });
    } catch {
      return { returnValue: new Uint8Array(), executionGasUsed: 0n, exceptionError: new EVMError(EVMError.errorMessages.REVERT) };
    }
    switch (call.functionName) {
      case 'etch':
        await sm.putCode(createAddressFromString(call.args[0]), hexToBytes(call.args[1]));
        return ok();
      case 'store': {
        const v = BigInt(call.args[2]);
        await sm.putStorage(createAddressFromString(call.args[0]), word(call.args[1]), v === 0n ? new Uint8Array() : bigIntToBytes(v));
        return ok();
      }
      case 'load': {
        const v = await sm.getStorage(createAddressFromString(call.args[0]), word(call.args[1]));
        return ok(encodeFunctionResult({ abi: VM_ABI, functionName: 'load', result: bytesToHex(setLengthLeft(v, 32)) }));
      }
      case 'deal': {
        const a = createAddressFromString(call.args[0]);
        const acct = (await sm.getAccount(a)) ?? new Account();
        acct.balance = call.args[1];
        await sm.putAccount(a, acct);
        return ok();
      }
      case 'warp':
        header.timestamp = call.args[0];
        return ok();
      case 'roll':
        header.number = call.args[0];
        return ok();
      case 'chainId': {
        const id = call.args[0];
        common.chainId = () => id;
        return ok();
      }
      case 'fee':
        header.baseFeePerGas = call.args[0];
        return ok();
      case 'prevrandao':
        header.prevRandao = new Uint8Array(hexToBytes(call.args[0]));
        return ok();
      case 'coinbase':
        header.coinbase = createAddressFromString(call.args[0]);
        return ok();
      case 'prank': {
        const self = stack.at(-1);
        invariant(self !== undefined, 'cheatcode called outside a message');
        const origin = call.args[1];
        prank = { sender: createAddressFromString(call.args[0]), ...(origin === undefined ? {} : { origin: createAddressFromString(origin) }), depth: self.depth };
        return ok();
      }
      case 'recordLogs':
        recording = true;
        recorded = [];
        return ok();
      case 'getRecordedLogs': {
        const logs = recorded.map(([address, topics, data]) => ({ topics: topics.map((t) => bytesToHex(t)), data: bytesToHex(data), emitter: bytesToHex(address) }));
        recorded = [];
        return ok(encodeFunctionResult({ abi: VM_ABI, functionName: 'getRecordedLogs', result: logs }));
      }
      case 'mockCall': {
        const callee = createAddressFromString(call.args[0]);
        if ((await sm.getCode(callee)).length === 0) await sm.putCode(callee, Uint8Array.from([0]));
        mocks.push({ callee: callee.toString(), data: hexToBytes(call.args[1]), ret: hexToBytes(call.args[2]) });
        return ok();
      }
    }
  };

  const evm = await createEVM({ common, customPrecompiles: [{ address: vmAddress, function: cheat }], allowUnlimitedContractSize: true });
  const sm = evm.stateManager;
  // Foundry's cheatcode account has code, so solc's extcodesize check before a call passes.
  await sm.putCode(vmAddress, Uint8Array.from([0]));
  const tx = evm as unknown as { _tx: { origin?: Address } };

  evm.events!.on('beforeMessage', (msg: Message) => {
    stack.push(msg);
    const to = msg.to?.toString();
    if (to === undefined || to === VM_ADDRESS) return;
    if (prank !== undefined && msg.depth === prank.depth) {
      msg.caller = prank.sender;
      if (prank.origin !== undefined) {
        restoreOrigin.set(msg, tx._tx.origin);
        tx._tx.origin = prank.origin;
      }
      prank = undefined;
    }
    const mock = mocks.find((m) => m.callee === to && m.data.every((b, i) => msg.data[i] === b));
    if (mock !== undefined) {
      msg.code = returner(mock.ret);
      msg.isCompiled = false;
    }
  });
  evm.events!.on('afterMessage', (result) => {
    const msg = stack.pop();
    invariant(msg !== undefined, 'afterMessage without beforeMessage');
    if (restoreOrigin.has(msg)) tx._tx.origin = restoreOrigin.get(msg);
    // Calls made by the test contract itself (depth 1); a failed call's logs are already dropped.
    if (recording && msg.depth === 1 && msg.to?.toString() !== VM_ADDRESS) recorded.push(...(result.execResult.logs ?? []));
  });

  const sender = createAddressFromString(DEFAULT_SENDER);
  const run = (to: Address | undefined, data: Uint8Array) =>
    evm.runCall({ ...(to === undefined ? {} : { to }), caller: sender, origin: sender, data, gasLimit: GAS, block } as Parameters<typeof evm.runCall>[0]);

  const deployed = await run(undefined, hexToBytes((creationCode.startsWith('0x') ? creationCode : '0x' + creationCode) as Hex));
  if (deployed.execResult.exceptionError !== undefined || deployed.createdAddress === undefined) return { name: testName, passed: false, reason: `deployment failed: ${deployed.execResult.exceptionError?.error}` };
  const test = deployed.createdAddress;
  const acct = (await sm.getAccount(test)) ?? new Account();
  acct.balance = TEST_BALANCE;
  await sm.putAccount(test, acct);

  for (const fn of hasSetUp ? ['setUp', testName] : [testName]) {
    const r = await run(test, hexToBytes(toFunctionSelector(`function ${fn}()`)));
    if (r.execResult.exceptionError !== undefined) return { name: testName, passed: false, reason: `${fn}: ${revertReason(r.execResult.returnValue, r.execResult.exceptionError.error)}` };
  }
  return { name: testName, passed: true };
}

function revertReason(data: Uint8Array, error: string): string {
  if (data.length === 0) return error;
  try {
    const e = decodeErrorResult({ abi: [], data: bytesToHex(data) });
    return `${e.errorName}(${e.args?.map(String).join(', ') ?? ''})`;
  } catch {
    return `${error} ${bytesToHex(data)} (${bytesToBigInt(data.slice(0, 4))})`;
  }
}
