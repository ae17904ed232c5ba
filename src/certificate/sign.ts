import { promises as fs } from 'node:fs';
import { getAddress, hashTypedData, keccak256, recoverAddress, recoverTypedDataAddress, type Hex, type TypedDataDomain } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { PatchproofError } from '../frontend/errors.ts';
import { pae, parseEnvelope, payloadBytes, readJsonFile, writeEnvelope, type Envelope } from './dsse.ts';
import { readStatement, type ReadStatement } from './statement.ts';

/*
 * Signatures (viem does all the cryptography). Two kinds per signer, both over the same statement:
 *  - DSSE: ECDSA secp256k1 over keccak256(PAE(payloadType, payload)), 65 bytes r || s || v, base64;
 *    keyid is the signer's checksummed Ethereum address (recovered, so no key registry is needed).
 *  - EIP-712: the typed-data signature a wallet would make over UpgradeProof, so a contract can check
 *    the approval with ecrecover (domain below).
 */

export const UPGRADE_PROOF_TYPES = {
  UpgradeProof: [
    { name: 'statementHash', type: 'bytes32' },
    { name: 'oldCodeHash', type: 'bytes32' },
    { name: 'newCodeHash', type: 'bytes32' },
    { name: 'actionHash', type: 'bytes32' },
    { name: 'verdict', type: 'string' },
  ],
} as const;

const ZERO32 = `0x${'0'.repeat(64)}` as const;

/**
 * The EIP-712 domain: name "patchproof", version "1", plus chainId when the certificate is bound to a
 * governance action that names one (attach --proposal with chainId). No verifyingContract: the
 * signature approves a statement, not a call to one contract.
 */
export function upgradeProofDomain(r: ReadStatement): TypedDataDomain {
  const chainId = r.statement.predicate.governance?.details.chainId;
  return { name: 'patchproof', version: '1', ...(chainId === undefined ? {} : { chainId: BigInt(chainId) }) };
}

/** The UpgradeProof message of a statement: statementHash is keccak256 of the exact payload bytes. */
export function upgradeProofMessage(r: ReadStatement) {
  const p = r.statement.predicate;
  return {
    statementHash: r.statementHash,
    oldCodeHash: p.implementations.old.runtimeKeccak256 as Hex,
    newCodeHash: p.implementations.new.runtimeKeccak256 as Hex,
    actionHash: (p.governance?.actionHash ?? ZERO32) as Hex,
    verdict: p.overall,
  };
}

export function upgradeProofDigest(r: ReadStatement): Hex {
  return hashTypedData({ domain: upgradeProofDomain(r), types: UPGRADE_PROOF_TYPES, primaryType: 'UpgradeProof', message: upgradeProofMessage(r) });
}

/** The digest a DSSE signature signs. */
export function dsseDigest(env: Envelope): Hex {
  return keccak256(pae(env.payloadType, payloadBytes(env)));
}

/** A private key given as hex, or the name of a file holding it in hex (whitespace ignored). */
export async function loadKey(key: string): Promise<Hex> {
  const hex = /^(0x)?[0-9a-fA-F]{64}$/;
  let text = key;
  if (!hex.test(key)) {
    try {
      text = (await fs.readFile(key, 'utf8')).trim();
    } catch (e) {
      throw new PatchproofError('usage', `--key must be a 32-byte hex private key or a file holding one; cannot read ${key}: ${(e as Error).message}`);
    }
    if (!hex.test(text)) throw new PatchproofError('usage', `--key file ${key} does not hold a 32-byte hex private key`);
  }
  return (text.startsWith('0x') ? text : `0x${text}`).toLowerCase() as Hex;
}

export async function readEnvelopeFile(file: string): Promise<{ env: Envelope; statement: ReadStatement }> {
  const env = parseEnvelope(await readJsonFile(file), file);
  return { env, statement: readStatement(env, file) };
}

/** Adds (or replaces) the key's DSSE and EIP-712 signatures; returns the signer's address. */
export async function signEnvelope(env: Envelope, statement: ReadStatement, key: Hex): Promise<{ env: Envelope; signer: string }> {
  const account = privateKeyToAccount(key);
  const sig = await account.sign({ hash: dsseDigest(env) });
  const typed = await account.signTypedData({ domain: upgradeProofDomain(statement), types: UPGRADE_PROOF_TYPES, primaryType: 'UpgradeProof', message: upgradeProofMessage(statement) });
  const others = <T>(xs: readonly T[] | undefined, who: (x: T) => string) => (xs ?? []).filter((x) => getAddress(who(x)) !== account.address);
  return {
    signer: account.address,
    env: {
      ...env,
      signatures: [...others(env.signatures, (s) => s.keyid), { keyid: account.address, sig: Buffer.from(sig.slice(2), 'hex').toString('base64') }],
      eip712: [...others(env.eip712, (s) => s.signer), { signer: account.address, signature: typed }],
    },
  };
}

/** `patchproof sign`: signs the certificate file in place. */
export async function signCommand(file: string, key: string): Promise<string> {
  const { env, statement } = await readEnvelopeFile(file);
  const r = await signEnvelope(env, statement, await loadKey(key));
  await writeEnvelope(file, r.env);
  return `signed ${file} as ${r.signer} (DSSE secp256k1 over the PAE, EIP-712 UpgradeProof over statement ${statement.statementHash})\n`;
}

export interface SignatureCheck {
  readonly signer: string;
  readonly kind: 'DSSE' | 'EIP-712';
  /** Undefined when the signature is valid; else why not. */
  readonly problem?: string;
}

/** Checks every signature on the envelope against this exact statement. */
export async function checkSignatures(env: Envelope, statement: ReadStatement): Promise<SignatureCheck[]> {
  const out: SignatureCheck[] = [];
  const digest = dsseDigest(env);
  for (const s of env.signatures) {
    const signer = getAddress(s.keyid);
    const bytes = Buffer.from(s.sig, 'base64');
    if (bytes.length !== 65) {
      out.push({ signer, kind: 'DSSE', problem: `signature is ${bytes.length} bytes, not 65` });
      continue;
    }
    const got = await recoverAddress({ hash: digest, signature: `0x${bytes.toString('hex')}` }).catch(() => undefined);
    out.push(got === signer ? { signer, kind: 'DSSE' } : { signer, kind: 'DSSE', problem: `does not sign this statement's PAE (it recovers ${got ?? 'no address'}, not ${signer}): signed by another key or over another statement` });
  }
  for (const s of env.eip712 ?? []) {
    const signer = getAddress(s.signer);
    const got = await recoverTypedDataAddress({
      domain: upgradeProofDomain(statement), types: UPGRADE_PROOF_TYPES, primaryType: 'UpgradeProof', message: upgradeProofMessage(statement), signature: s.signature as Hex,
    }).catch(() => undefined);
    out.push(got === signer ? { signer, kind: 'EIP-712' } : { signer, kind: 'EIP-712', problem: `does not sign this statement's UpgradeProof (it recovers ${got ?? 'no address'}, not ${signer}): signed by another key or over another statement` });
  }
  return out;
}

export { ZERO32 };
