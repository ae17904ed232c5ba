import type { SrcLoc } from '../../util/loc.ts';
import { invariant } from '../../util/assert.ts';
import { BOOL, U256, typeName, type Param, type StructMember, type ValueType, type Word } from '../types.ts';
import { unsupported, type AstNode } from './context.ts';
import { EMPTY_REVERT, invalidFor, type FunctionLowerer, type Val } from './function.ts';
import { elementOf, keyStep, lengthOf, memberOf, sloadAt, slotVal, type Place } from './aggregates.ts';
import { memberValueType, stateVarType, typeStringOf } from './storagetypes.ts';
import { abiEncode, byteArrayParam, loadStorageBytes, type AbiItem } from './bytes.ts';

/** Public getters of state variables that go through structs and arrays (mapping keys and array indices as parameters). */
/** True when a public state variable's getter goes through structs or arrays. */
export function isAggregateGetter(decl: AstNode): boolean {
  return /struct |\]/.test(typeStringOf(decl));
}

/**
 * The getter of a public struct/array state variable: one parameter per mapping key and array index
 * (uint256), bounds-checked like an index access; a struct returns its value-type members in order
 * (solc leaves out mapping and array members).
 */
export function aggregateGetter(L: FunctionLowerer, decl: AstNode, loc: SrcLoc): { params: Param[]; returns: Param[] } {
  let t = stateVarType(L, decl, loc);
  const params: Param[] = [];
  while (t.kind === 'mapping' || t.kind === 'array') {
    const kt: ValueType = t.kind === 'mapping' ? t.key : U256;
    params.push({ name: `key${params.length}`, type: kt, typeName: typeName(kt) });
    t = t.kind === 'mapping' ? t.value : t.elem;
  }
  const leaf = t;
  let returns: Param[];
  // A getter returns value-type and byte-string members (solc leaves out mappings and arrays).
  const returned = (m: StructMember): boolean => m.type.kind === 'value' || m.type.kind === 'bytes';
  if (leaf.kind === 'value') returns = [{ name: decl.name, type: leaf.type, typeName: typeName(leaf.type) }];
  else if (leaf.kind === 'bytes') returns = [byteArrayParam(decl.name, leaf.text)];
  else {
    invariant(leaf.kind === 'struct', 'getter leaf');
    if (leaf.members.some((m) => m.type.kind === 'struct')) unsupported('getter of a struct with a struct member', loc);
    returns = leaf.members.filter(returned).map((m) => (m.type.kind === 'bytes' ? byteArrayParam(m.name, m.type.text) : { name: m.name, type: memberValueType(m), typeName: typeName(memberValueType(m)) }));
  }
  const withBytes = returns.some((r) => r.typeName === 'string' || r.typeName === 'bytes');
  L.lowerEntry(decl, params, returns, false, loc, (args: Val[]): Val[] | { words: Word[] } => {
    const at = L.ctx.storageOf(decl.id);
    invariant(at !== undefined, `no storage slot for ${decl.name}`);
    let p: Place = { root: at.slot, steps: [], byteOffset: at.offset, type: stateVarType(L, decl, loc) };
    for (const a of args) {
      if (p.type.kind === 'mapping') p = keyStep(L, p, a, loc);
      else {
        invariant(p.type.kind === 'array', 'getter index');
        p = getterElement(L, p, a, loc);
      }
    }
    if (p.type.kind === 'value') return [sloadAt(L, p, p.type.type, loc)];
    if (p.type.kind === 'bytes' || withBytes) {
      // Copied to memory and ABI-encoded: byte strings zero past their length (Panic 0x22 when corrupt).
      const base = p;
      const members = base.type.kind === 'struct' ? base.type.members.filter(returned) : null;
      const item = (q: Place): AbiItem => {
        if (q.type.kind === 'value') return { kind: 'value', val: sloadAt(L, q, q.type.type, loc) };
        const s = loadStorageBytes(L, slotVal(L, q, loc), loc, false);
        return { kind: 'bytes', data: { len: s.len, words: [s.data] } };
      };
      const items = members ? members.map((m) => item(memberOf(L, base, m.name, loc))) : [item(base)];
      return { words: abiEncode(L, items, loc) };
    }
    invariant(p.type.kind === 'struct', 'getter leaf');
    const base = p;
    return base.type.kind === 'struct' ? base.type.members.filter(returned).map((m) => sloadAt(L, memberOf(L, base, m.name, loc), memberValueType(m), loc)) : [];
  });
  return { params, returns };
}

/**
 * A getter's array index: out of range reverts with empty data (solc's accessor, checked on the EVM), but
 * executes INVALID in code compiled by solc 0.6 (checked on the EVM with 0.6.12; 0.7.6 reverts).
 */
function getterElement(L: FunctionLowerer, arr: Place, i: Val, loc: SrcLoc): Place {
  invariant(arr.type.kind === 'array', 'getter array');
  const len = arr.type.length === null ? lengthOf(L, arr, loc) : L.const(U256, arr.type.length, loc);
  const outOfRange = L.ctx.pre08?.solc.startsWith('0.6.') ? invalidFor({ ...EMPTY_REVERT, description: 'getter index out of range' }) : EMPTY_REVERT;
  L.guardOp(L.binOp('lt', i, len, loc, BOOL), outOfRange, loc);
  return elementOf(L, arr, i, loc, false);
}
