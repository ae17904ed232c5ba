import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PatchproofError } from '../frontend/errors.ts';

/*
 * The DSSE envelope (https://github.com/secure-systems-lab/dsse, envelope.md and protocol.md) that wraps
 * the in-toto Statement. Signatures sign PAE(payloadType, payload bytes), never the JSON around them, so
 * reformatting the file cannot break or forge a signature. `eip712` is patchproof's extension field
 * (unknown fields are allowed by DSSE): the wallet-style signatures over the UpgradeProof struct (sign.ts).
 */

export const PAYLOAD_TYPE = 'application/vnd.in-toto+json';

export interface DsseSignature {
  /** The signer's Ethereum address (EIP-55 checksummed). */
  readonly keyid: string;
  /** base64 of the 65-byte secp256k1 signature r || s || v over keccak256(PAE). */
  readonly sig: string;
}

export interface Eip712Signature {
  readonly signer: string;
  /** 0x-hex 65-byte signature over the EIP-712 digest of UpgradeProof (sign.ts). */
  readonly signature: string;
}

export interface Envelope {
  readonly payloadType: typeof PAYLOAD_TYPE;
  /** base64 of the Statement's exact JSON bytes. */
  readonly payload: string;
  readonly signatures: readonly DsseSignature[];
  readonly eip712?: readonly Eip712Signature[];
}

/** DSSE v1 pre-authentication encoding: "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, LEN in bytes, ASCII decimal. */
export function pae(payloadType: string, body: Uint8Array): Uint8Array {
  const type = Buffer.from(payloadType, 'utf8');
  const head = Buffer.from(`DSSEv1 ${type.length} ${payloadType} ${body.length} `, 'utf8');
  return new Uint8Array(Buffer.concat([head, Buffer.from(body)]));
}

export function payloadBytes(env: Envelope): Uint8Array {
  return new Uint8Array(Buffer.from(env.payload, 'base64'));
}

export function envelopeOf(statementJson: string): Envelope {
  return { payloadType: PAYLOAD_TYPE, payload: Buffer.from(statementJson, 'utf8').toString('base64'), signatures: [] };
}

export async function writeEnvelope(file: string, env: Envelope): Promise<void> {
  try {
    await fs.mkdir(path.dirname(path.resolve(file)), { recursive: true });
    await fs.writeFile(file, JSON.stringify(env, null, 2) + '\n', 'utf8');
  } catch (e) {
    throw new PatchproofError('input', `cannot write certificate ${file}: ${(e as Error).message}`);
  }
}

/** Reads the JSON of a certificate file (an envelope, or a v0 certificate the caller recognises). */
export async function readJsonFile(file: string, what = 'certificate'): Promise<unknown> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message;
    throw new PatchproofError('input', `cannot read ${what} ${file}: ${why}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new PatchproofError('input', `${what} ${file} is not valid JSON: ${(e as Error).message}`);
  }
}

const BASE64 = /^[A-Za-z0-9+/]*=*$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** Checks the envelope's shape (not its signatures: verify.ts does that). */
export function parseEnvelope(data: unknown, file: string): Envelope {
  const bad = (what: string): never => {
    throw new PatchproofError('input', `invalid certificate ${file}: ${what}`);
  };
  if (typeof data !== 'object' || data === null || Array.isArray(data)) bad('not a JSON object');
  const o = data as Record<string, unknown>;
  if (o.payloadType !== PAYLOAD_TYPE) bad(`payloadType must be ${PAYLOAD_TYPE}, got ${JSON.stringify(o.payloadType)}`);
  if (typeof o.payload !== 'string' || !BASE64.test(o.payload)) bad('payload must be a base64 string');
  if (!Array.isArray(o.signatures)) bad('signatures must be an array');
  const signatures = (o.signatures as unknown[]).map((s, i): DsseSignature => {
    const x = s as Record<string, unknown>;
    if (typeof x?.keyid !== 'string' || !ADDRESS.test(x.keyid)) bad(`signatures[${i}].keyid must be an Ethereum address`);
    if (typeof x.sig !== 'string' || !BASE64.test(x.sig)) bad(`signatures[${i}].sig must be base64`);
    return { keyid: x.keyid as string, sig: x.sig as string };
  });
  let eip712: Eip712Signature[] | undefined;
  if (o.eip712 !== undefined) {
    if (!Array.isArray(o.eip712)) bad('eip712 must be an array');
    eip712 = (o.eip712 as unknown[]).map((s, i): Eip712Signature => {
      const x = s as Record<string, unknown>;
      if (typeof x?.signer !== 'string' || !ADDRESS.test(x.signer)) bad(`eip712[${i}].signer must be an Ethereum address`);
      if (typeof x.signature !== 'string' || !/^0x[0-9a-f]{130}$/i.test(x.signature)) bad(`eip712[${i}].signature must be a 65-byte 0x-hex signature`);
      return { signer: x.signer as string, signature: x.signature as string };
    });
  }
  return { payloadType: PAYLOAD_TYPE, payload: o.payload as string, signatures, ...(eip712 === undefined ? {} : { eip712 }) };
}
