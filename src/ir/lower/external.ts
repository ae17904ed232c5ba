import { enumMembersOf, guardEnumDecodable, guardEnumEncodable } from './exprs.ts';
import type { SrcLoc } from '../../util/loc.ts';
import { ADDRESS, BOOL, U256, type ValueType, type Word } from '../types.ts';
import { isBuiltinRef, unsupported, type AstNode } from './context.ts';
import { EMPTY_REVERT, type FunctionLowerer, type Val } from './function.ts';
import { parseTypeString } from './soltypes.ts';

/**
 * External calls, following solc 0.8's legacy code generator (checked on the EVM by the differential
 * harness):
 * - high-level `I(t).f{value: v}(args)`: the target, then the options, then the arguments are evaluated;
 *   when `f` returns nothing solc first reverts (empty data) if `t` has no code (from 0.8.10 the check is
 *   skipped when return data is decoded); a failed call re-raises the callee's revert data; return data
 *   shorter than the return words, or a dirty word, reverts with empty data; `view`/`pure` functions are
 *   called with STATICCALL.
 * - `payable(a).transfer(x)` / `a.send(x)`: a call with the 2300-gas stipend and empty calldata;
 *   `transfer` re-raises the callee's revert data on failure, `send` returns the flag.
 * - `a.call{value: v}("")`: empty calldata, all gas; only the success flag may be used.
 * Everything else (calldata other than `""`, returned bytes, `gas:` options, delegatecall, `this.f()`)
 * stays unsupported.
 */

const isContractType = (text: string | undefined): boolean => text !== undefined && (text.startsWith('contract ') || text.startsWith('interface '));
const isAddressType = (text: string | undefined): boolean => text === 'address' || text === 'address payable';

/** `I(a)` or a contract-typed expression, as the address it denotes. */
function addressOf(L: FunctionLowerer, e: AstNode, loc: SrcLoc): Val {
  if (e.nodeType === 'Identifier' && e.name === 'this' && isBuiltinRef(e.referencedDeclaration)) unsupported('external call to this contract', loc);
  return L.expr(e, ADDRESS);
}

/** The options of `f{value: v}`: only `value` is modelled. */
function callOptions(L: FunctionLowerer, callee: AstNode, loc: SrcLoc): { fn: AstNode; value: AstNode | null } {
  if (callee.nodeType !== 'FunctionCallOptions') return { fn: callee, value: null };
  const names: string[] = callee.names ?? [];
  if (names.some((n) => n !== 'value')) unsupported(`call option ${names.find((n) => n !== 'value')}`, loc);
  void L;
  return { fn: callee.expression, value: callee.options[names.indexOf('value')] ?? null };
}

/**
 * Lowers `e` when it is an external call this module models; returns undefined when `e` is not an
 * external call at all (internal calls, builtins), and throws `unsupported` for external calls it does
 * not model.
 */
export function lowerExternalCall(L: FunctionLowerer, e: AstNode, loc: SrcLoc): (Val | null)[] | undefined {
  const { fn, value } = callOptions(L, e.expression, loc);
  if (fn.nodeType !== 'MemberAccess') {
    if (value !== null) unsupported('call with {value} options', loc);
    return undefined;
  }
  const base: AstNode = fn.expression;
  const baseType: string | undefined = base.typeDescriptions?.typeString;
  const member: string = fn.memberName;
  if (isAddressType(baseType) || (base.nodeType === 'FunctionCall' && base.kind === 'typeConversion' && isAddressType(baseType))) {
    switch (member) {
      case 'transfer':
      case 'send': {
        const to = L.expr(base, ADDRESS);
        const amount = L.expr(e.arguments[0], U256);
        if (L.b.dead) return [];
        const ok = L.externalCall({ call: 'call', stipend: true, to, amount, selector: null, args: [] }, loc);
        if (member === 'send') return [ok];
        L.bubbleUnless(ok, loc);
        return [];
      }
      case 'call': {
        const data: AstNode | undefined = e.arguments[0];
        if (!(data?.nodeType === 'Literal' && data.kind === 'string' && data.hexValue === '')) unsupported('low-level call with calldata other than ""', loc);
        const to = L.expr(base, ADDRESS);
        const amount = value === null ? null : L.expr(value, U256);
        if (L.b.dead) return [];
        const ok = L.externalCall({ call: 'call', stipend: false, to, amount, selector: null, args: [] }, loc);
        return [ok, null];
      }
      default:
        unsupported(`address member .${member}`, loc);
    }
  }
  if (!isContractType(baseType)) return undefined;
  const decl = L.ctx.node(fn.referencedDeclaration);
  if (decl?.nodeType !== 'FunctionDefinition') unsupported(`external call .${member}`, loc);
  if (base.nodeType === 'Identifier' && base.name === 'super') return undefined;
  const scope = L.ctx.node(decl.scope);
  if (scope?.contractKind === 'library') return undefined;
  const params: AstNode[] = decl.parameters.parameters;
  const rets: AstNode[] = decl.returnParameters.parameters;
  const retTypes: ValueType[] = rets.map((p) => L.valueTypeOf(p, loc, `external call returning ${p.typeDescriptions?.typeString}`));
  const paramTypes: ValueType[] = params.map((p) => L.valueTypeOf(p, loc, `external call with a ${p.typeDescriptions?.typeString} argument`));
  if ((e.names ?? []).length > 0) unsupported('external call with named arguments', loc);
  const to = addressOf(L, base, loc);
  const amount = value === null ? null : L.expr(value, U256);
  const args = (e.arguments as AstNode[]).map((a, i) => L.expr(a, paramTypes[i]));
  if (L.b.dead) return [];
  const selector = BigInt('0x' + decl.functionSelector);
  const isStatic = decl.stateMutability === 'view' || decl.stateMutability === 'pure';
  // Encoding the arguments validates enums (Panic 0x21), before the code check and the call.
  args.forEach((a, i) => guardEnumEncodable(L, a, enumMembersOf(L.ctx, params[i]), loc));
  if (retTypes.length === 0) {
    const has: Val = { v: L.b.def({ kind: 'hascode', to: to.v, loc }), t: BOOL };
    L.guardOp(has, EMPTY_REVERT, loc);
  }
  const words: Word[] = args.map((a, i) => ({ kind: 'value', value: a.v, type: paramTypes[i]! }));
  const ok = L.externalCall({ call: isStatic ? 'staticcall' : 'call', stipend: false, to, amount, selector, args: words }, loc);
  L.bubbleUnless(ok, loc);
  if (retTypes.length === 0) return [];
  const rds: Val = { v: L.b.def({ kind: 'callrds', call: ok.v, loc }), t: U256 };
  L.guardNotOp(L.binOp('lt', rds, L.const(U256, 32n * BigInt(retTypes.length), loc), loc, BOOL), EMPTY_REVERT, loc);
  const raws: Val[] = retTypes.map((_, index) => ({ v: L.b.def({ kind: 'callret', call: ok.v, index, loc }), t: U256 }));
  return retTypes.map((t, i) => {
    const raw = raws[i]!;
    // Decoding rejects dirty words, and for an enum any value that is not a member (empty revert).
    const members = enumMembersOf(L.ctx, rets[i]);
    if (members !== null) guardEnumDecodable(L, raw, members, loc);
    else if (!(t.kind === 'uint' && t.bits === 256)) L.guardOp({ v: L.b.def({ kind: 'abiok', a: raw.v, type: t, loc }), t: BOOL }, EMPTY_REVERT, loc);
    return decodeReturnWord(L, raw, t, loc);
  });
}

function decodeReturnWord(L: FunctionLowerer, raw: Val, t: ValueType, loc: SrcLoc): Val {
  switch (t.kind) {
    case 'bool':
      return L.binOp('ne', raw, L.const(U256, 0n, loc), loc, BOOL);
    case 'bytes':
      return L.convert({ v: L.b.def({ kind: 'conv', a: raw.v, from: U256, to: { kind: 'bytes', size: 32 }, loc }), t: { kind: 'bytes', size: 32 } }, t, loc);
    default:
      return L.convert(raw, t, loc);
  }
}

/** `address(this).balance`; the balance of any other address is not modelled. */
export function lowerBalance(L: FunctionLowerer, e: AstNode, loc: SrcLoc): Val {
  const base: AstNode = e.expression;
  const inner: AstNode | undefined = base.nodeType === 'FunctionCall' && base.kind === 'typeConversion' ? base.arguments[0] : undefined;
  if (inner?.nodeType === 'Identifier' && inner.name === 'this' && isBuiltinRef(inner.referencedDeclaration)) {
    return { v: L.b.def({ kind: 'selfbalance', loc }), t: U256 };
  }
  unsupported('balance of an address other than address(this)', loc);
}

/** Whether `t` is the type string of a value-type address-like expression (for `.balance`). */
export function isAddressTyped(e: AstNode): boolean {
  const st = parseTypeString(e.typeDescriptions?.typeString ?? '');
  return st.kind === 'value' && st.type.kind === 'address';
}
