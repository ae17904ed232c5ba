import { abiEncoderOf, abiEncoding, constParts, enumMembersOf, guardEnumDecodable, guardEnumEncodable } from './exprs.ts';
import type { SrcLoc } from '../../util/loc.ts';
import { ADDRESS, BOOL, U256, type Instr, type KeccakPart, type ValueId, type ValueType, type Word } from '../types.ts';
import { isBuiltinRef, unsupported, type AstNode } from './context.ts';
import { EMPTY_REVERT, type FunctionLowerer, type Val } from './function.ts';
import { parseTypeString } from './soltypes.ts';
import { hexToBytes } from '../../util/hash.ts';
import { boundPayload, byteStringExpr, isByteArrayType, type ByteStringData } from './bytes.ts';
import { decodeByteString } from './abibytes.ts';
import { memArrayRef, memArrayShape, type MemShape } from './memarrays.ts';
import { bindRetData, newRef, retDataCall } from './retdata.ts';

/**
 * External calls, following solc 0.8's legacy code generator (checked on the EVM by the differential
 * harness):
 * - high-level `I(t).f{value: v}(args)`: the target, then the options, then the arguments are evaluated;
 *   when `f` returns nothing solc first reverts (empty data) if `t` has no code (from 0.8.10 the check is
 *   skipped when return data is decoded); a failed call re-raises the callee's revert data; return data
 *   shorter than the return words, or a dirty word, reverts with empty data; `view`/`pure` functions are
 *   called with STATICCALL. Another contract's public state variable getter is called like a function.
 * - `payable(a).transfer(x)` / `a.send(x)`: a call with the 2300-gas stipend and empty calldata;
 *   `transfer` re-raises the callee's revert data on failure, `send` returns the flag.
 * - low-level `a.call{value: v, gas: g}(data)` / `a.staticcall(data)` with the calldata forms the README
 *   lists; the returned bytes are a reference to the call (retdata.ts).
 * Everything else (delegatecall, `this.f()`, other calldata) stays unsupported. The README's "What is
 * modelled" table is the full list.
 */

const isContractType = (text: string | undefined): boolean => text !== undefined && (text.startsWith('contract ') || text.startsWith('interface '));
const isAddressType = (text: string | undefined): boolean => text === 'address' || text === 'address payable';

/** `I(a)` or a contract-typed expression, as the address it denotes. */
function addressOf(L: FunctionLowerer, e: AstNode, loc: SrcLoc): Val {
  if (e.nodeType === 'Identifier' && e.name === 'this' && isBuiltinRef(e.referencedDeclaration)) unsupported('external call to this contract', loc);
  return L.expr(e, ADDRESS);
}

/** The options of `f{value: v, gas: g}`. */
function callOptions(callee: AstNode, loc: SrcLoc): { fn: AstNode; value: AstNode | null; gas: AstNode | null; order: string[] } {
  if (callee.nodeType !== 'FunctionCallOptions') return { fn: callee, value: null, gas: null, order: [] };
  const names: string[] = callee.names ?? [];
  const other = names.find((n) => n !== 'value' && n !== 'gas');
  if (other !== undefined) unsupported(`call option ${other}`, loc);
  return { fn: callee.expression, value: callee.options[names.indexOf('value')] ?? null, gas: callee.options[names.indexOf('gas')] ?? null, order: names };
}

/** The option values, evaluated in the order they are written (as solc does). */
function optionValues(L: FunctionLowerer, o: { value: AstNode | null; gas: AstNode | null; order: string[] }): { amount: Val | null; gas: Val | null } {
  let amount: Val | null = null;
  let gas: Val | null = null;
  for (const n of o.order) {
    if (n === 'value' && o.value) amount = L.expr(o.value, U256);
    if (n === 'gas' && o.gas) gas = L.expr(o.gas, U256);
  }
  return { amount, gas };
}

/**
 * Lowers `e` when it is an external call this module models; returns undefined when `e` is not an
 * external call at all (internal calls, builtins), and throws `unsupported` for external calls it does
 * not model.
 */
export function lowerExternalCall(L: FunctionLowerer, e: AstNode, loc: SrcLoc, tryCall?: TryCall): (Val | null)[] | undefined {
  const opts = callOptions(e.expression, loc);
  const { fn, value } = opts;
  if (fn.nodeType !== 'MemberAccess') {
    if (value !== null || opts.gas !== null) unsupported('call with {value/gas} options', loc);
    return undefined;
  }
  const decoded = lowerAbiDecode(L, e, loc);
  if (decoded) return decoded;
  const base: AstNode = fn.expression;
  const baseType: string | undefined = base.typeDescriptions?.typeString;
  const member: string = fn.memberName;
  if (isAddressType(baseType) || (base.nodeType === 'FunctionCall' && base.kind === 'typeConversion' && isAddressType(baseType))) {
    // A library function bound to addresses (`using Address for address`): an internal call, not a member.
    if (L.ctx.node(fn.referencedDeclaration)?.nodeType === 'FunctionDefinition') return undefined;
    switch (member) {
      case 'transfer':
      case 'send': {
        if (opts.gas !== null) unsupported(`.${member} with {gas}`, loc);
        const to = L.expr(base, ADDRESS);
        const amount = L.expr(e.arguments[0], U256);
        if (L.b.dead) return [];
        const ok = L.externalCall({ call: 'call', stipend: true, to, amount, selector: null, args: [] }, loc);
        if (member === 'send') return [ok];
        L.bubbleUnless(ok, loc);
        return [];
      }
      case 'call':
      case 'staticcall': {
        const data: AstNode | undefined = e.arguments[0];
        const empty = data?.nodeType === 'Literal' && (data.kind === 'string' || data.kind === 'hexString') && data.hexValue === '';
        const bound = boundPayload(L, data);
        // Forwarding a byte string (a calldata parameter, `msg.data`, a slice): its exact bytes.
        const bytes = !empty && !bound && abiEncoderOf(data) === null && (isByteArrayType(data?.typeDescriptions?.typeString) || data?.nodeType === 'IndexRangeAccess');
        if (!empty && !bound && !bytes && abiEncoderOf(data) === null) unsupported(`low-level .${member} with calldata other than "", abi.encode…(…) of value types, a local holding one or a calldata byte string`, loc);
        // solc evaluates the target, then the options, then the calldata (checked on the EVM).
        const to = L.expr(base, ADDRESS);
        const { amount, gas } = optionValues(L, opts);
        const s = bytes ? byteStringExpr(L, data, false) : null;
        const parts = empty ? [] : (bound ?? s?.parts ?? (s ? [] : abiEncoding(L, data, loc)));
        const word = s?.words[0];
        if (s && !s.parts && (s.calldata === undefined || s.words.length !== 1 || word?.kind !== 'bytes')) unsupported(`low-level .${member} with a byte string neither in calldata nor an encoding known part by part (e.g. joined from branches)`, loc);
        if (L.b.dead) return [];
        const calldata = s && !s.parts && word ? { forward: { len: s.len.v, data: word } } : { data: parts };
        // A low-level call is made as is: no extcodesize check, no revert on failure.
        const ok = L.externalCall({ call: member, stipend: false, to, amount, gas, selector: null, args: [], ...calldata }, loc);
        return [ok, null];
      }
      default:
        unsupported(`address member .${member}`, loc);
    }
  }
  if (!isContractType(baseType)) return undefined;
  const found = L.ctx.node(fn.referencedDeclaration);
  // A public state variable's getter (`token.balanceOf(a)` on solmate's ERC20) is called like a function.
  const decl = found?.nodeType === 'VariableDeclaration' ? getterAsFunction(found, fn, loc) : found;
  if (decl?.nodeType !== 'FunctionDefinition') unsupported(`external call .${member}`, loc);
  if (base.nodeType === 'Identifier' && base.name === 'super') return undefined;
  const scope = L.ctx.node(decl.scope);
  if (scope?.contractKind === 'library') return undefined;
  const params: AstNode[] = decl.parameters.parameters;
  const rets: AstNode[] = decl.returnParameters.parameters;
  const retTypes: ValueType[] = rets.map((p) => L.valueTypeOf(p, loc, `external call returning ${p.typeDescriptions?.typeString}`));
  // One `string`/`bytes` argument is encoded after the head words (see dynamicCallData).
  const dyn = params.map((p) => isByteArrayType(p.typeDescriptions?.typeString));
  if (dyn.filter(Boolean).length > 1) unsupported('external call with more than one string/bytes argument', loc);
  // Dynamic arrays of value types: memory arrays of constant length, encoded element by element.
  const arrs = params.map((p) => callArrayShape(p));
  if (arrs.some(Boolean) && dyn.some(Boolean)) unsupported('external call with array and string/bytes arguments', loc);
  const paramTypes: ValueType[] = params.map((p, i) => (dyn[i] || arrs[i] ? U256 : L.valueTypeOf(p, loc, `external call with a ${p.typeDescriptions?.typeString} argument`)));
  if ((e.names ?? []).length > 0) unsupported('external call with named arguments', loc);
  const to = addressOf(L, base, loc);
  const { amount, gas } = optionValues(L, opts);
  let bytesArg: ByteStringData | null = null;
  const args = (e.arguments as AstNode[]).map((a, i) => {
    const arr = arrs[i];
    if (arr) return memArrayRef(L, a, arr, loc);
    if (!dyn[i]) return L.expr(a, paramTypes[i]);
    if (/ storage( ref| pointer)?$/.test(a.typeDescriptions?.typeString ?? '')) unsupported('a stored string/bytes as an external call argument', loc);
    bytesArg = byteStringExpr(L, a, false);
    return L.const(U256, 32n * BigInt(params.length), loc);
  });
  if (L.b.dead) return [];
  const selector = BigInt('0x' + decl.functionSelector);
  const isStatic = decl.stateMutability === 'view' || decl.stateMutability === 'pure';
  // Encoding the arguments validates enums (Panic 0x21), before the code check and the call.
  args.forEach((a, i) => guardEnumEncodable(L, a, enumMembersOf(L.ctx, params[i]), loc));
  // Before 0.8.10 (so in 0.6/0.7, and 0.8.0–0.8.9 from build-info) the code check comes before every
  // high-level call.
  if (retTypes.length === 0 || L.ctx.pre08 !== undefined || codeCheckedAlways(L.ctx.solc?.version)) {
    const has: Val = { v: L.b.def({ kind: 'hascode', to: to.v, loc }), t: BOOL };
    L.guardOp(has, EMPTY_REVERT, loc);
  }
  const words: Word[] = arrs.some(Boolean) ? arrayCallWords(L, args, arrs, paramTypes, loc) : args.map((a, i) => ({ kind: 'value', value: a.v, type: paramTypes[i]! }));
  const calldata = bytesArg ? dynamicCallData(selector, words, bytesArg, loc) : { selector, args: words };
  const ok = L.externalCall({ call: isStatic ? 'staticcall' : 'call', stipend: false, to, amount, gas, ...calldata }, loc);
  const decode = (): Val[] => (retTypes.length === 0 ? [] : decodeReturnData(L, ok.v, retTypes, rets.map((r) => enumMembersOf(L.ctx, r)), loc));
  if (tryCall) return tryCall(ok, decode);
  L.bubbleUnless(ok, loc);
  return decode();
}

/** solc 0.8.0–0.8.9: the extcodesize check before a high-level call also when it decodes return data. */
function codeCheckedAlways(version: string | undefined): boolean {
  const m = /^0\.8\.(\d+)$/.exec(version ?? '');
  return m !== null && Number(m[1]) < 10;
}

/**
 * The getter of a public state variable of another contract, as the function it is to a caller: its
 * selector, `view`, the mapping keys and array indices as parameters and the value (or a struct's
 * members) as returns, each with the type solc gives the getter's function type. Enums are refused
 * (their range check on decoding needs the definition); other non-value types are refused where the
 * call reads them.
 */
function getterAsFunction(v: AstNode, fn: AstNode, loc: SrcLoc): AstNode {
  if (!v.stateVariable || typeof v.functionSelector !== 'string') unsupported(`external call .${fn.memberName}`, loc);
  const m = /^function \((.*)\) view external returns \((.*)\)$/.exec(fn.typeDescriptions?.typeString ?? '');
  if (m === null) unsupported(`external call of the getter .${fn.memberName} (type ${fn.typeDescriptions?.typeString})`, loc);
  const list = (text: string): AstNode[] => (text === '' ? [] : text.split(',').map((t) => {
    if (/^enum /.test(t)) unsupported(`external call of the getter .${fn.memberName} with an enum key or value`, loc);
    return { typeDescriptions: { typeString: t } };
  }));
  return { nodeType: 'FunctionDefinition', functionSelector: v.functionSelector, stateMutability: 'view', scope: v.scope, parameters: { parameters: list(m[1]!) }, returnParameters: { parameters: list(m[2]!) } };
}

/** The shape of an external function's parameter that is a dynamic array of value types (any location); null otherwise. */
function callArrayShape(p: AstNode): MemShape | null {
  const shape = memArrayShape(String(p.typeDescriptions?.typeString ?? '').replace(/ (calldata|memory)$/, ''));
  return shape && shape.length === null ? shape : null;
}

/** The allocation a memory array reference comes from, through phis that all carry it (results of inlined calls). */
function allocOf(L: FunctionLowerer, ref: ValueId, depth = 0): Extract<Instr, { kind: 'alloc' }> | undefined {
  const d = L.b.definition(ref);
  if (d?.kind === 'alloc') return d;
  if (d?.kind !== 'phi' || depth > 16) return undefined;
  const from = d.incoming.map((x) => allocOf(L, x.value, depth + 1));
  return from.every((x) => x !== undefined && x === from[0]) ? from[0] : undefined;
}

/** Most elements an array argument of an external call may have (each is a calldata word). */
const MAX_CALL_ELEMENTS = 32n;

/**
 * The argument words of an interface call with dynamic array arguments, each a memory array of constant
 * length (an allocation of a constant size, never reassigned): the head words (values, and each array's
 * offset), then each array's length and its elements, read now, after every argument was evaluated, as
 * solc encodes them. Static, so the call's calldata is known word by word like any other.
 */
function arrayCallWords(L: FunctionLowerer, args: readonly Val[], arrs: readonly (MemShape | null)[], types: readonly ValueType[], loc: SrcLoc): Word[] {
  const heads: Word[] = [];
  const tails: Word[] = [];
  let offset = 32n * BigInt(args.length);
  args.forEach((a, i) => {
    const arr = arrs[i];
    if (!arr) return void heads.push({ kind: 'value', value: a.v, type: types[i]! });
    const def = allocOf(L, a.v);
    const lenDef = def?.kind === 'alloc' ? L.b.definition(def.len) : undefined;
    if (def?.kind !== 'alloc' || lenDef?.kind !== 'const' || lenDef.value > MAX_CALL_ELEMENTS) unsupported('external call with an array argument other than a memory array of constant length (at most 32 elements)', loc);
    const n = lenDef.value;
    heads.push({ kind: 'const', word: offset });
    tails.push({ kind: 'const', word: n });
    for (let j = 0n; j < n; j++) tails.push({ kind: 'value', value: L.b.def({ kind: 'mload', ref: a.v, index: L.const(U256, j, loc).v, type: arr.elem, loc }), type: arr.elem });
    offset += 32n + 32n * n;
  });
  return [...heads, ...tails];
}

/**
 * How `try` continues after the call (see trycatch.ts): given the success flag and the decoding of the
 * return data (to run on the success path only: a decoding failure reverts the caller, uncaught).
 */
export type TryCall = (ok: Val, decode: () => Val[]) => (Val | null)[];

/**
 * Calldata of an interface call with one `string`/`bytes` argument (its head word is the offset): the
 * selector, the head words, the length word and the data words zero-padded. Bytes of constant length
 * (a literal, an `abi.encode…` value) are static parts; a calldata or memory byte string is a token.
 */
function dynamicCallData(selector: bigint, heads: readonly Word[], s: ByteStringData, loc: SrcLoc): { selector: null; args: []; data?: KeccakPart[]; forward?: { head: KeccakPart[]; len: ValueId; data: Word } } {
  const head: KeccakPart[] = [{ word: { kind: 'const', word: selector }, bytes: 4 }, ...heads.map((w) => ({ word: w, bytes: 32 }))];
  const len: Word = { kind: 'value', value: s.len.v, type: U256 };
  if (s.words.every((w) => w.kind !== 'bytes')) return { selector: null, args: [], data: [...head, { word: len, bytes: 32 }, ...s.words.map((w) => ({ word: w, bytes: 32 }))] };
  const token = s.words[0];
  if (s.words.length !== 1 || !token) unsupported('this string/bytes as an external call argument', loc);
  return { selector: null, args: [], forward: { head, len: s.len.v, data: token } };
}

/**
 * Decodes the return data of call `call` as a tuple of static value types, as solc's ABI decoder does
 * for high-level calls and for `abi.decode` of the returned bytes (the same code, checked on the EVM):
 * fewer bytes than the head words revert with empty data, and so does a dirty word or, for an enum, a
 * word that is not a member; words are read in order.
 */
function decodeReturnData(L: FunctionLowerer, call: ValueId, types: readonly ValueType[], members: readonly (number | null)[], loc: SrcLoc): Val[] {
  const rds: Val = { v: L.b.def({ kind: 'callrds', call, loc }), t: U256 };
  L.guardNotOp(L.binOp('lt', rds, L.const(U256, 32n * BigInt(types.length), loc), loc, BOOL), EMPTY_REVERT, loc);
  const raws: Val[] = types.map((_, index) => ({ v: L.b.def({ kind: 'callret', call, index, loc }), t: U256 }));
  return types.map((t, i) => {
    const raw = raws[i]!;
    const m = members[i] ?? null;
    if (m !== null) guardEnumDecodable(L, raw, m, loc);
    // ABI coder v1 (solc <0.8) cleans the word (decodeReturnWord) instead of validating it.
    else if (!(t.kind === 'uint' && t.bits === 256) && L.ctx.pre08 === undefined) L.guardOp({ v: L.b.def({ kind: 'abiok', a: raw.v, type: t, loc }), t: BOOL }, EMPTY_REVERT, loc);
    return decodeReturnWord(L, raw, t, loc);
  });
}

// ---------------------------------------------------------------- returned bytes of low-level calls

export const isLowLevelCall = (e: AstNode | undefined): boolean =>
  e?.nodeType === 'FunctionCall' &&
  (e.expression?.nodeType === 'MemberAccess' || e.expression?.nodeType === 'FunctionCallOptions') &&
  ['call', 'staticcall'].includes((e.expression.nodeType === 'FunctionCallOptions' ? e.expression.expression : e.expression).memberName) &&
  isAddressType((e.expression.nodeType === 'FunctionCallOptions' ? e.expression.expression : e.expression).expression?.typeDescriptions?.typeString);

/**
 * `(bool ok, bytes memory data) = a.call(…)` (either name may be left out): binds `ok` like any local
 * and `data` to the call's return data. Returns false for every other declaration.
 */
export function declareCallResult(L: FunctionLowerer, s: AstNode, loc: SrcLoc): boolean {
  const decls: (AstNode | null)[] = s.declarations;
  const data = decls[1];
  if (decls.length !== 2 || !data || !isLowLevelCall(s.initialValue)) return false;
  if (!/^bytes( memory)?$/.test(data.typeDescriptions?.typeString ?? '') || data.storageLocation !== 'memory') return false;
  const [ok] = lowerExternalCall(L, s.initialValue, loc) ?? [];
  if (L.b.dead || !ok) return true;
  if (decls[0]) L.b.env.set(decls[0].id, ok);
  // The variable holds the return data (see retdata.ts): only the uses modelled there can read it.
  bindRetData(L, data.id, newRef(L, ok.v, loc));
  return true;
}

/**
 * `abi.decode(data, (T1, …))` into static value types, enums and contract types: of returned bytes, or
 * of a byte string whose words are known (see abibytes.ts); undefined when `e` is not abi.decode.
 */
function lowerAbiDecode(L: FunctionLowerer, e: AstNode, loc: SrcLoc): Val[] | undefined {
  const callee = e.expression;
  const base = callee.expression;
  if (!(callee.memberName === 'decode' && base?.nodeType === 'Identifier' && base.name === 'abi' && isBuiltinRef(base.referencedDeclaration))) return undefined;
  const spec: AstNode = e.arguments[1];
  const items: AstNode[] = spec?.nodeType === 'TupleExpression' ? spec.components : [spec];
  const members = items.map((it) => {
    const d = L.ctx.node(it?.referencedDeclaration);
    return d?.nodeType === 'EnumDefinition' ? (d.members as AstNode[]).length : null;
  });
  const types = items.map((it, i) => {
    const text = /^type\((.*)\)$/.exec(it?.typeDescriptions?.typeString ?? '')?.[1] ?? '';
    if (text.startsWith('contract ') || text.startsWith('interface ')) return ADDRESS;
    if (members[i] !== null) return { kind: 'uint', bits: 8 } as const;
    const st = parseTypeString(text);
    if (st.kind !== 'value' || text.startsWith('enum ')) unsupported(`abi.decode into ${text || '?'}`, loc);
    return st.type;
  });
  const call = retDataCall(L, e.arguments[0], loc);
  if (call === null) {
    const data = byteStringExpr(L, e.arguments[0], false);
    if (L.b.dead) return [];
    const vals = decodeByteString(L, data, types, members, loc);
    if (vals === null) unsupported('abi.decode of a byte string whose words are not known here (stored, or joined from branches)', loc);
    return vals;
  }
  if (L.b.dead) return [];
  return decodeReturnData(L, call, types, members, loc);
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

/** `address(this).balance` (SELFBALANCE) and `a.balance` of any other address (BALANCE, after evaluating `a`). */
export function lowerBalance(L: FunctionLowerer, e: AstNode, loc: SrcLoc): Val {
  const base: AstNode = e.expression;
  const inner: AstNode | undefined = base.nodeType === 'FunctionCall' && base.kind === 'typeConversion' ? base.arguments[0] : undefined;
  if (inner?.nodeType === 'Identifier' && inner.name === 'this' && isBuiltinRef(inner.referencedDeclaration)) {
    return { v: L.b.def({ kind: 'selfbalance', loc }), t: U256 };
  }
  const to = L.expr(base, ADDRESS);
  if (L.b.dead) return { v: -1, t: U256 };
  return { v: L.b.def({ kind: 'balance', to: to.v, loc }), t: U256 };
}

/** Whether `t` is the type string of a value-type address-like expression (for `.balance`). */
export function isAddressTyped(e: AstNode): boolean {
  const st = parseTypeString(e.typeDescriptions?.typeString ?? '');
  return st.kind === 'value' && st.type.kind === 'address';
}

// ---------------------------------------------------------------- precompiles

/**
 * `sha256(b)`, `ripemd160(b)` (b a literal, `abi.encode…(…)` of value types, or a local payload) and
 * `ecrecover(hash, v, r, s)`: the exact input bytes, then the precompile's result as Solidity types it.
 */
export function lowerPrecompile(L: FunctionLowerer, fn: 'sha256' | 'ripemd160' | 'ecrecover', args: readonly AstNode[], loc: SrcLoc): Val {
  const type: ValueType = fn === 'sha256' ? { kind: 'bytes', size: 32 } : fn === 'ripemd160' ? { kind: 'bytes', size: 20 } : ADDRESS;
  let parts: readonly KeccakPart[];
  if (fn === 'ecrecover') {
    const types: ValueType[] = [{ kind: 'bytes', size: 32 }, { kind: 'uint', bits: 8 }, { kind: 'bytes', size: 32 }, { kind: 'bytes', size: 32 }];
    const vals = args.map((a, i) => L.expr(a, types[i]));
    parts = vals.map((v) => ({ word: { kind: 'value', value: v.v, type: v.t }, bytes: 32 }));
  } else {
    const a = args[0];
    const lit = a?.nodeType === 'Literal' && (a.kind === 'string' || a.kind === 'hexString') ? hexToBytes(a.hexValue as string) : null;
    const bound = boundPayload(L, a);
    if (lit) parts = constParts(lit);
    else if (bound) parts = bound;
    else if (abiEncoderOf(a) !== null) parts = abiEncoding(L, a, loc);
    else unsupported(`${fn} of ${a?.typeDescriptions?.typeString ?? a?.nodeType} (only literals and abi.encode… of value types are modelled)`, loc);
    if (parts.length === 0) unsupported(`${fn} of no bytes`, loc);
  }
  if (L.b.dead) return { v: -1, t: type };
  return { v: L.b.def({ kind: 'precompile', fn, parts, loc }), t: type };
}
