import {
  concat, decodeFunctionData, encodeAbiParameters, getAddress, hashTypedData, isAddress, keccak256, parseAbi, size, slice, toFunctionSelector, toHex,
  type Hex,
} from 'viem';
import { PatchproofError } from '../frontend/errors.ts';
import type { Governance } from './statement.ts';

/*
 * The governance action a certificate is bound to (`patchproof attach`; proposal.json is documented in
 * the README, "Binding to a proposal"). Each formula is the one the governance contract computes, so the
 * action hash can be compared with what is on chain:
 *  - governor: OpenZeppelin Governor.hashProposal = uint256(keccak256(abi.encode(targets, values,
 *    calldatas, keccak256(bytes(description))))), which is the proposal id.
 *  - timelock / timelock-batch: TimelockController.hashOperation(target, value, data, predecessor, salt)
 *    = keccak256(abi.encode(...)) and hashOperationBatch likewise with arrays. The salt is given, or
 *    derived from a Governor description as GovernorTimelockControl does: v4 salt = descriptionHash, v5
 *    salt = bytes20(governor) ^ descriptionHash.
 *  - bravo: Compound GovernorBravo numbers proposals, so there is no on-chain proposal hash; patchproof
 *    hashes keccak256(abi.encode(targets, values, signatures, calldatas, keccak256(description))) and,
 *    with `eta`, records each action's Compound Timelock txHash keccak256(abi.encode(target, value,
 *    signature, data, eta)).
 *  - safe: safeTxHash, the EIP-712 hash of SafeTx with domain {chainId, verifyingContract} from Safe
 *    1.3.0 on and {verifyingContract} before (1.0.0 to 1.2.0).
 */

export type ProposalKind = Governance['kind'];

const UPGRADE_ABI = parseAbi([
  'function upgradeTo(address newImplementation)',
  'function upgradeToAndCall(address newImplementation, bytes data)',
  'function upgrade(address proxy, address implementation)',
  'function upgradeAndCall(address proxy, address implementation, bytes data)',
  'function multiSend(bytes transactions)',
]);

const SAFE_TX_TYPES = {
  SafeTx: [
    { name: 'to', type: 'address' }, { name: 'value', type: 'uint256' }, { name: 'data', type: 'bytes' }, { name: 'operation', type: 'uint8' },
    { name: 'safeTxGas', type: 'uint256' }, { name: 'baseGas', type: 'uint256' }, { name: 'gasPrice', type: 'uint256' },
    { name: 'gasToken', type: 'address' }, { name: 'refundReceiver', type: 'address' }, { name: 'nonce', type: 'uint256' },
  ],
} as const;

export interface Call {
  readonly target: Hex;
  readonly value: bigint;
  readonly data: Hex;
}

export interface Action {
  readonly kind: ProposalKind;
  readonly actionHash: Hex;
  readonly details: Record<string, string>;
  readonly calls: readonly Call[];
}

/** Reads proposal.json's fields; every defect names the field. */
class Fields {
  constructor(private readonly o: Record<string, unknown>, private readonly file: string) {}
  fail(what: string): never {
    throw new PatchproofError('input', `invalid proposal ${this.file}: ${what}`);
  }
  has(k: string): boolean {
    return this.o[k] !== undefined;
  }
  str(k: string): string {
    const x = this.o[k];
    if (typeof x !== 'string') this.fail(`field ${k} must be a string`);
    return x as string;
  }
  address(k: string, x: unknown = this.o[k]): Hex {
    if (typeof x !== 'string' || !isAddress(x, { strict: false })) this.fail(`field ${k} must be an address, got ${JSON.stringify(x)}`);
    return getAddress(x as string);
  }
  hex(k: string, x: unknown = this.o[k], bytes?: number): Hex {
    if (typeof x !== 'string' || !/^0x([0-9a-fA-F]{2})*$/.test(x) || (bytes !== undefined && x.length !== 2 + 2 * bytes)) this.fail(`field ${k} must be 0x-hex${bytes === undefined ? ' bytes' : ` of ${bytes} bytes`}, got ${JSON.stringify(x)}`);
    return (x as string).toLowerCase() as Hex;
  }
  uint(k: string, x: unknown = this.o[k], dflt?: bigint): bigint {
    if (x === undefined && dflt !== undefined) return dflt;
    if ((typeof x !== 'string' && typeof x !== 'number') || !/^(0x[0-9a-fA-F]+|\d+)$/.test(String(x))) this.fail(`field ${k} must be a non-negative integer (decimal or 0x-hex string), got ${JSON.stringify(x)}`);
    return BigInt(x as string | number);
  }
  array<T>(k: string, each: (x: unknown, at: string) => T): T[] {
    const x = this.o[k];
    if (!Array.isArray(x)) this.fail(`field ${k} must be an array`);
    return (x as unknown[]).map((e, i) => each(e, `${k}[${i}]`));
  }
}

export function parseProposal(data: unknown, file: string): Action {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new PatchproofError('input', `invalid proposal ${file}: not a JSON object`);
  const f = new Fields(data as Record<string, unknown>, file);
  const kind = f.str('kind') as ProposalKind;
  const chain: Record<string, string> = f.has('chainId') ? { chainId: f.uint('chainId').toString() } : {};
  const arrays = () => {
    const targets = f.array('targets', (x, at) => f.address(at, x));
    const values = f.array('values', (x, at) => f.uint(at, x));
    if (values.length !== targets.length) f.fail(`targets has ${targets.length} entries but values has ${values.length}`);
    return { targets, values };
  };
  const descriptionHash = () => keccak256(toHex(f.str('description')));
  switch (kind) {
    case 'governor': {
      const { targets, values } = arrays();
      const calldatas = f.array('calldatas', (x, at) => f.hex(at, x));
      if (calldatas.length !== targets.length) f.fail(`targets has ${targets.length} entries but calldatas has ${calldatas.length}`);
      const dh = descriptionHash();
      const id = keccak256(encodeAbiParameters([{ type: 'address[]' }, { type: 'uint256[]' }, { type: 'bytes[]' }, { type: 'bytes32' }], [targets, values, calldatas, dh]));
      return { kind, actionHash: id, details: { descriptionHash: dh, proposalId: BigInt(id).toString(), ...chain }, calls: targets.map((t, i) => ({ target: t, value: values[i]!, data: calldatas[i]! })) };
    }
    case 'timelock':
    case 'timelock-batch': {
      const predecessor = f.has('predecessor') ? f.hex('predecessor', undefined, 32) : toHex(0n, { size: 32 });
      const salt = timelockSalt(f);
      const calls: Call[] = kind === 'timelock'
        ? [{ target: f.address('target'), value: f.uint('value', undefined, 0n), data: f.hex('data') }]
        : (() => {
            const { targets, values } = arrays();
            const payloads = f.array('payloads', (x, at) => f.hex(at, x));
            if (payloads.length !== targets.length) f.fail(`targets has ${targets.length} entries but payloads has ${payloads.length}`);
            return targets.map((t, i) => ({ target: t, value: values[i]!, data: payloads[i]! }));
          })();
      const id = kind === 'timelock'
        ? keccak256(encodeAbiParameters([{ type: 'address' }, { type: 'uint256' }, { type: 'bytes' }, { type: 'bytes32' }, { type: 'bytes32' }], [calls[0]!.target, calls[0]!.value, calls[0]!.data, predecessor, salt.salt]))
        : keccak256(encodeAbiParameters([{ type: 'address[]' }, { type: 'uint256[]' }, { type: 'bytes[]' }, { type: 'bytes32' }, { type: 'bytes32' }], [calls.map((c) => c.target), calls.map((c) => c.value), calls.map((c) => c.data), predecessor, salt.salt]));
      return { kind, actionHash: id, details: { operationId: id, predecessor, ...salt.details, ...chain }, calls };
    }
    case 'bravo': {
      const { targets, values } = arrays();
      const signatures = f.array('signatures', (x, at) => (typeof x === 'string' ? x : f.fail(`field ${at} must be a string`)));
      const calldatas = f.array('calldatas', (x, at) => f.hex(at, x));
      if (signatures.length !== targets.length || calldatas.length !== targets.length) f.fail(`targets, values, signatures and calldatas must have the same length`);
      const dh = descriptionHash();
      const hash = keccak256(encodeAbiParameters([{ type: 'address[]' }, { type: 'uint256[]' }, { type: 'string[]' }, { type: 'bytes[]' }, { type: 'bytes32' }], [targets, values, signatures, calldatas, dh]));
      const details: Record<string, string> = { descriptionHash: dh, ...chain };
      if (f.has('eta')) {
        const eta = f.uint('eta');
        targets.forEach((t, i) => {
          details[`txHash${i}`] = keccak256(encodeAbiParameters([{ type: 'address' }, { type: 'uint256' }, { type: 'string' }, { type: 'bytes' }, { type: 'uint256' }], [t, values[i]!, signatures[i]!, calldatas[i]!, eta]));
        });
        details.eta = eta.toString();
      }
      // GovernorBravo executes selector(signature) ++ calldata when the signature is not empty.
      const calls = targets.map((t, i) => ({ target: t, value: values[i]!, data: signatures[i] === '' ? calldatas[i]! : concat([toFunctionSelector(`function ${signatures[i]!}`), calldatas[i]!]) }));
      return { kind, actionHash: hash, details, calls };
    }
    case 'safe': {
      const safe = f.address('safe');
      const version = f.str('safeVersion');
      const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
      if (m === null || Number(m[1]) < 1) f.fail(`field safeVersion must be a Safe version from 1.0.0 on, got ${JSON.stringify(version)}`);
      const modern = Number(m![1]) > 1 || Number(m![2]) >= 3;
      if (modern && !f.has('chainId')) f.fail('field chainId is required for Safe 1.3.0 and later (its domain separator includes it)');
      const operation = Number(f.uint('operation', undefined, 0n));
      if (operation > 1) f.fail('field operation must be 0 (call) or 1 (delegatecall)');
      const zero = '0x0000000000000000000000000000000000000000' as Hex;
      const message = {
        to: f.address('to'), value: f.uint('value', undefined, 0n), data: f.hex('data'), operation,
        safeTxGas: f.uint('safeTxGas', undefined, 0n), baseGas: f.uint('baseGas', undefined, 0n), gasPrice: f.uint('gasPrice', undefined, 0n),
        gasToken: f.has('gasToken') ? f.address('gasToken') : zero, refundReceiver: f.has('refundReceiver') ? f.address('refundReceiver') : zero, nonce: f.uint('nonce'),
      };
      const domain = modern ? { chainId: f.uint('chainId'), verifyingContract: safe } : { verifyingContract: safe };
      const h = hashTypedData({ domain, types: SAFE_TX_TYPES, primaryType: 'SafeTx', message });
      // A delegatecall runs the target's code in the Safe: only a MultiSend batch is decoded as such.
      return { kind, actionHash: h, details: { safeTxHash: h, safe, safeVersion: version, domain: modern ? 'chainId+verifyingContract (1.3.0+)' : 'verifyingContract (pre-1.3.0)', operation: String(operation), ...chain }, calls: [{ target: message.to, value: message.value, data: message.data }] };
    }
    default:
      return f.fail(`field kind must be one of governor, timelock, timelock-batch, bravo, safe, got ${JSON.stringify(kind)}`);
  }
}

/** The timelock salt: given, or derived from a Governor description (GovernorTimelockControl, v4 or v5). */
function timelockSalt(f: Fields): { salt: Hex; details: Record<string, string> } {
  if (f.has('salt')) return { salt: f.hex('salt', undefined, 32), details: { salt: f.hex('salt', undefined, 32) } };
  if (!f.has('description')) f.fail('give salt, or description with saltRule v4 or v5 (and governor for v5)');
  const dh = keccak256(toHex(f.str('description')));
  const rule = f.str('saltRule');
  if (rule === 'v4') return { salt: dh, details: { salt: dh, saltRule: 'v4: descriptionHash', descriptionHash: dh } };
  if (rule !== 'v5') f.fail(`field saltRule must be v4 or v5, got ${JSON.stringify(rule)}`);
  const gov = f.address('governor');
  const salt = toHex(BigInt(dh) ^ (BigInt(gov) << 96n), { size: 32 });
  return { salt, details: { salt, saltRule: 'v5: bytes20(governor) ^ descriptionHash', descriptionHash: dh, governor: gov } };
}

export interface Install {
  readonly target: Hex;
  readonly function: string;
  readonly proxy?: Hex;
  readonly implementation: Hex;
}

/** Every implementation the calls install: upgradeTo(AndCall) on a proxy, ProxyAdmin upgrade(AndCall), inside MultiSend batches too. */
export function installsOf(calls: readonly Call[]): Install[] {
  const out: Install[] = [];
  for (const c of calls) {
    if (size(c.data) < 4) continue;
    let d: ReturnType<typeof decodeFunctionData<typeof UPGRADE_ABI>>;
    try {
      d = decodeFunctionData({ abi: UPGRADE_ABI, data: c.data });
    } catch {
      continue; // not an upgrade call: other calls of the proposal install nothing
    }
    switch (d.functionName) {
      case 'upgradeTo':
      case 'upgradeToAndCall':
        out.push({ target: c.target, function: d.functionName, implementation: getAddress(d.args[0]) });
        break;
      case 'upgrade':
      case 'upgradeAndCall':
        out.push({ target: c.target, function: `ProxyAdmin.${d.functionName}`, proxy: getAddress(d.args[0]), implementation: getAddress(d.args[1]) });
        break;
      case 'multiSend':
        out.push(...installsOf(multiSendCalls(d.args[0])));
        break;
      default: {
        const never: never = d;
        throw new Error(`internal error: unexpected call ${String(never)}`);
      }
    }
  }
  return out;
}

/** Safe MultiSend's packed batch: operation (1 byte), to (20), value (32), data length (32), data. */
export function multiSendCalls(packed: Hex): Call[] {
  const out: Call[] = [];
  let at = 0;
  const n = size(packed);
  while (at < n) {
    if (at + 85 > n) throw new PatchproofError('input', `MultiSend batch is truncated at byte ${at}`);
    const to = getAddress(slice(packed, at + 1, at + 21));
    const value = BigInt(slice(packed, at + 21, at + 53));
    const len = Number(BigInt(slice(packed, at + 53, at + 85)));
    if (at + 85 + len > n) throw new PatchproofError('input', `MultiSend batch: transaction at byte ${at} claims ${len} data bytes past the end`);
    out.push({ target: to, value, data: len === 0 ? '0x' : slice(packed, at + 85, at + 85 + len) });
    at += 85 + len;
  }
  return out;
}
