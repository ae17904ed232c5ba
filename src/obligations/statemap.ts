/**
 * A state mapping across a layout change: a variable the patch moved or retyped on purpose (a spec
 * `rename a -> b`, or `@custom:oz-renamed-from` / `@custom:oz-retyped-from` on the new variable).
 * Equivalence is then proved through the relation R between an old storage σo and a new storage σn:
 *
 * - every byte outside the mapped places (a's bytes in each of its slots, b's bytes in each of its
 *   slots, in both storages) is the same in σo and σn;
 * - per key (a value variable has one, a mapping one per key tuple), a's value in σo and b's value in σn
 *   are the same integer, and it is one both types can hold (`bits`).
 *
 * R holds between the proxy's storage and its image after a migration that copies a to b, whatever the
 * migration leaves in a's old place (unrelated in R); every entry point is proved to keep R and to give
 * the same outputs from R-related states, which by induction is equivalence through the mapping.
 */
export interface MappedPlace {
  /** The slot (a value variable) or the mapping's slot (its entries are keccak-derived from it). */
  readonly root: bigint;
  /** Byte offset in the slot word (0 for mapping values). */
  readonly offset: number;
  readonly bytes: number;
  /** A two's complement integer (`intN`): values are sign-extended. */
  readonly signed: boolean;
  /** The Solidity type, as the layout names it. */
  readonly type: string;
  /** Declaration of the variable (AST id in its version). */
  readonly astId?: number;
}

export interface MappedVariable {
  /** `a -> b`, for reports. */
  readonly text: string;
  readonly oldName: string;
  readonly newName: string;
  /** Mapping nesting: 0 for a value variable, n for an n-level mapping of value types (keys alike). */
  readonly depth: number;
  readonly old: MappedPlace;
  readonly new: MappedPlace;
  /** Width in bits of the values R relates (the narrower type's). */
  readonly bits: number;
  /** Set when the new type is narrower: what the proof assumes of the old state. */
  readonly assumption?: string;
}

export type StateMap = readonly MappedVariable[];

const mask = (bits: number): bigint => (1n << BigInt(bits)) - 1n;

/** The place's bits of a storage word, as stored (two's complement for signed types). */
export function placeBits(word: bigint, p: MappedPlace): bigint {
  return (word >> BigInt(8 * p.offset)) & mask(8 * p.bytes);
}

/** The integer a place's bits stand for, as a 256-bit word (sign-extended for signed types). */
export function placeValue(word: bigint, p: MappedPlace): bigint {
  const v = placeBits(word, p);
  const top = 1n << BigInt(8 * p.bytes - 1);
  return p.signed && (v & top) !== 0n ? BigInt.asUintN(256, v - (top << 1n)) : v;
}

/** The word with the place's bits replaced by `value` (cut to the place's width). */
export function splicePlace(word: bigint, p: MappedPlace, value: bigint): bigint {
  const m = mask(8 * p.bytes) << BigInt(8 * p.offset);
  return (word & ~m & mask(256)) | ((value << BigInt(8 * p.offset)) & m);
}

/** The word's bytes outside the place (the place's bits cleared). */
export function outsidePlace(word: bigint, p: MappedPlace): bigint {
  return splicePlace(word, p, 0n);
}
