import type { SrcLoc } from '../util/loc.ts';
import { keccakBig, wordBytes } from '../util/hash.ts';
import { typeBits, type ValueType } from './types.ts';
import { InterpreterError } from './interp.ts';

/**
 * Memory arrays for the IR interpreter (`alloc`, `mlen`, `mload`, `mstore`): a heap of arrays, each a
 * length and its elements by index; a reference is the array's position in the heap. Elements of a
 * copy from storage are read from the storage as it was at the copy, when first read (the copy itself
 * changes nothing a run can observe).
 */

/**
 * Allocations of more elements than this are not run: the EVM runs out of gas zeroing or copying them
 * long before (memory costs grow quadratically; a copy from storage reads a slot per element or few).
 */
export const MAX_RUN_ELEMENTS = 4096n;

const M256 = (1n << 256n) - 1n;

interface MemArray {
  readonly len: bigint;
  readonly elems: Map<bigint, bigint>;
  readonly src?: (i: bigint) => bigint;
}

export class Heap {
  private readonly arrays: MemArray[] = [];

  /**
   * A new array; null when it is too large to run (see MAX_RUN_ELEMENTS). With `src` (the real slot of a
   * storage array's length), element i is read from `storage` (a snapshot the caller no longer changes).
   */
  alloc(len: bigint, elem: ValueType, src: bigint | undefined, storage: ReadonlyMap<bigint, bigint>): bigint | null {
    if (len > MAX_RUN_ELEMENTS) return null;
    const arr: MemArray = src === undefined ? { len, elems: new Map() } : { len, elems: new Map(), src: storageElement(src, elem, storage) };
    this.arrays.push(arr);
    return BigInt(this.arrays.length);
  }

  len(ref: bigint, loc: SrcLoc): bigint {
    return this.array(ref, loc).len;
  }

  load(ref: bigint, index: bigint, loc: SrcLoc): bigint {
    const a = this.array(ref, loc);
    this.check(a, index, loc);
    return a.elems.get(index) ?? a.src?.(index) ?? 0n;
  }

  /** Every element in order (as an encoder reads them for output). */
  elements(ref: bigint, loc: SrcLoc): bigint[] {
    const a = this.array(ref, loc);
    const out: bigint[] = [];
    for (let i = 0n; i < a.len; i++) out.push(a.elems.get(i) ?? a.src?.(i) ?? 0n);
    return out;
  }

  store(ref: bigint, index: bigint, value: bigint, loc: SrcLoc): void {
    const a = this.array(ref, loc);
    this.check(a, index, loc);
    a.elems.set(index, value);
  }

  private array(ref: bigint, loc: SrcLoc): MemArray {
    const a = this.arrays[Number(ref) - 1];
    if (ref < 1n || a === undefined) throw new InterpreterError(`memory reference ${ref} was never allocated`, loc);
    return a;
  }

  private check(a: MemArray, index: bigint, loc: SrcLoc): void {
    // Lowering guards every access with a bounds check: an access past the end is a bug in the IR.
    if (index < 0n || index >= a.len) throw new InterpreterError(`memory array access at ${index} past its length ${a.len}`, loc);
  }
}

/** Element i of the storage array of value type `elem` whose length is at `slot`, as solc copies it to memory. */
function storageElement(slot: bigint, elem: ValueType, storage: ReadonlyMap<bigint, bigint>): (i: bigint) => bigint {
  const snapshot = new Map(storage);
  const bytes = elem.kind === 'bool' ? 1 : typeBits(elem) / 8;
  const per = bytes <= 16 ? BigInt(Math.floor(32 / bytes)) : 1n;
  const base = keccakBig(wordBytes(slot));
  const m = (1n << BigInt(8 * bytes)) - 1n;
  return (i) => {
    const w = snapshot.get((base + i / per) & M256) ?? 0n;
    const raw = (w >> (8n * BigInt(bytes) * (i % per))) & m;
    // A stored bool is true when any bit of its byte is set (solc's cleanup of a storage load).
    return elem.kind === 'bool' ? (raw === 0n ? 0n : 1n) : raw;
  };
}
