import type { SrcLoc } from '../../util/loc.ts';
import { ADDRESS, U256, type EnvName, type ValueType } from '../types.ts';
import { isBuiltinRef, unsupported, type AstNode } from './context.ts';
import type { FunctionLowerer, Val } from './function.ts';

/**
 * Value-type expression breadth: environment values beyond msg.sender/msg.value/block.timestamp/number,
 * enums, and keccak256 over ABI encodings. Hooks in function.ts and ops.ts call these.
 */

const ENV_MEMBERS: Record<string, { name: EnvName; type: ValueType }> = {
  'tx.origin': { name: 'tx.origin', type: ADDRESS },
  'block.chainid': { name: 'block.chainid', type: U256 },
  'block.coinbase': { name: 'block.coinbase', type: ADDRESS },
  'block.basefee': { name: 'block.basefee', type: U256 },
  'block.prevrandao': { name: 'block.prevrandao', type: U256 },
  // Since Paris the DIFFICULTY opcode returns PREVRANDAO; solc compiles both to 0x44.
  'block.difficulty': { name: 'block.prevrandao', type: U256 },
  'block.gaslimit': { name: 'block.gaslimit', type: U256 },
};

/** `msg.sig`, `tx.origin`, `block.*` …: null when `name` is none of the values modelled here. */
export function envMember(L: FunctionLowerer, name: string, loc: SrcLoc): Val | null {
  if (name === 'msg.sig') {
    // Code reached through a selector sees exactly that selector; fallback and receive see calldata.
    if (L.entrySelector === null) unsupported('msg.sig outside a function with a selector', loc);
    return L.const({ kind: 'bytes', size: 4 }, L.entrySelector, loc);
  }
  const m = ENV_MEMBERS[name];
  if (!m) return null;
  return { v: L.b.def({ kind: 'env', name: m.name, type: m.type, loc }), t: m.type };
}

/** `msg.data.length`: the calldata size. */
export function isMsgDataLength(e: AstNode): boolean {
  const base = e.expression;
  return (
    e.memberName === 'length' &&
    base?.nodeType === 'MemberAccess' &&
    base.memberName === 'data' &&
    base.expression?.nodeType === 'Identifier' &&
    base.expression.name === 'msg' &&
    isBuiltinRef(base.expression.referencedDeclaration)
  );
}

export function msgDataLength(L: FunctionLowerer, loc: SrcLoc): Val {
  return { v: L.b.def({ kind: 'env', name: 'calldatasize', type: U256, loc }), t: U256 };
}
