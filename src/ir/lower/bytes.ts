import type { SrcLoc } from '../../util/loc.ts';
import { BOOL, U256, type Param, type Word } from '../types.ts';
import { unsupported, type AstNode } from './context.ts';
import { panicData, type FunctionLowerer, type Val } from './function.ts';

/**
 * Lowering of `bytes`/`string` values. A byte string is never an SSA value of a value type: its length is
 * a uint256 value and its data words a `bytes` Word (see the `sbytes` instruction), so every use is
 * explicit and anything not listed here stays unsupported.
 */

/** A byte string as lowered: its length and its data words. */
export interface ByteString {
  readonly len: Val;
  readonly data: Word;
}

const BYTE_ARRAY = /^(string|bytes)( storage ref| storage pointer| memory| calldata)?$/;

/** `string`/`bytes` (any location), by its AST type string. */
export function isByteArrayType(typeString: string | undefined): boolean {
  return typeString !== undefined && BYTE_ARRAY.test(typeString);
}

/** The return parameter of a byte-array getter or function (shown as `string`/`bytes`). */
export function byteArrayParam(name: string, typeString: string): Param {
  return { name, type: U256, typeName: typeString.startsWith('string') ? 'string' : 'bytes' };
}

/**
 * Reads the byte array stored at root slot `root`, as solc's `extract_byte_array_length` does: length
 * = word/2 (long form, word odd) or (word/2) & 0x7f (short form), and Panic(0x22) when the form does not
 * match the length (long with < 32 bytes, short with >= 32).
 */
export function loadStorageBytes(L: FunctionLowerer, root: bigint, loc: SrcLoc): ByteString {
  const slot = { root, keys: [] };
  const word: Val = { v: L.b.def({ kind: 'sload', slot, offset: 0, type: U256, loc }), t: U256 };
  const c = (x: bigint) => L.const(U256, x, loc);
  const odd = L.binOp('ne', L.binOp('and', word, c(1n), loc), c(0n), loc, BOOL);
  const half = L.binOp('shr', word, c(1n), loc);
  const len: Val = { v: L.b.def({ kind: 'select', cond: odd.v, a: half.v, b: L.binOp('and', half, c(0x7fn), loc).v, type: U256, loc }), t: U256 };
  L.guardNotOp(L.binOp('eq', odd, L.binOp('lt', len, c(32n), loc, BOOL), loc, BOOL), panicData(0x22), loc);
  const data = L.b.def({ kind: 'sbytes', slot, word: word.v, len: len.v, loc });
  return { len, data: { kind: 'bytes', value: data } };
}

/** A literal's bytes as a byte string of constant words. */
export function literalBytes(L: FunctionLowerer, bytes: Uint8Array, loc: SrcLoc): { len: Val; words: Word[] } {
  const words: Word[] = [];
  for (let i = 0; i < bytes.length; i += 32) {
    let w = 0n;
    for (let j = 0; j < 32; j++) w = (w << 8n) | BigInt(bytes[i + j] ?? 0);
    words.push({ kind: 'const', word: w });
  }
  return { len: L.const(U256, BigInt(bytes.length), loc), words };
}

/**
 * The getter of a public `string`/`bytes` state variable (no mapping keys): the byte array ABI-encoded
 * straight from storage (offset 0x20, length, the raw data words). A constant's getter returns its literal.
 */
export function byteArrayGetterWords(L: FunctionLowerer, decl: AstNode, root: bigint | undefined, loc: SrcLoc): Word[] {
  if (decl.constant) {
    const v = decl.value;
    if (v?.nodeType !== 'Literal' || (v.kind !== 'string' && v.kind !== 'hexString')) unsupported('getter of a byte-array constant that is not a literal', loc);
    const hex: string = v.hexValue;
    const bytes = new Uint8Array(hex.length / 2);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
    const lit = literalBytes(L, bytes, loc);
    return [{ kind: 'const', word: 0x20n }, { kind: 'value', value: lit.len.v, type: U256 }, ...lit.words];
  }
  if (decl.mutability === 'immutable' || root === undefined) unsupported('getter of a byte array that is not in storage', loc);
  const s = loadStorageBytes(L, root, loc);
  return [{ kind: 'const', word: 0x20n }, { kind: 'value', value: s.len.v, type: U256 }, s.data];
}
