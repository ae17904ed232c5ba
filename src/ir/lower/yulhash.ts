import type { SrcLoc } from '../../util/loc.ts';
import { keccakBig } from '../../util/hash.ts';
import { U256, type KeccakPart, type ValueId, type ValueType } from '../types.ts';
import { unsupported, type AstNode } from './context.ts';
import type { FunctionLowerer } from './function.ts';

/**
 * Inline assembly that hashes words it has just written to scratch memory, the way OpenZeppelin builds
 * EIP-191 and EIP-712 digests (MessageHashUtils / ECDSA, 4.x and 5.x):
 *
 *     mstore(0x00, "\x19Ethereum Signed Message:\n32")      let ptr := mload(0x40)
 *     mstore(0x1c, messageHash)                              mstore(ptr, hex"19_01")
 *     digest := keccak256(0x00, 0x3c)                        mstore(add(ptr, 0x02), domainSeparator)
 *                                                            mstore(add(ptr, 0x22), structHash)
 *                                                            digest := keccak256(ptr, 0x42)
 *
 * The block must be exactly: optionally `let p := mload(0x40)`, then `mstore`s at constant addresses in
 * the scratch space [0, 0x40) or at constant offsets from `p` (the free memory pointer, not moved), then
 * one assignment `x := keccak256(a, n)` over bytes all written by those stores. It is lowered to the
 * keccak256 of exactly those bytes (the same instruction `keccak256(abi.encodePacked(…))` gives), and the
 * stores themselves have no effect a Solidity program can observe: solc uses memory below 0x40 only as
 * scratch and never relies on the contents of memory past the free memory pointer. A stored value that
 * is not a constant must be hashed whole (all 32 bytes inside the range and not partly overwritten).
 * Returns false for any other block (the general Yul subset then applies); throws `unsupported` for a
 * block of this shape whose bytes it cannot spell.
 */

interface Store {
  readonly at: bigint;
  readonly value: AstNode;
  /** The word when the value is a literal (number, string or hex string). */
  readonly constant: bigint | null;
}

export interface ScratchHashHooks {
  /** A Yul expression's 256-bit word (the general subset's evaluation). */
  word(e: AstNode): ValueId;
  /** Assigns a word to a Yul or Solidity variable (the general subset's assignment). */
  assign(id: AstNode, v: ValueId): void;
}

const num = (n: AstNode): bigint | null => {
  if (n?.nodeType !== 'YulLiteral' || n.kind !== 'number') return null;
  try {
    return BigInt(n.value);
  } catch {
    return null;
  }
};

/** A literal's word: numbers as they are, strings (at most 32 bytes) left-aligned. */
function literalWord(n: AstNode): bigint | null {
  if (n?.nodeType !== 'YulLiteral') return null;
  if (n.kind === 'number') return num(n);
  if (n.kind === 'string' && typeof n.hexValue === 'string' && n.hexValue.length <= 64) return BigInt('0x' + (n.hexValue || '0')) << BigInt(8 * (32 - n.hexValue.length / 2));
  return null;
}

const call = (n: AstNode, name: string, arity: number): AstNode[] | null =>
  n?.nodeType === 'YulFunctionCall' && n.functionName?.name === name && n.arguments?.length === arity ? n.arguments : null;

export function lowerScratchHash(L: FunctionLowerer, block: AstNode, hooks: ScratchHashHooks, loc: SrcLoc): boolean {
  const stmts: AstNode[] = block?.statements ?? [];
  if (stmts.length < 2) return false;
  let base: string | null = null;
  let i = 0;
  const first = stmts[0];
  if (first.nodeType === 'YulVariableDeclaration' && first.variables?.length === 1) {
    const load = call(first.value, 'mload', 1);
    if (!load || num(load[0]) !== 0x40n) return false;
    base = first.variables[0].name as string;
    i = 1;
  }
  // An address: a constant (no base) or the base plus a constant.
  const address = (a: AstNode): bigint | null => {
    if (base === null) return num(a);
    if (a?.nodeType === 'YulIdentifier' && a.name === base) return 0n;
    const add = call(a, 'add', 2);
    if (!add) return null;
    if (add[0]?.nodeType === 'YulIdentifier' && add[0].name === base) return num(add[1]);
    if (add[1]?.nodeType === 'YulIdentifier' && add[1].name === base) return num(add[0]);
    return null;
  };
  const stores: Store[] = [];
  for (; i < stmts.length - 1; i++) {
    const s = stmts[i];
    const st = s.nodeType === 'YulExpressionStatement' ? call(s.expression, 'mstore', 2) : null;
    if (!st) return false;
    const at = address(st[0]);
    if (at === null) return false;
    stores.push({ at, value: st[1], constant: literalWord(st[1]) });
  }
  const last = stmts.at(-1);
  if (stores.length === 0 || last?.nodeType !== 'YulAssignment' || last.variableNames?.length !== 1) return false;
  const hash = call(last.value, 'keccak256', 2);
  const start = hash ? address(hash[0]) : null;
  const len = hash ? num(hash[1]) : null;
  if (start === null || len === null) return false;
  // From here on the block has the shape: what it cannot spell is unsupported, not left to the general subset.
  const where = (n: AstNode) => L.ctx.loc(n);
  if (base !== null && uses(stores.map((s) => s.value), base)) unsupported('inline assembly: the free memory pointer used as a value', loc);
  if (base === null) for (const s of stores) if (s.at + 32n > 0x40n) unsupported('inline assembly: mstore outside the scratch space (0x00–0x3f) at a constant address', where(s.value));
  if (len > 1024n) unsupported('inline assembly: keccak256 of more than 1024 bytes of scratch memory', loc);
  // Which store each hashed byte comes from (the last one to write it).
  const n = Number(len);
  const owner: number[] = [];
  for (let b = 0; b < n; b++) {
    const addr = start + BigInt(b);
    let w = -1;
    stores.forEach((s, k) => {
      if (addr >= s.at && addr < s.at + 32n) w = k;
    });
    if (w < 0) unsupported('inline assembly: keccak256 of memory the block did not write', loc);
    owner.push(w);
  }
  // Evaluated in order, as Yul runs the stores; constants need no evaluation.
  const values = stores.map((s) => (s.constant === null ? hooks.word(s.value) : null));
  if (L.b.dead) return true;
  const parts: KeccakPart[] = [];
  let run: number[] = [];
  const flush = () => {
    for (let k = 0; k < run.length; k += 32) {
      const chunk = run.slice(k, k + 32);
      parts.push({ word: { kind: 'const', word: chunk.reduce((acc, x) => (acc << 8n) | BigInt(x), 0n) }, bytes: chunk.length });
    }
    run = [];
  };
  for (let b = 0; b < n; ) {
    const k = owner[b]!;
    const s = stores[k]!;
    const byteOf = Number(start + BigInt(b) - s.at);
    if (s.constant !== null) {
      run.push(Number((s.constant >> BigInt(8 * (31 - byteOf))) & 0xffn));
      b++;
      continue;
    }
    // A computed word: whole, in order, and not overwritten in part.
    if (byteOf !== 0 || b + 32 > n || owner.slice(b, b + 32).some((o) => o !== k)) unsupported('inline assembly: keccak256 of part of a computed word', where(s.value));
    flush();
    parts.push({ word: { kind: 'value', value: values[k]!, type: U256 }, bytes: 32 });
    b += 32;
  }
  flush();
  const B32: ValueType = { kind: 'bytes', size: 32 };
  const allConst = parts.every((p) => p.word.kind === 'const');
  const digest = allConst
    ? L.const(B32, keccakBig(Uint8Array.from(parts.flatMap((p) => bytesOf((p.word as { word: bigint }).word, p.bytes)))), loc)
    : { v: L.b.def({ kind: 'keccak', parts, loc }), t: B32 };
  hooks.assign(last.variableNames[0], L.convert(digest, U256, loc).v);
  return true;
}

function bytesOf(word: bigint, n: number): number[] {
  return Array.from({ length: n }, (_, k) => Number((word >> BigInt(8 * (n - 1 - k))) & 0xffn));
}

function uses(ns: readonly AstNode[], name: string): boolean {
  const walk = (n: AstNode): boolean => {
    if (n === null || typeof n !== 'object') return false;
    if (n.nodeType === 'YulIdentifier' && n.name === name) return true;
    return Object.values(n).some((v) => v !== null && typeof v === 'object' && walk(v));
  };
  return ns.some(walk);
}
