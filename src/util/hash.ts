import { keccak_256 } from '@noble/hashes/sha3.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';

export { bytesToHex, hexToBytes, utf8ToBytes };

function toBytes(data: string | Uint8Array): Uint8Array {
  return typeof data === 'string' ? utf8ToBytes(data) : data;
}

/** keccak256 as 0x-prefixed hex. */
export function keccakHex(data: string | Uint8Array): string {
  return '0x' + bytesToHex(keccak_256(toBytes(data)));
}

export function keccakBig(data: string | Uint8Array): bigint {
  return BigInt(keccakHex(data));
}

/** SHA-256 as 0x-less hex (the form in-toto digests use). */
export function sha256Hex(data: string | Uint8Array): string {
  return bytesToHex(nobleSha256(toBytes(data)));
}

/** 4-byte selector of a canonical signature such as `transfer(address,uint256)`. */
export function selectorOf(signature: string): bigint {
  return BigInt(keccakHex(signature).slice(0, 10));
}

export function wordBytes(v: bigint): Uint8Array {
  return hexToBytes(v.toString(16).padStart(64, '0'));
}
