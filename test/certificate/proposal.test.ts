import { concat, encodeAbiParameters, encodeFunctionData, encodePacked, getAddress, keccak256, parseAbi, parseAbiParameters, toBytes, toHex, type Hex } from 'viem';
import { describe, expect, it } from 'vitest';
import { PatchproofError } from '../../src/frontend/errors.ts';
import { installsOf, multiSendCalls, parseProposal } from '../../src/certificate/proposal.ts';

/*
 * Known answers: each expected value is computed here from the contracts' own formulas with viem's
 * primitives (abi encoding, keccak256), written out independently of src/certificate/proposal.ts; the
 * Safe type hashes are the constants in Safe's contracts (GnosisSafe.sol / Safe.sol).
 */

const PROXY = getAddress('0x00000000000000000000000000000000000000bb');
const IMPL = '0x1111111111111111111111111111111111111111' as Hex;
const OTHER = '0x2222222222222222222222222222222222222222' as Hex;
const GOVERNOR = '0x3333333333333333333333333333333333333333' as Hex;
const SAFE = '0x4444444444444444444444444444444444444444' as Hex;
const ADMIN = '0x5555555555555555555555555555555555555555' as Hex;
const abi = parseAbi([
  'function upgradeTo(address)',
  'function upgradeToAndCall(address,bytes)',
  'function upgrade(address,address)',
  'function upgradeAndCall(address,address,bytes)',
  'function multiSend(bytes)',
  'function setFee(uint256)',
]);
const upgradeTo = (impl: Hex) => encodeFunctionData({ abi, functionName: 'upgradeTo', args: [impl] });
const upgradeToAndCall = (impl: Hex) => encodeFunctionData({ abi, functionName: 'upgradeToAndCall', args: [impl, '0x8129fc1c'] });
const description = '# Upgrade the vault\n\nFixes the withdraw rounding.';
const descriptionHash = keccak256(toBytes(description));

function fails(f: () => unknown, message: string | RegExp): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(PatchproofError);
  expect((err as Error).message).toMatch(message);
}

describe('action hashes (known answers)', () => {
  it('OpenZeppelin Governor: hashProposal = keccak256(abi.encode(targets, values, calldatas, descriptionHash))', () => {
    const calldatas = [upgradeToAndCall(IMPL), encodeFunctionData({ abi, functionName: 'setFee', args: [5n] })];
    const a = parseProposal({ kind: 'governor', targets: [PROXY, PROXY], values: ['0', 7], calldatas, description }, 'p.json');
    const expected = keccak256(encodeAbiParameters(parseAbiParameters('address[], uint256[], bytes[], bytes32'), [[PROXY, PROXY], [0n, 7n], calldatas, descriptionHash]));
    expect(a.actionHash).toBe(expected);
    expect(a.details.proposalId).toBe(BigInt(expected).toString());
    expect(a.details.descriptionHash).toBe(descriptionHash);
  });

  it('TimelockController: hashOperation with an explicit salt, and the v4 / v5 Governor salt rules', () => {
    const data = upgradeTo(IMPL);
    const pred = toHex(9n, { size: 32 });
    const op = (salt: Hex) => keccak256(encodeAbiParameters(parseAbiParameters('address, uint256, bytes, bytes32, bytes32'), [PROXY, 0n, data, pred, salt]));
    const salt = toHex(42n, { size: 32 });
    expect(parseProposal({ kind: 'timelock', target: PROXY, value: '0', data, predecessor: pred, salt }, 'p.json').actionHash).toBe(op(salt));
    // v4 GovernorTimelockControl: salt = descriptionHash.
    expect(parseProposal({ kind: 'timelock', target: PROXY, data, predecessor: pred, description, saltRule: 'v4' }, 'p.json').actionHash).toBe(op(descriptionHash));
    // v5: salt = bytes20(address(governor)) ^ descriptionHash: the address XORed into the high 20 bytes.
    const dh = toBytes(descriptionHash);
    const gov = toBytes(GOVERNOR);
    const v5 = toHex(dh.map((b, i) => (i < 20 ? b ^ gov[i]! : b)));
    const r5 = parseProposal({ kind: 'timelock', target: PROXY, data, predecessor: pred, description, saltRule: 'v5', governor: GOVERNOR }, 'p.json');
    expect(r5.details.salt).toBe(v5);
    expect(r5.actionHash).toBe(op(v5));
  });

  it('TimelockController: hashOperationBatch = keccak256(abi.encode(targets, values, payloads, predecessor, salt)), predecessor defaulting to 0', () => {
    const payloads = [upgradeTo(IMPL), '0x' as Hex];
    const salt = toHex(1n, { size: 32 });
    const a = parseProposal({ kind: 'timelock-batch', targets: [PROXY, ADMIN], values: ['0', '0x10'], payloads, salt }, 'p.json');
    expect(a.actionHash).toBe(keccak256(encodeAbiParameters(parseAbiParameters('address[], uint256[], bytes[], bytes32, bytes32'), [[PROXY, ADMIN], [0n, 16n], payloads, `0x${'00'.repeat(32)}`, salt])));
  });

  it('GovernorBravo: patchproof\'s actions hash, the Compound Timelock txHash per action, and selector(signature) ++ calldata decoded', () => {
    const args = encodeAbiParameters(parseAbiParameters('address'), [IMPL]);
    const a = parseProposal({ kind: 'bravo', targets: [PROXY], values: ['0'], signatures: ['upgradeTo(address)'], calldatas: [args], description, eta: 1_800_000_000 }, 'p.json');
    expect(a.actionHash).toBe(keccak256(encodeAbiParameters(parseAbiParameters('address[], uint256[], string[], bytes[], bytes32'), [[PROXY], [0n], ['upgradeTo(address)'], [args], descriptionHash])));
    expect(a.details.txHash0).toBe(keccak256(encodeAbiParameters(parseAbiParameters('address, uint256, string, bytes, uint256'), [PROXY, 0n, 'upgradeTo(address)', args, 1_800_000_000n])));
    expect(a.calls[0]!.data).toBe(upgradeTo(IMPL));
    expect(installsOf(a.calls)).toEqual([{ target: PROXY, function: 'upgradeTo', implementation: IMPL }]);
  });

  const safeTx = { to: PROXY, value: '0', data: upgradeTo(IMPL), operation: 0, safeTxGas: '0', baseGas: '0', gasPrice: '0', nonce: 17 };
  const SAFE_TX_TYPEHASH = '0xbb8310d486368db6bd6f849402fdd73ad53d316b5a4b2644ad6efe0f941286d8';
  const structHash = keccak256(encodeAbiParameters(parseAbiParameters('bytes32, address, uint256, bytes32, uint8, uint256, uint256, uint256, address, address, uint256'),
    [SAFE_TX_TYPEHASH, PROXY, 0n, keccak256(upgradeTo(IMPL)), 0, 0n, 0n, 0n, `0x${'00'.repeat(20)}`, `0x${'00'.repeat(20)}`, 17n]));

  it('Safe 1.3.0+: safeTxHash with the domain {chainId, verifyingContract}', () => {
    expect(keccak256(toBytes('SafeTx(address to,uint256 value,bytes data,uint8 operation,uint256 safeTxGas,uint256 baseGas,uint256 gasPrice,address gasToken,address refundReceiver,uint256 nonce)'))).toBe(SAFE_TX_TYPEHASH);
    const DOMAIN_TYPEHASH = '0x47e79534a245952e8b16893a336b85a3d9ea9fa8c573f3d803afb92a79469218';
    expect(keccak256(toBytes('EIP712Domain(uint256 chainId,address verifyingContract)'))).toBe(DOMAIN_TYPEHASH);
    const domain = keccak256(encodeAbiParameters(parseAbiParameters('bytes32, uint256, address'), [DOMAIN_TYPEHASH, 10n, SAFE]));
    const a = parseProposal({ kind: 'safe', safe: SAFE, safeVersion: '1.4.1', chainId: 10, ...safeTx }, 'p.json');
    expect(a.actionHash).toBe(keccak256(concat(['0x1901', domain, structHash])));
  });

  it('Safe before 1.3.0: safeTxHash with the domain {verifyingContract} only', () => {
    const DOMAIN_TYPEHASH = '0x035aff83d86937d35b32e04f0ddc6ff469290eef2f1b692d8a815c89404d4749';
    expect(keccak256(toBytes('EIP712Domain(address verifyingContract)'))).toBe(DOMAIN_TYPEHASH);
    const domain = keccak256(encodeAbiParameters(parseAbiParameters('bytes32, address'), [DOMAIN_TYPEHASH, SAFE]));
    const a = parseProposal({ kind: 'safe', safe: SAFE, safeVersion: '1.1.1', ...safeTx }, 'p.json');
    expect(a.actionHash).toBe(keccak256(concat(['0x1901', domain, structHash])));
    fails(() => parseProposal({ kind: 'safe', safe: SAFE, safeVersion: '1.3.0', ...safeTx }, 'p.json'), 'chainId is required for Safe 1.3.0');
  });
});

describe('installed implementations', () => {
  it('decodes upgradeTo, upgradeToAndCall and ProxyAdmin upgrade / upgradeAndCall, and skips other calls', () => {
    const calls = [
      { target: PROXY, value: 0n, data: upgradeTo(IMPL) },
      { target: PROXY, value: 0n, data: upgradeToAndCall(IMPL) },
      { target: ADMIN, value: 0n, data: encodeFunctionData({ abi, functionName: 'upgrade', args: [PROXY, IMPL] }) },
      { target: ADMIN, value: 0n, data: encodeFunctionData({ abi, functionName: 'upgradeAndCall', args: [PROXY, IMPL, '0x'] }) },
      { target: PROXY, value: 0n, data: encodeFunctionData({ abi, functionName: 'setFee', args: [1n] }) },
      { target: PROXY, value: 1n, data: '0x' as Hex },
    ];
    expect(installsOf(calls)).toEqual([
      { target: PROXY, function: 'upgradeTo', implementation: IMPL },
      { target: PROXY, function: 'upgradeToAndCall', implementation: IMPL },
      { target: ADMIN, function: 'ProxyAdmin.upgrade', proxy: PROXY, implementation: IMPL },
      { target: ADMIN, function: 'ProxyAdmin.upgradeAndCall', proxy: PROXY, implementation: IMPL },
    ]);
  });

  it('decodes a Safe MultiSend batch (packed operation, to, value, length, data)', () => {
    const tx = (to: Hex, data: Hex) => encodePacked(['uint8', 'address', 'uint256', 'uint256', 'bytes'], [0, to, 0n, BigInt((data.length - 2) / 2), data]);
    const packed = concat([tx(PROXY, upgradeTo(OTHER)), tx(ADMIN, '0x')]);
    expect(multiSendCalls(packed)).toEqual([{ target: PROXY, value: 0n, data: upgradeTo(OTHER) }, { target: ADMIN, value: 0n, data: '0x' }]);
    const batch = encodeFunctionData({ abi, functionName: 'multiSend', args: [packed] });
    const a = parseProposal({ kind: 'safe', safe: SAFE, safeVersion: '1.3.0', chainId: 1, to: ADMIN, value: '0', data: batch, operation: 1, nonce: 0 }, 'p.json');
    expect(installsOf(a.calls)).toEqual([{ target: PROXY, function: 'upgradeTo', implementation: OTHER }]);
    expect(() => multiSendCalls(concat([tx(PROXY, upgradeTo(OTHER)), '0x00']))).toThrow(/truncated/);
  });

  it('names the field of a malformed proposal', () => {
    fails(() => parseProposal({ kind: 'governor', targets: [PROXY], values: [], calldatas: [], description: '' }, 'p.json'), 'invalid proposal p.json: targets has 1 entries but values has 0');
    fails(() => parseProposal({ kind: 'governor', targets: ['0x12'], values: [], calldatas: [], description: '' }, 'p.json'), 'field targets[0] must be an address');
    fails(() => parseProposal({ kind: 'dao' }, 'p.json'), 'field kind must be one of');
    fails(() => parseProposal({ kind: 'timelock', target: PROXY, data: '0x', description, saltRule: 'v6' }, 'p.json'), 'saltRule must be v4 or v5');
  });
});
