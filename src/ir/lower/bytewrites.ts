import type { SrcLoc } from '../../util/loc.ts';
import { BOOL, U256, typeName, type SlotPath, type ValueType, type Word } from '../types.ts';
import { unsupported, type AstNode } from './context.ts';
import { panicData, type FunctionLowerer, type Val } from './function.ts';
import { byteStringExpr, isByteArrayType, loadStorageBytes, storedLength } from './bytes.ts';
import { parseTypeString } from './soltypes.ts';

/**
 * Writes to `string`/`bytes` in storage: `s = v` and `delete s`, lowered as solc's copy to storage does
 * it (checked on the EVM): the right side, then the target's place, then the old slot word is read and
 * its encoding checked (Panic 0x22 on a corrupt one, also for `delete`), then one `bstore` writes the new
 * value and clears the old long form's stale data words. Sources are literals, constants, memory and
 * calldata byte strings, and stored ones (copied word by word, see `copyStored`).
 */

/** Whether `e` is a `string`/`bytes` storage place (the target of an assignment or `delete`). */
export function isStoredByteArray(e: AstNode): boolean {
  const t: string | undefined = e.typeDescriptions?.typeString;
  return isByteArrayType(t) && / storage (ref|pointer)$/.test(t!);
}

/** `target = value` where the target is a `string`/`bytes` in storage. */
export function assignBytes(L: FunctionLowerer, e: AstNode, loc: SrcLoc): void {
  if (e.operator !== '=') unsupported(`${e.operator} on ${e.leftHandSide.typeDescriptions?.typeString}`, loc);
  const rhs: AstNode = e.rightHandSide;
  if (/ storage (ref|pointer)$/.test(rhs.typeDescriptions?.typeString ?? '')) return copyStored(L, rhs, e.leftHandSide, loc);
  const src = byteStringExpr(L, rhs, false);
  if (L.b.dead) return;
  const slot = bytesPlace(L, e.leftHandSide, loc);
  if (L.b.dead) return;
  writeBytes(L, slot, src.len, src.words, loc);
}

/**
 * `target = source` with both in storage, as solc's copy does it (checked on the EVM): the source's
 * place, then the target's; when they are the same slot nothing happens (no check either); else the
 * source is read (Panic 0x22 on a corrupt encoding), then the target's old word, then the write.
 */
function copyStored(L: FunctionLowerer, rhs: AstNode, lhs: AstNode, loc: SrcLoc): void {
  const from = bytesPlace(L, stripConversion(rhs), loc);
  if (L.b.dead) return;
  const to = bytesPlace(L, lhs, loc);
  if (L.b.dead) return;
  const same = sameSlot(L, from, to, loc);
  if (same === true) return;
  const copy = (): void => {
    const src = loadStorageBytes(L, from, loc, false);
    writeBytes(L, to, src.len, [src.data], loc);
  };
  if (same === false) return copy();
  const env = new Map(L.b.env);
  const br = L.b.branch(same.v, loc);
  L.b.resume(br.then, env);
  const skip = L.b.leave();
  L.b.resume(br.else, env);
  copy();
  L.b.join([skip, L.b.leave()], loc);
}

/** `bytes(x)`/`string(x)` of a stored byte string is the same storage reference. */
export function stripConversion(e: AstNode): AstNode {
  return e.nodeType === 'FunctionCall' && e.kind === 'typeConversion' && e.arguments?.length === 1 ? stripConversion(e.arguments[0]) : e;
}

/**
 * Whether two slot paths are the same slot: a constant when their shapes decide it (different roots or
 * steps never meet, by the non-collision assumption), else the equality of their keys.
 */
function sameSlot(L: FunctionLowerer, a: SlotPath, b: SlotPath, loc: SrcLoc): boolean | Val {
  if (a.root !== b.root || a.keys.length !== b.keys.length) return false;
  let acc: Val | null = null;
  for (const [i, x] of a.keys.entries()) {
    const y = b.keys[i]!;
    if ((x.kind ?? 'key') !== (y.kind ?? 'key')) return false;
    if (x.kind === 'bkey' || y.kind === 'bkey') unsupported('copying between byte strings under string keys', loc);
    if (x.kind === 'data' || y.kind === 'data' || x.value === y.value) continue;
    const tx = x.kind === 'add' ? U256 : x.type;
    const ty = y.kind === 'add' ? U256 : y.type;
    if (typeName(tx) !== typeName(ty)) unsupported('copying between byte strings under keys of different types', loc);
    const eq = L.binOp('eq', { v: x.value, t: tx }, { v: y.value, t: ty }, loc, BOOL);
    acc = acc === null ? eq : L.binOp('land', acc, eq, loc, BOOL);
  }
  return acc ?? true;
}

/** `delete target` for a `string`/`bytes` in storage: the empty string written over it. */
export function deleteBytes(L: FunctionLowerer, e: AstNode, loc: SrcLoc): void {
  const slot = bytesPlace(L, e, loc);
  if (L.b.dead) return;
  deleteBytesAt(L, slot, loc);
}

/** The empty string written over the byte string at `slot` (`delete`, also of a struct or array holding it). */
export function deleteBytesAt(L: FunctionLowerer, slot: SlotPath, loc: SrcLoc): void {
  writeBytes(L, slot, L.const({ kind: 'uint', bits: 256 }, 0n, loc), [], loc);
}

export function writeBytes(L: FunctionLowerer, slot: SlotPath, len: Val, data: readonly Word[], loc: SrcLoc): void {
  const { word } = storedLength(L, slot, loc);
  L.b.effect({ kind: 'bstore', slot, old: word.v, len: len.v, data, loc });
}

/**
 * The slot path of a `string`/`bytes` storage place: a state variable, a mapping entry, or a struct member
 * or array element (keys and indexes evaluated base first, indexes bounds-checked).
 */
export function bytesPlace(L: FunctionLowerer, e: AstNode, loc: SrcLoc): SlotPath {
  const inAggregate = L.aggregateBytesPlace(e);
  if (inAggregate) return inAggregate;
  if (e.nodeType === 'IndexAccess' && parseTypeString(e.baseExpression.typeDescriptions?.typeString ?? '').kind === 'mapping') return L.mappingEntry(e, loc).path;
  if (e.nodeType === 'Identifier') {
    const decl = L.ctx.node(e.referencedDeclaration);
    if (decl?.nodeType === 'VariableDeclaration' && decl.stateVariable && !decl.constant && decl.mutability === 'mutable') {
      const at = L.ctx.storageOf(decl.id);
      if (at !== undefined) return { root: at.slot, keys: [] };
    }
  }
  unsupported(`writing ${e.typeDescriptions?.typeString ?? 'a byte string'} of this form (${e.nodeType})`, loc);
}

/**
 * `b[i]` of a stored `bytes` (or `bytes(s)[i]` of a stored string) as an assignment target, as solc's
 * legacy code generator forms and writes it (checked on the EVM, test/diff/contracts/ByteWrites.sol):
 * the place, the index, the length from the slot word (Panic 0x22 on a corrupt encoding), Panic(0x32)
 * unless i < length; a write then replaces byte i of the slot word (short form) or byte i % 32 of the
 * data word keccak256(slot) + i / 32 (long form), the word's other bytes kept (read, masked, written).
 * Null for other targets.
 */
export function storedByteLValue(L: FunctionLowerer, e: AstNode, loc: SrcLoc): { load: (loc: SrcLoc) => Val; store: (v: Val, loc: SrcLoc) => void } | null {
  if (e.nodeType !== 'IndexAccess' || !e.indexExpression || !isStoredByteArray(e.baseExpression)) return null;
  const slot = bytesPlace(L, stripConversion(e.baseExpression), loc);
  const i = L.expr(e.indexExpression, U256);
  const c = (x: bigint): Val => L.const(U256, x, loc);
  const B1: ValueType = { kind: 'bytes', size: 1 };
  if (L.b.dead) return { load: () => L.const(B1, 0n, loc), store: () => undefined };
  const { word, len } = storedLength(L, slot, loc);
  L.guardOp(L.binOp('lt', i, len, loc, BOOL), panicData(0x32), loc);
  const odd = L.binOp('ne', L.binOp('and', word, c(1n), loc), c(0n), loc, BOOL);
  const data: SlotPath = { root: slot.root, keys: [...slot.keys, { kind: 'data' }, { kind: 'add', value: L.binOp('shr', i, c(5n), loc).v }] };
  // Bits from the top of the word to the byte: 8 * (i % 32) in a data word, 8 * i in the slot word (i < 31 there).
  const shiftIn = (long: boolean): Val => L.binOp('shl', long ? L.binOp('and', i, c(31n), loc) : i, c(3n), loc);
  const read = (at: SlotPath): Val => ({ v: L.b.def({ kind: 'sload', slot: at, offset: 0, type: U256, loc }), t: U256 });
  return {
    load: (at) => {
      const w: Val = { v: L.b.def({ kind: 'select', cond: odd.v, a: read(data).v, b: word.v, type: U256, loc: at }), t: U256 };
      const shift = { v: L.b.def({ kind: 'select', cond: odd.v, a: shiftIn(true).v, b: shiftIn(false).v, type: U256, loc: at }), t: U256 };
      return L.convert(L.convert(L.binOp('shl', w, shift, at), { kind: 'bytes', size: 32 }, at), B1, at);
    },
    store: (v, at) => {
      const x = L.convert(L.convert(L.convert(v, B1, at), { kind: 'bytes', size: 32 }, at), U256, at);
      const write = (long: boolean): void => {
        const place = long ? data : slot;
        // The word as it is now, as solc reads it when it stores: in `(s[0], s[1]) = (a, b)` both targets
        // are formed before either is stored, and the slot word read when forming one is stale by then.
        const old = read(long ? data : slot);
        const s = shiftIn(long);
        const mask = L.binOp('shr', c(0xffn << 248n), s, at);
        const kept = L.binOp('and', old, L.binOp('xor', mask, c((1n << 256n) - 1n), at), at);
        const updated = L.binOp('or', kept, L.binOp('shr', x, s, at), at);
        L.b.effect({ kind: 'sstore', slot: place, offset: 0, type: U256, value: updated.v, loc: at });
      };
      const env = new Map(L.b.env);
      const br = L.b.branch(odd.v, at);
      L.b.resume(br.then, env);
      write(true);
      const a = L.b.leave();
      L.b.resume(br.else, env);
      write(false);
      L.b.join([a, L.b.leave()], at);
    },
  };
}
