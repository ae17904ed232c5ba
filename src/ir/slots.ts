import { keccakBig, wordBytes } from '../util/hash.ts';

/**
 * The one slot computation every layer shares (interpreter, counterexamples, EVM replay): a root slot
 * and concrete steps — a mapping key word (keccak256(key . slot)), an array's data area
 * (keccak256(slot)), or an added offset (modulo 2^256, as the EVM adds).
 */
export type ConcreteStep =
  | { readonly kind: 'key'; readonly word: bigint }
  | { readonly kind: 'data' }
  | { readonly kind: 'add'; readonly n: bigint }
  /** A `string`/`bytes` mapping key: keccak256(its bytes . slot), unpadded. */
  | { readonly kind: 'bkey'; readonly bytes: Uint8Array }
  /** A slot already computed (a string key's hash, as a counterexample's model gives it). */
  | { readonly kind: 'at'; readonly slot: bigint };

const M256 = (1n << 256n) - 1n;

export function slotOf(root: bigint, steps: readonly ConcreteStep[]): bigint {
  let slot = root;
  for (const s of steps) {
    switch (s.kind) {
      case 'key':
        slot = mappingSlot(slot, s.word);
        break;
      case 'data':
        slot = keccakBig(wordBytes(slot));
        break;
      case 'add':
        slot = (slot + s.n) & M256;
        break;
      case 'bkey':
        slot = keccakBig(new Uint8Array([...s.bytes, ...wordBytes(slot)]));
        break;
      case 'at':
        slot = s.slot;
        break;
    }
  }
  return slot;
}

export function mappingSlot(slot: bigint, keyWord: bigint): bigint {
  const buf = new Uint8Array(64);
  buf.set(wordBytes(keyWord), 0);
  buf.set(wordBytes(slot), 32);
  return keccakBig(buf);
}
