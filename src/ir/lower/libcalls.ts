import type { SrcLoc } from '../../util/loc.ts';
import { unsupported, type AstNode, type LowerContext } from './context.ts';
import { enumMembersOf } from './exprs.ts';
import type { FunctionLowerer } from './function.ts';
import { parseTypeString } from './soltypes.ts';

/**
 * External library calls: `L.f(x)` or `x.f()` under `using L for T`, where `f` is `public`/`external` in
 * library `L`, compile to a DELEGATECALL into the library linked at deployment. patchproof links the
 * library compiled from the same sources (frontend/link.ts, an assumption the certificate's code hash
 * binds) and inlines `f` with delegatecall semantics: the same storage, `msg.sender`, `msg.value` and
 * `address(this)`, events logged by the contract, and the callee's revert data re-raised unchanged.
 * Arguments are ABI-copied, so only value types (clean, as the encoder leaves them), storage
 * references (passed as their slot) and memory structs of value-type members (a copy of the members) are
 * modelled; enums, other memory and calldata values are not. Inside the
 * library, calldata is the library call's own (`msg.sig`, `msg.data`): those stay unsupported there.
 */

export function isExternalLibraryFunction(ctx: LowerContext, def: AstNode): boolean {
  return (def.visibility === 'public' || def.visibility === 'external') && ctx.node(def.scope)?.contractKind === 'library';
}

/** Refuses library calls whose parameters or returns cannot be passed as inlined values. */
export function checkLibraryCall(L: FunctionLowerer, def: AstNode, loc: SrcLoc): void {
  const what = `external library call ${L.ctx.node(def.scope)?.name ?? '?'}.${def.name}`;
  for (const p of def.parameters.parameters as AstNode[]) {
    if (p.storageLocation === 'storage') continue;
    // A memory struct of value-type members is passed as a copy (aggregates.ts aggregateArg).
    if (p.storageLocation === 'memory' && /^struct /.test(p.typeDescriptions?.typeString ?? '')) continue;
    if (!passable(L, p)) unsupported(`${what} with a ${p.typeDescriptions?.typeString} parameter`, loc);
  }
  for (const p of def.returnParameters.parameters as AstNode[]) {
    if (!passable(L, p)) unsupported(`${what} returning ${p.typeDescriptions?.typeString}`, loc);
  }
}

function passable(L: FunctionLowerer, p: AstNode): boolean {
  const text: string = p.typeDescriptions?.typeString ?? '';
  return enumMembersOf(L.ctx, p) === null && (parseTypeString(text).kind === 'value' || /^(contract|interface) /.test(text));
}

/** Whether code being lowered runs inside a library function reached by DELEGATECALL (its calldata is not the entry point's). */
export function inLibraryCall(L: FunctionLowerer): boolean {
  const frames = (L as unknown as { frames: readonly { def: AstNode }[] }).frames;
  return frames.some((f) => isExternalLibraryFunction(L.ctx, f.def));
}
