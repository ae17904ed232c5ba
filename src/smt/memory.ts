import { invariant } from '../util/assert.ts';
import type { IrFunction, ValueType } from '../ir/types.ts';
import { width, type Term, type TermFactory } from './term.ts';
import { readStore, writeStore, type Key, type Store } from './storage.ts';
import { abiWord } from './calldata.ts';

/**
 * Memory arrays (`alloc`, `mlen`, `mload`, `mstore`) as terms: a heap held like storage, as guarded
 * writes merged at joins (storage.ts), keyed by (reference, index) for elements and by reference for
 * lengths, in a store of its own that nothing else reads, writes or compares. An element no write
 * reached is zero, or for a copy of a storage array the element as stored at the copy.
 *
 * A reference is a constant: the allocating instruction's position among the function's allocations
 * (plus one). The IR is acyclic, so an allocation runs at most once on a path and its constant names one
 * array; references merged at a join are an ite of such constants. Elements are kept as 32-byte words
 * (their ABI words), so arrays of different element types never mix sorts in one ite.
 */

const ELEM = 'E';
const LEN = 'L';

/** Element i of a copied storage array as its word, over the storage at the copy. */
export type MemSource = (i: Term) => Term;

export class SymMemory {
  private readonly refs = new Map<number, bigint>();
  private readonly sources = new Map<bigint, MemSource>();

  constructor(
    private readonly F: TermFactory,
    f: IrFunction,
  ) {
    invariant(f.body.ok, 'memory of an unsupported function');
    for (const b of f.body.blocks) for (const i of b.instrs) if (i.kind === 'alloc') this.refs.set(i.id, BigInt(this.refs.size + 1));
  }

  /** The reference an allocation instruction returns. */
  ref(allocId: number): Term {
    const r = this.refs.get(allocId);
    invariant(r !== undefined, `unknown allocation %${allocId}`);
    return this.F.bv(256, r);
  }

  alloc(mem: Store, allocId: number, len: Term, src?: MemSource): Store {
    const r = this.refs.get(allocId)!;
    if (src) this.sources.set(r, src);
    return writeStore(mem, lenKey(this.ref(allocId)), len);
  }

  len(mem: Store, ref: Term): Term {
    return readStore(this.F, mem, lenKey(ref), this.F.bv(256, 0n));
  }

  load(mem: Store, ref: Term, index: Term, t: ValueType): Term {
    const F = this.F;
    let base: Term = F.bv(256, 0n);
    for (const [r, src] of this.sources) base = F.ite(F.eq(ref, F.bv(256, r)), src(index), base);
    return fromWord(F, readStore(F, mem, elemKey(ref, index), base), t);
  }

  store(mem: Store, ref: Term, index: Term, value: Term, t: ValueType): Store {
    return writeStore(mem, elemKey(ref, index), abiWord(this.F, value, t));
  }
}

function lenKey(ref: Term): Key {
  return { root: 0n, shape: LEN, keys: [ref] };
}

function elemKey(ref: Term, index: Term): Key {
  return { root: 0n, shape: ELEM, keys: [ref, index] };
}

/** The value of type `t` whose ABI word is `w` (the inverse of abiWord on clean words). */
function fromWord(F: TermFactory, w: Term, t: ValueType): Term {
  invariant(width(w) === 256, 'memory word width');
  switch (t.kind) {
    case 'bool':
      return F.not(F.eq(w, F.bv(256, 0n)));
    case 'uint':
    case 'int':
      return t.bits === 256 ? w : F.extract(t.bits - 1, 0, w);
    case 'address':
      return F.extract(159, 0, w);
    case 'bytes':
      return t.size === 32 ? w : F.extract(255, 256 - 8 * t.size, w);
  }
}

/**
 * Element i of the storage array of value type `t` whose data words are `word(slotOffset)`, as its ABI
 * word: packed elements are read from their byte offset, a bool is true when any bit of its byte is.
 */
export function storedElement(F: TermFactory, word: (offset: Term) => Term, t: ValueType): MemSource {
  const bytes = t.kind === 'bool' ? 1 : (t.kind === 'address' ? 160 : t.kind === 'bytes' ? t.size * 8 : t.bits) / 8;
  const per = bytes <= 16 ? Math.floor(32 / bytes) : 1;
  return (i) => {
    const w = per === 1 ? word(i) : word(F.op('bvudiv', i, F.bv(256, BigInt(per))));
    const shifted = per === 1 ? w : F.op('bvlshr', w, F.op('bvmul', F.op('bvurem', i, F.bv(256, BigInt(per))), F.bv(256, BigInt(8 * bytes))));
    const raw = F.extract(8 * bytes - 1, 0, shifted);
    const v = t.kind === 'bool' ? F.not(F.eq(raw, F.bv(8, 0n))) : raw;
    return abiWord(F, v, t);
  };
}
