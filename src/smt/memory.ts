import { invariant } from '../util/assert.ts';
import { U256, typeBits, typeName, type BinOp, type IrFunction, type ValueType } from '../ir/types.ts';
import { bv, width, type Term, type TermFactory } from './term.ts';
import { readStore, writeStore, type Key, type Store } from './storage.ts';
import { abiWord } from './calldata.ts';
import { convert } from './symexec.ts';

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

/** The free index memory-array outputs are compared at, shared by both versions (see `words`). */
export const MEM_INDEX = 'mem.index';
/** An array's element words as output: args (length, element word at MEM_INDEX). */
export const MEM_WORDS = 'mem.words';
const LEN = 'L';

/** Element i of a copied storage array (a value of its element type), over the storage at the copy. */
export type MemSource = (i: Term) => Term;

export class SymMemory {
  private readonly refs = new Map<number, bigint>();
  private readonly sources = new Map<bigint, { elem: string; src: MemSource }>();

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

  alloc(mem: Store, allocId: number, elem: ValueType, len: Term, src?: MemSource): Store {
    const r = this.refs.get(allocId)!;
    if (src) this.sources.set(r, { elem: typeName(elem), src });
    return writeStore(mem, lenKey(this.ref(allocId)), len);
  }

  len(mem: Store, ref: Term): Term {
    return readStore(this.F, mem, lenKey(ref), this.F.bv(256, 0n));
  }

  load(mem: Store, ref: Term, index: Term, t: ValueType): Term {
    const F = this.F;
    // Where no write reached: zero, or a copied element. A load of type t reads an array of element type
    // t (the IR is typed as the Solidity is), so only those sources can be the one `ref` names.
    let base: Term = t.kind === 'bool' ? F.FALSE : F.bv(typeBits(t), 0n);
    for (const [r, s] of this.sources) if (s.elem === typeName(t)) base = F.ite(F.eq(ref, F.bv(256, r)), s.src(index), base);
    const baseWord = abiWord(F, base, t);
    const w = readStore(F, mem, elemKey(ref, index), baseWord);
    // No write can reach it: the element itself, not its word decoded again (the same term as a storage read).
    return w === baseWord ? base : fromWord(F, w, t);
  }

  /**
   * The element words of the array `ref` as output (the `mwords` instruction): `mem.words`(length, the
   * word at the free index `MEM_INDEX`, zero past the length). Both versions share the index, so two such
   * outputs are equal for every index exactly when the arrays are: a difference query (any index may
   * be chosen) finds a differing element, and an unsatisfiable one proves them equal. This is exact only
   * where the term is compared for equality as a whole (an output), never under a condition: the
   * lowering puts it nowhere else. Exact evaluation reads every element (see eval.ts).
   */
  words(mem: Store, ref: Term, t: ValueType): Term {
    const F = this.F;
    const k = F.var(MEM_INDEX, bv(256));
    const len = this.len(mem, ref);
    const at = F.ite(F.op('bvult', k, len), abiWord(F, this.load(mem, ref, k, t), t), F.bv(256, 0n));
    return F.uf(MEM_WORDS, bv(256), [len, at]);
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
 * Element i of the storage array of value type `t` whose data words are `word(slotOffset)`, with the
 * terms an indexed storage read builds for it (aggregates.ts, packed.ts), so the solver sees a copy's
 * element and the stored one as the same term: packed elements at slot i / per, bit (i % per) * 8 * bytes,
 * masked and converted (a bool is true when any bit of its byte is); wider ones at slot i.
 */
export function storedElement(F: TermFactory, word: (offset: Term) => Term, t: ValueType, bin: (op: BinOp, a: Term, b: Term) => Term, unpack: (w: Term) => Term): MemSource {
  const bytes = t.kind === 'bool' ? 1 : typeBits(t) / 8;
  if (bytes > 16) return (i) => unpack(word(i));
  const per = BigInt(Math.floor(32 / bytes));
  const c = (x: bigint) => F.bv(256, x);
  return (i) => {
    const shift = bin('mul', bin('mod', i, c(per)), c(BigInt(8 * bytes)));
    const low = bin('and', bin('shr', word(bin('div', i, c(per))), shift), c((1n << BigInt(8 * bytes)) - 1n));
    if (t.kind === 'bool') return bin('ne', low, c(0n));
    const u: ValueType = { kind: 'uint', bits: typeBits(t) };
    return convert(F, convert(F, low, U256, u), u, t);
  };
}
