import type { SrcLoc } from '../../util/loc.ts';
import { U256, type ValueId } from '../types.ts';
import { unsupported, type AstNode } from './context.ts';
import type { FunctionLowerer, Val } from './function.ts';

/**
 * The return data of a low-level call as a `bytes memory` value (`(bool ok, bytes memory data) =
 * a.call(…)`, the bytes OpenZeppelin's `Address.functionCall` returns). Such a value is never a byte
 * string of the IR: a variable holding it is bound in the SSA environment under its own key to a
 * *reference*, the call's `callrds` value (or phis that all carry the same one), never to a data token,
 * so no generic byte-string use (hashing, emitting, storing, returning from an entry point, passing to
 * an encoder) can see it: those stay unsupported. The uses modelled look the call up from the reference
 * and read the world's answers of that call afresh: `.length` (returndatasize), `abi.decode` (its return
 * words), the assembly re-raise (its revert data, see yul.ts). A reference flows through internal calls
 * as an argument and as a result (see function.ts `inlineFunction`); assigning the variable anything
 * else drops the binding (`bindBytesVar`).
 */

/** Environment key of the reference a `bytes memory` variable holds (carried by loops with the variable). */
export const retDataKey = (declId: number | string): string => `rdata:${declId}:ref`;

/** The call whose return data the reference `v` stands for: a `callrds` of it, or phis that all carry one. */
export function refCall(L: FunctionLowerer, v: ValueId, depth = 0): ValueId | null {
  const d = L.b.definition(v);
  if (d?.kind === 'callrds') return d.call;
  if (d?.kind !== 'phi' || depth > 32 || d.incoming.length === 0) return null;
  const from = d.incoming.map((x) => refCall(L, x.value, depth + 1));
  return from.every((c) => c !== null && c === from[0]) ? from[0]! : null;
}

/** A fresh reference to the return data of call `call` (its returndatasize). */
export function newRef(L: FunctionLowerer, call: ValueId, loc: SrcLoc): Val {
  return { v: L.b.def({ kind: 'callrds', call, loc }), t: U256 };
}

/**
 * Binds the `bytes memory` variable `declId` to the return data `ref` refers to. Its byte-string binding
 * (if any, e.g. a return variable's initial empty string) goes: a join with a path where it still holds
 * a byte string drops both, and every use is then unsupported. A return variable so bound is recorded
 * (see `refReturnSet`).
 */
export function bindRetData(L: FunctionLowerer, declId: number, ref: Val): void {
  L.b.env.set(retDataKey(declId), ref);
  L.b.env.delete(`bstr:${declId}:t`);
  L.b.env.delete(`bstr:${declId}:l`);
  refReturnSet(L).add(declId);
}

/** The reference the identifier `e` holds, or null when it names no variable bound to return data. */
export function retDataRef(L: FunctionLowerer, e: AstNode | undefined): Val | null {
  if (e?.nodeType !== 'Identifier' || typeof e.referencedDeclaration !== 'number') return null;
  const b = L.b.env.get(retDataKey(e.referencedDeclaration));
  return b ? { v: b.v, t: U256 } : null;
}

/** The call whose return data the identifier `e` holds; null when it holds none; unsupported when joined from several calls. */
export function retDataCall(L: FunctionLowerer, e: AstNode | undefined, loc: SrcLoc): ValueId | null {
  const ref = retDataRef(L, e);
  if (ref === null) return null;
  const call = refCall(L, ref.v);
  if (call === null) unsupported('returned bytes of different calls joined from branches', loc);
  return call;
}

/**
 * Return variables of the functions being inlined that a `return` has set to return data (by
 * declaration id): a path that leaves such a function without it must not pass for an empty string.
 */
const refReturns = new WeakMap<FunctionLowerer, Set<number>>();

export function refReturnSet(L: FunctionLowerer): Set<number> {
  let s = refReturns.get(L);
  if (!s) refReturns.set(L, (s = new Set()));
  return s;
}

