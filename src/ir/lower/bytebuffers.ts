import type { SrcLoc } from '../../util/loc.ts';
import { BOOL, U256, type ValueType } from '../types.ts';
import { isBuiltinRef, unsupported, type AstNode } from './context.ts';
import { panicData, type FunctionLowerer, type Val } from './function.ts';
import { bindBytesVar, isByteArrayType, readBytesVar, tokenOf, type ByteStringData } from './bytes.ts';

/**
 * Byte buffers built in memory, as OpenZeppelin 4.x `Strings.toString`/`toHexString` build them:
 * `bytes memory buffer = new bytes(n)` (or `new string(n)`), then `buffer[i] = x`. Memory byte strings
 * are values in the IR (`bcat`, phis, …), so a byte write makes a new value (`bset`) that the variable
 * then holds. That is Solidity's reference semantics only while the variable holds the only reference to
 * its bytes, so a write is modelled only for a local declared with `new bytes(n)`/`new string(n)`, never
 * assigned, and used otherwise only as `buffer[i]`, `buffer.length` or inside a `return` statement (which
 * ends the function: the caller gets the only reference). Everything else stays unsupported. Checked on
 * the EVM: test/diff/contracts/ByteBuffers.sol.
 */

const MAX64 = (1n << 64n) - 1n;

/** `new bytes(n)` / `new string(n)`: n, Panic 0x41 above 2^64 - 1 (the legacy code generator's only check), n zero bytes. Null for other expressions. */
export function newBytesExpr(L: FunctionLowerer, e: AstNode, loc: SrcLoc): ByteStringData | null {
  if (e?.nodeType !== 'FunctionCall' || e.expression?.nodeType !== 'NewExpression' || !isByteArrayType(e.typeDescriptions?.typeString)) return null;
  const n = L.expr(e.arguments[0], U256);
  if (L.b.dead) return { len: n, words: [], literal: new Uint8Array() };
  // A smaller length too large for memory runs out of gas zeroing it (gas is not modelled, see README).
  L.guardNotOp(L.binOp('gt', n, L.const(U256, MAX64, loc), loc, BOOL), panicData(0x41), loc);
  return { len: n, words: [{ kind: 'bytes', value: L.b.def({ kind: 'bzero', len: n.v, loc }) }] };
}

/**
 * `buffer[i]` as an assignment target, for a buffer as above: the base, the index, Panic(0x32) unless
 * i < length; the write makes the variable hold the bytes with byte i replaced. Null when `e` is not an
 * index into a memory byte string; unsupported when the buffer is not one the write can be modelled for.
 */
export function memoryByteLValue(L: FunctionLowerer, e: AstNode, loc: SrcLoc): { t: ValueType; load: (loc: SrcLoc) => Val; store: (v: Val, loc: SrcLoc) => void } | null {
  if (e.nodeType !== 'IndexAccess' || !e.indexExpression || !isByteArrayType(e.baseExpression?.typeDescriptions?.typeString)) return null;
  let base: AstNode = e.baseExpression;
  // `bytes(s)[i]` of a `string memory s`: the same reference.
  while (base.nodeType === 'FunctionCall' && base.kind === 'typeConversion' && base.arguments?.length === 1) base = base.arguments[0];
  const decl = base.nodeType === 'Identifier' ? L.ctx.node(base.referencedDeclaration) : undefined;
  const fn = (L as unknown as { frames: readonly { def: AstNode }[] }).frames.at(-1)?.def;
  if (!decl || !fn || !soleReference(fn, decl)) {
    unsupported('writing a byte of a string/bytes not in storage (b[i] = x is modelled for a local `bytes memory b = new bytes(n)` used only as b[i], b.length, in a return or a copy, each write a statement of its own)', loc);
  }
  const data = readBytesVar(L, decl.id);
  if (!data) unsupported(`writing a byte of ${base.name}`, loc);
  const i = L.expr(e.indexExpression, U256);
  const B1: ValueType = { kind: 'bytes', size: 1 };
  if (L.b.dead) return { t: B1, load: () => L.const(B1, 0n, loc), store: () => undefined };
  L.guardOp(L.binOp('lt', i, data.len, loc, BOOL), panicData(0x32), loc);
  return {
    t: B1,
    load: (at) => unsupported('compound assignment to a byte of a memory byte string', at),
    store: (v, at) => {
      // The variable's bytes now (the right side was evaluated before the target, as solc does).
      const now = readBytesVar(L, decl.id) ?? data;
      const token = tokenOf(L, now, at);
      const x = L.convert(v, B1, at);
      const id = L.b.def({ kind: 'bset', data: token, index: i.v, value: x.v, loc: at });
      bindBytesVar(L, decl.id, { len: now.len, words: [{ kind: 'bytes', value: id }] }, at);
    },
  };
}

/**
 * Whether `decl` is a `bytes`/`string memory` local of `fn` declared with `new bytes(n)`/`new string(n)`,
 * never assigned, and referenced (through `bytes(..)`/`string(..)` conversions, which keep the reference)
 * only where no second reference can outlive the use: as the base of an index access, in `.length`,
 * inside a `return`, as an argument of `emit`, `keccak256`, `sha256`, `abi.encode…`, `string.concat` or
 * `bytes.concat` (which copy or hash the bytes), or as the value stored to a storage byte string; and
 * every byte write `b[i] = x` is an expression statement of its own.
 */
function soleReference(fn: AstNode, decl: AstNode): boolean {
  if (decl.nodeType !== 'VariableDeclaration' || decl.storageLocation !== 'memory' || decl.stateVariable) return false;
  let declared = false;
  let ok = true;
  const isConversion = (n: AstNode): boolean => n.nodeType === 'FunctionCall' && n.kind === 'typeConversion';
  const copies = (call: AstNode, grand: AstNode | undefined): boolean => {
    if (call.nodeType !== 'FunctionCall' || call.kind !== 'functionCall') return false;
    if (grand?.nodeType === 'EmitStatement') return true;
    const c = call.expression;
    if (c?.nodeType === 'Identifier' && ['keccak256', 'sha256'].includes(c.name) && isBuiltin(c)) return true;
    if (c?.nodeType === 'MemberAccess' && c.expression?.nodeType === 'Identifier' && c.expression.name === 'abi' && isBuiltin(c.expression)) return /^encode/.test(c.memberName);
    return c?.nodeType === 'MemberAccess' && c.memberName === 'concat' && c.expression?.nodeType === 'ElementaryTypeNameExpression';
  };
  const walk = (x: unknown, up: readonly AstNode[], inReturn: boolean): void => {
    if (!ok || x === null || typeof x !== 'object') return;
    if (Array.isArray(x)) return x.forEach((y) => walk(y, up, inReturn));
    const n = x as AstNode;
    if (n.nodeType === 'VariableDeclarationStatement' && (n.declarations as (AstNode | null)[]).some((d) => d?.id === decl.id)) {
      const init = n.initialValue;
      declared = n.declarations.length === 1 && init?.nodeType === 'FunctionCall' && init.expression?.nodeType === 'NewExpression';
    }
    if (n.nodeType === 'Identifier' && n.referencedDeclaration === decl.id) {
      // The nearest ancestors that are not conversions.
      const outer = up.filter((a) => !isConversion(a));
      const parent = outer.at(-1);
      let at = up.length - 1;
      while (at >= 0 && isConversion(up[at]!)) at--;
      const child = up[at + 1] ?? n;
      const asBase = parent?.nodeType === 'IndexAccess' && parent.baseExpression === child;
      const asLength = parent?.nodeType === 'MemberAccess' && parent.memberName === 'length';
      const stored = parent?.nodeType === 'Assignment' && parent.rightHandSide === child && / storage (ref|pointer)$/.test(parent.leftHandSide?.typeDescriptions?.typeString ?? '');
      const assigned = parent?.nodeType === 'Assignment' && parent.leftHandSide === child;
      // A byte write `b[i] = x` must be a statement of its own: within one expression a copy, hash or
      // return of `b` (which solc takes when it encodes, after the later operands ran) would see it,
      // while the model takes `b`'s bytes where `b` is evaluated (`emit E(b, b[0] = 0x41)`).
      const write = outer.at(-2);
      const writes = asBase && write?.nodeType === 'Assignment' && write.leftHandSide === parent;
      const alone = writes && outer.at(-3)?.nodeType === 'ExpressionStatement' && outer.at(-3).expression === write;
      if (assigned || (writes && !alone) || !(asBase || asLength || stored || inReturn || (parent !== undefined && copies(parent, outer.at(-2))))) ok = false;
    }
    if (n.nodeType === 'InlineAssembly') ok = false;
    const ret = inReturn || n.nodeType === 'Return';
    const next = [...up, n];
    for (const v of Object.values(n)) walk(v, next, ret);
  };
  walk(fn.body, [], false);
  return ok && declared;
}

function isBuiltin(id: AstNode): boolean {
  return isBuiltinRef(id.referencedDeclaration);
}

/**
 * `x[i]` of a fixed-size byte array value (`bytes16 constant _HEX_SYMBOLS`, a `bytes32` local): the
 * base, the index, Panic(0x32) unless i < N, then byte i (BYTE), as solc's legacy code generator does
 * it (checked on the EVM, test/diff/contracts/ByteBuffers.sol). Null for other index expressions.
 */
export function fixedBytesIndexRead(L: FunctionLowerer, e: AstNode, loc: SrcLoc): Val | null {
  if (e.nodeType !== 'IndexAccess' || !e.indexExpression) return null;
  const m = /^bytes(\d+)$/.exec(e.baseExpression?.typeDescriptions?.typeString ?? '');
  if (!m) return null;
  const n = BigInt(m[1]!);
  const B32: ValueType = { kind: 'bytes', size: 32 };
  const x = L.expr(e.baseExpression, { kind: 'bytes', size: Number(n) });
  const i = L.expr(e.indexExpression, U256);
  if (L.b.dead) return i;
  L.guardOp(L.binOp('lt', i, L.const(U256, n, loc), loc, BOOL), panicData(0x32), loc);
  const word = L.convert(L.convert(x, B32, loc), U256, loc);
  const shifted = L.binOp('shl', word, L.binOp('shl', i, L.const(U256, 3n, loc), loc), loc);
  return L.convert(L.convert(shifted, B32, loc), { kind: 'bytes', size: 1 }, loc);
}
