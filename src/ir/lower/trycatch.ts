import type { SrcLoc } from '../../util/loc.ts';
import { unsupported, type AstNode } from './context.ts';
import { lowerExternalCall } from './external.ts';
import { bindRetData, newRef } from './retdata.ts';
import type { FunctionLowerer } from './function.ts';

/**
 * `try I(t).f(args) returns (T v) { … } catch { … }` and `catch (bytes memory reason) { … }`, as solc
 * 0.8's legacy code generator compiles it (checked on the EVM by the differential harness): the target,
 * options and arguments are evaluated and encoded (an invalid enum argument panics, uncaught), the
 * extcodesize check for functions returning nothing reverts the caller (uncaught), then the same call as
 * an interface call is made. If it fails, the catch clause runs (`reason` is the callee's revert data);
 * if it succeeds, the return data is decoded (short or dirty data reverts the caller, uncaught) and the
 * success clause runs. `catch Error(string memory)` / `catch Panic(uint)` clauses (which decode the revert
 * data) and `try new C()` are unsupported.
 */
export function lowerTry(L: FunctionLowerer, s: AstNode, loc: SrcLoc): void {
  const [success, ...catches] = s.clauses as AstNode[];
  const onFail = catches[0];
  // `catch Error(string memory)` / `catch Panic(uint)` inspect the callee's revert data, which the model
  // gives only as a re-raisable whole (`0xca11fa11` and one free word, see smt/symexec.ts): deciding
  // which clause runs needs its selector, size and words to be the same answer the re-raise uses.
  const typed = catches.find((c) => c.errorName !== '');
  if (typed) unsupported(`catch ${typed.errorName}(…) clause (the callee's revert data is not modelled word by word)`, L.ctx.loc(typed));
  if (!success || catches.length !== 1 || !onFail) unsupported('try/catch with more than one catch clause', loc);
  const reason: AstNode | undefined = onFail.parameters?.parameters?.[0];
  if (reason && !(reason.storageLocation === 'memory' && /^bytes( memory)?$/.test(reason.typeDescriptions?.typeString ?? ''))) unsupported(`catch clause binding ${reason.typeDescriptions?.typeString}`, loc);
  const call: AstNode = s.externalCall;
  const done = lowerExternalCall(L, call, L.ctx.loc(call), (ok, decode) => {
    const env = new Map(L.b.env);
    const br = L.b.branch(ok.v, loc);
    L.b.resume(br.then, env);
    const values = decode();
    const params: (AstNode | null)[] = success.parameters?.parameters ?? [];
    if (!L.b.dead) {
      params.forEach((p, i) => {
        const v = values[i];
        if (p && v) L.b.env.set(p.id, L.convert(v, L.valueTypeOf(p, L.ctx.loc(p)), loc));
      });
      L.stmt(success.block);
    }
    const e1 = L.b.leave();
    L.b.resume(br.else, env);
    if (reason) bindRetData(L, reason.id, newRef(L, ok.v, loc));
    L.stmt(onFail.block);
    const e2 = L.b.leave();
    L.b.join([e1, e2], loc);
    return [];
  });
  if (done === undefined) unsupported('try on something other than an external call of a contract or interface function', loc);
}
