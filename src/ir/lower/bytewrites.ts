import type { SrcLoc } from '../../util/loc.ts';
import type { SlotPath, Word } from '../types.ts';
import { unsupported, type AstNode } from './context.ts';
import type { FunctionLowerer, Val } from './function.ts';
import { byteStringExpr, isByteArrayType, storedLength } from './bytes.ts';
import { parseTypeString } from './soltypes.ts';

/**
 * Writes to `string`/`bytes` in storage: `s = v` and `delete s`, lowered as solc's copy to storage does
 * it (checked on the EVM): the right side, then the target's place, then the old slot word is read and
 * its encoding checked (Panic 0x22 on a corrupt one, also for `delete`), then one `bstore` writes the new
 * value and clears the old long form's stale data words. Sources are literals, constants and calldata
 * or memory parameters; a stored byte string copied into storage stays unsupported.
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
  // A storage source would be read word by word while the target is written (and may be the target).
  if (/ storage/.test(rhs.typeDescriptions?.typeString ?? '')) unsupported('copying a stored string/bytes into storage', loc);
  const src = byteStringExpr(L, rhs, false);
  if (src.stored) unsupported('copying a stored string/bytes into storage', loc);
  if (L.b.dead) return;
  const slot = bytesPlace(L, e.leftHandSide, loc);
  if (L.b.dead) return;
  writeBytes(L, slot, src.len, src.words, loc);
}

/** `delete target` for a `string`/`bytes` in storage: the empty string written over it. */
export function deleteBytes(L: FunctionLowerer, e: AstNode, loc: SrcLoc): void {
  const slot = bytesPlace(L, e, loc);
  if (L.b.dead) return;
  writeBytes(L, slot, L.const({ kind: 'uint', bits: 256 }, 0n, loc), [], loc);
}

function writeBytes(L: FunctionLowerer, slot: SlotPath, len: Val, data: readonly Word[], loc: SrcLoc): void {
  const { word } = storedLength(L, slot, loc);
  L.b.effect({ kind: 'bstore', slot, old: word.v, len: len.v, data, loc });
}

/** The slot path of a `string`/`bytes` storage place: a state variable or a mapping entry (keys evaluated base first). */
function bytesPlace(L: FunctionLowerer, e: AstNode, loc: SrcLoc): SlotPath {
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
