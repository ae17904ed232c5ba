import type { Term, TermFactory } from './term.ts';
import { BYTES_HASH, tokenWord } from './bytes.ts';

/** Words of two hashed byte strings compared term by term (beyond this, their tokens stand for them). */
const WORDS_COMPARED = 8;

/**
 * The injectivity assumption for keccak256 (patchproof assumes no collisions, as every Solidity contract
 * does): for every two distinct hash terms in a query, equal outputs imply equal inputs of the same
 * length, and inputs of different lengths never hash alike. Conjoined with a difference predicate, it only
 * removes models in which the solver invented a collision; real keccak256 satisfies it barring a collision
 * nobody has found.
 *
 * Byte strings of symbolic length (`keccak256.bytes`, `keccak256.abi1`: length and data token): equal
 * hashes of the same kind imply equal lengths, equal tokens and equal first words; a packed hash equal to
 * the hash of a literal of the sources (`literalHashes`, e.g. `keccak256("MINTER_ROLE")` folded to a
 * constant) implies the literal's length and words. That every real execution satisfies these is what
 * makes them sound: tokens can always be read as codes of the contents. A byte-string hash is never
 * related to a fixed-length one (they may hash the same bytes): that only weakens the query.
 */
export function keccakAxioms(F: TermFactory, goal: Term, literalHashes: ReadonlyMap<bigint, Uint8Array> = new Map(), limit = 64): Term[] {
  const hashes: Extract<Term, { tag: 'uf' }>[] = [];
  const dynamic: Extract<Term, { tag: 'uf' }>[] = [];
  const constants = new Map<bigint, Uint8Array>();
  const recovers: Extract<Term, { tag: 'uf' }>[] = [];
  const seen = new Set<number>();
  const stack: Term[] = [goal];
  while (stack.length > 0) {
    const t = stack.pop()!;
    if (seen.has(t.id)) continue;
    seen.add(t.id);
    if (t.tag === 'uf' && (t.name === BYTES_HASH.packed || t.name === BYTES_HASH.abi || t.name === BYTES_HASH.mapKey)) dynamic.push(t);
    else if (t.tag === 'uf' && t.name.startsWith('keccak256.')) hashes.push(t);
    else if (t.tag === 'uf' && t.name === 'ecrecover.128' && t.args.length === 1) recovers.push(t);
    if (t.tag === 'const' && t.sort.k === 'bv' && t.sort.w === 256 && literalHashes.has(t.value)) constants.set(t.value, literalHashes.get(t.value)!);
    if (t.tag === 'app' || t.tag === 'uf') stack.push(...t.args);
  }
  // Quadratic in the number of hashes; past the limit the query is merely weaker (still sound).
  const hs = hashes.sort((a, b) => a.id - b.id).slice(0, limit);
  const out: Term[] = [];
  for (let i = 0; i < hs.length; i++) {
    for (let j = i + 1; j < hs.length; j++) {
      const a = hs[i]!;
      const b = hs[j]!;
      out.push(a.name === b.name ? F.or(F.not(F.eq(a, b)), F.eq(a.args[0]!, b.args[0]!)) : F.not(F.eq(a, b)));
    }
  }
  const ds = dynamic.sort((a, b) => a.id - b.id).slice(0, limit);
  for (let i = 0; i < ds.length; i++) {
    const a = ds[i]!;
    for (let j = i + 1; j < ds.length; j++) {
      const b = ds[j]!;
      if (a.name !== b.name) continue;
      // A mapping key's hash also hashes the slot (its third argument).
      const slots = a.name === BYTES_HASH.mapKey ? [F.eq(a.args[2]!, b.args[2]!)] : [];
      out.push(F.or(F.not(F.eq(a, b)), F.and(sameByteString(F, a.args[0]!, a.args[1]!, b.args[0]!, b.args[1]!), ...slots)));
    }
    if (a.name !== BYTES_HASH.packed) continue;
    for (const [h, bytes] of constants) out.push(F.or(F.not(F.eq(a, F.bv(256, h))), isLiteral(F, a.args[0]!, a.args[1]!, bytes)));
  }
  out.push(...recovers.map((t) => recoversOnlyValid(F, t)));
  return out;
}

/** The order of secp256k1's group. */
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/**
 * What the ecrecover precompile does with a malformed signature: an address comes back only when `v` is
 * 27 or 28 and `r` and `s` lie in [1, n-1]; otherwise the output is empty, which Solidity reads as
 * address 0. True of the real precompile, so sound to assume; it spares the solver from answering a
 * signer for signatures that recover nothing (models exact evaluation would refute, one by one). The
 * input is hash, v, r, s as four big-endian words (bit 1023 first).
 */
function recoversOnlyValid(F: TermFactory, t: Extract<Term, { tag: 'uf' }>): Term {
  const input = t.args[0]!;
  const word = (i: number) => F.extract(1023 - 256 * i, 768 - 256 * i, input);
  const inRange = (x: Term) => F.and(F.not(F.eq(x, F.bv(256, 0n))), F.op('bvult', x, F.bv(256, SECP256K1_N)));
  const v = word(1);
  const valid = F.and(F.or(F.eq(v, F.bv(256, 27n)), F.eq(v, F.bv(256, 28n))), inRange(word(2)), inRange(word(3)));
  return F.or(F.eq(t, F.bv(160, 0n)), valid);
}

/** Two byte strings (length, token) are equal: lengths, tokens, and their first words where known. */
function sameByteString(F: TermFactory, lenA: Term, a: Term, lenB: Term, b: Term): Term {
  const parts = [F.eq(lenA, lenB), F.eq(a, b)];
  for (let i = 0; i < WORDS_COMPARED; i++) {
    const wa = tokenWord(F, a, lenA, i);
    const wb = tokenWord(F, b, lenB, i);
    if (wa === null || wb === null) break;
    parts.push(F.or(F.op('bvule', lenA, F.bv(256, BigInt(32 * i))), F.eq(wa, wb)));
  }
  return F.and(...parts);
}

/** The byte string (length, token) is `bytes`: its length, and each word where its words are known. */
function isLiteral(F: TermFactory, len: Term, token: Term, bytes: Uint8Array): Term {
  const parts = [F.eq(len, F.bv(256, BigInt(bytes.length)))];
  for (let i = 0; 32 * i < bytes.length; i++) {
    const w = tokenWord(F, token, len, i);
    if (w === null) break;
    let lit = 0n;
    for (let j = 0; j < 32; j++) lit = (lit << 8n) | BigInt(bytes[32 * i + j] ?? 0);
    parts.push(F.eq(w, F.bv(256, lit)));
  }
  return F.and(...parts);
}
