import type { SrcLoc } from '../../util/loc.ts';
import { U256, typeName, type SlotStep, type StorageType } from '../types.ts';
import { unsupported, type AstNode } from './context.ts';
import type { FunctionLowerer, Val } from './function.ts';
import { isPackedElem, perSlot, storageBytesOf } from './packed.ts';

/**
 * Emptying a dynamic storage array (`delete a`, `a = new T[](0)`), as solc's legacy code generator does
 * it (ArrayUtils::clearDynamicArray, and copyArrayToStorage from an empty memory array; both checked on
 * the EVM, test/diff/contracts/ArrayClears.sol): read the old length, write length 0, then zero every
 * data word the old length covered — ceil(len / perSlot) words for packed elements, len words otherwise,
 * computed with wrapping arithmetic as solc does — whole words, so junk bytes past the last packed
 * element are cleared too. The words are one `sclear` instruction, whatever the length.
 *
 * Only arrays of value types: for struct elements solc zeroes member by member (padding bytes survive),
 * and elements that are arrays or hold mappings are not modelled.
 */
/** True for `new T[](0)` with a literal 0 length (a memory array nothing can observe being made). */
export function isEmptyNewArray(e: AstNode): boolean {
  const args: AstNode[] | undefined = e?.arguments;
  return e?.nodeType === 'FunctionCall' && e.kind === 'functionCall' && e.expression?.nodeType === 'NewExpression' && args?.length === 1 && args[0]?.nodeType === 'Literal' && args[0].kind === 'number' && args[0].value === '0' && args[0].subdenomination == null;
}

/** Where `copyToDynamicArray` copies from: a dynamic storage array, or an array parameter's calldata. */
export type CopySource =
  | { readonly kind: 'storage'; readonly slot: { root: bigint; keys: readonly SlotStep[] }; readonly elem: StorageType }
  | { readonly kind: 'calldata'; readonly len: Val; readonly start: Val; readonly elem: StorageType };

/** Same element type, taking a whole word (`uint256`, `int256`, `bytes32`): the copy is word for word. */
function wordElement(t: StorageType, u: StorageType): boolean {
  return t.kind === 'value' && u.kind === 'value' && t.bytes === 32 && u.bytes === 32 && typeName(t.type) === typeName(u.type);
}

/**
 * `a = b` (storage) or `a = xs` (an array parameter) for a dynamic storage array `a` of whole-word
 * elements, as solc's copyArrayToStorage does it: read the source length and the old length, write the
 * new length, copy the words, zero the old words past the new length (checked on the EVM,
 * test/diff/contracts/ArrayCopies.sol). Narrower elements are refused: solc copies them element by
 * element into packed or partly used words, keeping junk bytes the word copy would overwrite. A storage
 * source must be another variable (a different root slot), so it cannot overlap the target.
 */
export function copyToDynamicArray(L: FunctionLowerer, slot: { root: bigint; keys: readonly SlotStep[] }, elem: StorageType, src: CopySource, loc: SrcLoc): void {
  if (!wordElement(elem, src.elem)) unsupported('copy to a storage array of elements narrower than a word or of another type', loc);
  if (src.kind === 'storage' && src.slot.root === slot.root) unsupported('copy between storage arrays of one variable', loc);
  const len: Val = src.kind === 'calldata' ? src.len : { v: L.b.def({ kind: 'sload', slot: src.slot, offset: 0, type: U256, loc }), t: U256 };
  const old: Val = { v: L.b.def({ kind: 'sload', slot, offset: 0, type: U256, loc }), t: U256 };
  L.b.effect({ kind: 'sstore', slot, offset: 0, type: U256, value: len.v, loc });
  L.b.effect({ kind: 'sclear', slot, len: old.v, loc });
  L.b.effect({ kind: 'scopy', slot, from: src.kind === 'storage' ? src.slot : null, start: src.kind === 'calldata' ? src.start.v : null, len: len.v, loc });
}

export function clearDynamicArray(L: FunctionLowerer, slot: { root: bigint; keys: readonly SlotStep[] }, elem: StorageType, loc: SrcLoc): void {
  if (elem.kind !== 'value') unsupported('delete of a dynamic array whose elements are not value types', loc);
  const c = (x: bigint): Val => L.const(U256, x, loc);
  const len: Val = { v: L.b.def({ kind: 'sload', slot, offset: 0, type: U256, loc }), t: U256 };
  L.b.effect({ kind: 'sstore', slot, offset: 0, type: U256, value: c(0n).v, loc });
  const per = isPackedElem(elem.type) ? perSlot(storageBytesOf(elem.type)) : 1n;
  const words = per === 1n ? len : L.binOp('div', L.binOp('add', len, c(per - 1n), loc), c(per), loc);
  L.b.effect({ kind: 'sclear', slot, len: words.v, loc });
}
