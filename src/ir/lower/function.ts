import type { SrcLoc } from '../../util/loc.ts';
import { invariant } from '../../util/assert.ts';
import { keccakHex, selectorOf, hexToBytes } from '../../util/hash.ts';
import {
  ADDRESS,
  BOOL,
  U256,
  sameType,
  typeBits,
  typeName,
  type BinOp,
  type InlinedCall,
  type KeccakPart,
  type UnrolledLoop,
  type Param,
  type RevertData,
  type SlotPath,
  type SlotStep,
  type ValueId,
  type ValueType,
  type Word,
} from '../types.ts';
import { CfgBuilder, type Exit, type VarKey } from './builder.ts';
import { isBuiltinRef, unsupported, type AstNode, type LowerContext } from './context.ts';
import { Consts } from './consts.ts';
import { loopJump, lowerLoop } from './loops.ts';
import { enumMember, selectorMember, enumMembersOf, envMember, guardEnumDecodable, guardEnumEncodable, isMsgDataLength, msgDataLength } from './exprs.ts';
import { beginInlinedCall, endInlinedCall } from './calls.ts';
import { parseTypeString, type SolType } from './soltypes.ts';
import { declareCallResult, lowerBalance } from './external.ts';
import { refReturnSet, retDataKey } from './retdata.ts';
import { lowerTry } from './trycatch.ts';
import { bindBytesArrayParam, bytesArrayArg, bytesArrayLength, decodeBytesArrayParam, isBytesArrayTypeName } from './bytesarrays.ts';
import { lowerInlineAssembly } from './yul.ts';
import { fixedBytesIndexRead } from './bytebuffers.ts';
import { expandFixedArrayResults, returnWithStructs, structReturnVars } from './structreturns.ts';
import { bindBytesParam, bindBytesVar, bytesVarKeys, byteValueTable, byteStringExpr, bytesArg, readNow, tokenOf, bytesLocal, decodeBytesParam, emitWithBytes, errorStringFrom, errorWithBytes, evaluationOrder, hasDynamicParam, isByteArrayType } from './bytes.ts';
import { bytesIndexRead, bytesLength, bytesOfValue, bytesResultLengths, bytesResults, bytesReturnVar, entryReturnWords, returnWithBytes, type ReturnVar } from './bytevalues.ts';
import { arrayParamArg, arrayParamRead, arrayTypeNameElem, bindArrayParam, decodeArrayParam, isArrayParamDecl } from './arrays.ts';
import { bindMemArrayParam, initialRef, memArrayArg, memArrayDecl, memArrayRead, memArrayRef, memArrayShape, refKey, type MemShape } from './memarrays.ts';
import { groupStructArgs, headWords, validateMember } from './structparams.ts';

export interface Val {
  readonly v: ValueId;
  readonly t: ValueType;
}

/** A region of inlined code (a function body or a modifier body) that `return` leaves. */
interface Frame {
  readonly kind: 'function' | 'modifier';
  readonly def: AstNode;
  readonly exits: (Exit | null)[];
  /** Return variable keys and types (functions only); byte strings name their declaration (see bytevalues.ts), `ref` marks a memory array (its value is a reference). */
  readonly returns: readonly ReturnVar[];
  /** Contract whose code this is: `super` resolves after it in the linearization. */
  readonly scope: number;
  /** Lowers the next modifier layer (or the function body) when a modifier reaches `_`. */
  readonly placeholder?: () => void;
  /** The entry point's own body (not an inlined call, not a modifier): its parameters are ABI-decoded. */
  readonly entry?: boolean;
}

export const PANIC_SELECTOR = 0x4e487b71n;
export const ERROR_SELECTOR = 0x08c379a0n;

export function panicData(code: number): RevertData {
  return { selector: PANIC_SELECTOR, words: [{ kind: 'const', word: BigInt(code) }], description: `Panic(0x${code.toString(16).padStart(2, '0')})` };
}

export const EMPTY_REVERT: RevertData = { selector: null, words: [], description: 'empty' };

/**
 * What a check that panics in solc 0.8 does in code compiled by solc <0.8: INVALID (checked on the EVM
 * for assert, division by zero, enum conversion and encoding), named after the 0.8 panic it replaces.
 */
export function invalidFor(panic: RevertData): RevertData {
  return { selector: null, words: [], description: `invalid opcode (0.8: ${panic.description})`, invalid: true };
}

/** ABI words of `Error(string)` for a literal message given as bytes. */
export function errorStringData(bytes: Uint8Array, text: string): RevertData {
  const words: Word[] = [
    { kind: 'const', word: 0x20n },
    { kind: 'const', word: BigInt(bytes.length) },
  ];
  for (let i = 0; i < bytes.length; i += 32) {
    let w = 0n;
    for (let j = 0; j < 32; j++) w = (w << 8n) | BigInt(bytes[i + j] ?? 0);
    words.push({ kind: 'const', word: w });
  }
  return { selector: ERROR_SELECTOR, words, description: `Error(${JSON.stringify(text)})` };
}

/**
 * Lowers one entry point (with every internal call and modifier inlined) into SSA. Solidity semantics
 * follow solc's legacy code generator, including its evaluation order: binary operators and assignments
 * evaluate their right operand first; call arguments and index expressions go left to right.
 */
export class FunctionLowerer {
  readonly b = new CfgBuilder();
  private readonly frames: Frame[] = [];
  private unchecked: boolean;
  /** Arithmetic outside `unchecked` blocks: checked in 0.8, wrapping before (there is no `unchecked` then). */
  private readonly baseUnchecked: boolean;
  private uid = 0;
  /** Selector of the entry point being lowered (null for fallback/receive): what `msg.sig` is. */
  entrySelector: bigint | null = null;
  readonly consts: Consts;
  /** Inlined internal calls, for summaries (see InlinedCall). */
  readonly calls: InlinedCall[] = [];
  /** Unrolled loops, for loop summaries (see UnrolledLoop). */
  readonly loops: UnrolledLoop[] = [];

  constructor(readonly ctx: LowerContext) {
    this.consts = new Consts(ctx);
    this.baseUnchecked = ctx.pre08 !== undefined;
    this.unchecked = this.baseUnchecked;
  }

  // ---------------------------------------------------------------- values

  const(t: ValueType, value: bigint, loc: SrcLoc): Val {
    return { v: this.b.def({ kind: 'const', type: t, value: wrap(value, t), loc }), t };
  }

  convert(x: Val, to: ValueType, loc: SrcLoc): Val {
    if (sameType(x.t, to)) return x;
    return { v: this.b.def({ kind: 'conv', a: x.v, from: x.t, to, loc }), t: to };
  }

  private bin(op: BinOp, a: Val, b: Val, loc: SrcLoc, resultType?: ValueType): Val {
    const t = resultType ?? a.t;
    return { v: this.b.def({ kind: 'bin', op, a: a.v, b: b.v, type: a.t, loc }), t };
  }

  private not(a: Val, loc: SrcLoc): Val {
    return { v: this.b.def({ kind: 'un', op: 'not', a: a.v, type: BOOL, loc }), t: BOOL };
  }

  private guard(cond: Val, revert: RevertData, loc: SrcLoc): void {
    // Every 0.8 panic check goes through here; before 0.8 the same check executes INVALID.
    if (this.ctx.pre08 !== undefined && revert.selector === PANIC_SELECTOR) revert = invalidFor(revert);
    this.b.effect({ kind: 'guard', cond: cond.v, revert, loc });
  }

  /** Guards that `bad` does not hold, else reverts with `revert`. */
  private guardNot(bad: Val, revert: RevertData, loc: SrcLoc): void {
    this.guard(this.not(bad, loc), revert, loc);
  }

  // ---------------------------------------------------------------- entry points

  /** Lowers a whole external entry point: compiler checks, ABI decoding, the inlined body, the return. */
  lowerEntry(def: AstNode, params: readonly Param[], returns: readonly Param[], payable: boolean, loc: SrcLoc, body: (args: Val[]) => Val[] | { readonly words: readonly Word[] }): void {
    this.entrySelector = typeof def.functionSelector === 'string' ? BigInt('0x' + def.functionSelector) : null;
    if (!payable) {
      const value = { v: this.b.def({ kind: 'env', name: 'msg.value', type: U256, loc }), t: U256 };
      this.guard(this.bin('eq', value, this.const(U256, 0n, loc), loc, BOOL), EMPTY_REVERT, loc);
    }
    if (params.length > 0) {
      const size = { v: this.b.def({ kind: 'env', name: 'calldatasize', type: U256, loc }), t: U256 };
      const need = this.const(U256, 4n + 32n * BigInt(params.length), loc);
      this.guardNot(this.bin('lt', size, need, loc, BOOL), EMPTY_REVERT, loc);
    }
    // Head word `index` belongs to declared parameter heads[index].param (struct parameters take several).
    const heads = headWords(this, def);
    const args: Val[] = params.map((p, index) => {
      const raw: Val = { v: this.b.def({ kind: 'arg', index, name: p.name, loc }), t: U256 };
      const head = heads[index];
      if (head?.shape) {
        const m = head.shape.members[index - heads.findIndex((h) => h.param === head.param)]!;
        // A memory struct is validated as it is decoded; a calldata struct's member words where they are read.
        if (head.shape.location === 'calldata') return raw;
        validateMember(this, raw, m, loc);
        return this.decodeWord(raw, m.type, loc);
      }
      const param = head?.param ?? index;
      if (p.typeName === 'string' || p.typeName === 'bytes') return decodeBytesParam(this, raw, def, param, loc);
      if (arrayTypeNameElem(p.typeName)) return decodeArrayParam(this, raw, def, param, loc);
      if (isBytesArrayTypeName(p.typeName)) return decodeBytesArrayParam(this, raw, def, param, loc);
      // ABI coder v1 (the only one modelled before 0.8) cleans a word instead of validating it: decodeWord's conversion.
      if (!(p.type.kind === 'uint' && p.type.bits === 256) && this.ctx.pre08 === undefined) {
        this.guard({ v: this.b.def({ kind: 'abiok', a: raw.v, type: p.type, loc }), t: BOOL }, EMPTY_REVERT, loc);
      }
      guardEnumDecodable(this, raw, p.enumMembers, loc);
      return this.decodeWord(raw, p.type, loc);
    });
    let results = body(groupStructArgs(this, def, heads, args));
    if (this.b.dead) return;
    // Already ABI-encoded return data (byte strings, see bytes.ts).
    if ('words' in results) return this.b.terminate({ kind: 'return', values: results.words, loc });
    results = expandFixedArrayResults(this, def, results, loc);
    invariant(results.length === returns.length, 'return arity');
    if (returns.some((p) => p.typeName === 'string' || p.typeName === 'bytes' || arrayTypeNameElem(p.typeName))) return this.b.terminate({ kind: 'return', values: entryReturnWords(this, results, returns, loc), loc });
    results.forEach((r, i) => guardEnumEncodable(this, r, returns[i]!.enumMembers, loc));
    if (this.b.dead) return;
    const words: Word[] = results.map((r, i) => ({ kind: 'value', value: this.convert(r, returns[i]!.type, loc).v, type: returns[i]!.type }));
    this.b.terminate({ kind: 'return', values: words, loc });
  }

  /** The value of type `t` carried by a clean ABI word. */
  decodeWord(raw: Val, t: ValueType, loc: SrcLoc): Val {
    switch (t.kind) {
      case 'bool':
        return this.bin('ne', raw, this.const(U256, 0n, loc), loc, BOOL);
      case 'bytes':
        return this.convert({ v: this.b.def({ kind: 'conv', a: raw.v, from: U256, to: { kind: 'bytes', size: 32 }, loc }), t: { kind: 'bytes', size: 32 } }, t, loc);
      default:
        return this.convert(raw, t, loc);
    }
  }

  // ---------------------------------------------------------------- inlining

  /**
   * Inlines an internal function that returns a storage pointer (`function _pos(uint id) internal view
   * returns (Pos storage)`), whose only `return` is its last top-level statement (checked by the
   * caller): the statements before it are lowered in the callee's scope, then `last` evaluates the
   * returned expression there (to a storage place). Every path that does not revert reaches that
   * statement, so what it computes is valid after the call. Not recorded as an inlined call: such
   * calls are never summarised.
   */
  inlineReturning<T>(def: AstNode, args: readonly Val[], loc: SrcLoc, last: (ret: AstNode) => T): T | null {
    if (this.frames.some((f) => f.def.id === def.id)) unsupported(`recursive call to ${def.name}`, loc);
    const statements: AstNode[] = def.body?.statements ?? [];
    const ret = statements.at(-1);
    invariant(ret?.nodeType === 'Return' && ret.expression, 'storage pointer function ends in a return');
    const keysBefore = new Set(this.b.env.keys());
    this.bindCallParams(def, args, loc);
    const savedUnchecked = this.unchecked;
    this.unchecked = this.baseUnchecked;
    this.lowerRegion({ kind: 'function', def, exits: [], returns: [], scope: def.scope }, { ...def.body, statements: statements.slice(0, -1) });
    this.unchecked = savedUnchecked;
    const out = this.b.dead ? null : last(ret.expression);
    for (const k of [...this.b.env.keys()]) if (!keysBefore.has(k)) this.b.env.delete(k);
    return out;
  }

  /** Binds the parameters of an inlined function (or modifier-free callee) to its evaluated arguments. */
  private bindCallParams(def: AstNode, args: readonly Val[], loc: SrcLoc): void {
    const params: AstNode[] = def.parameters.parameters;
    params.forEach((p, i) => {
      if (this.aggregateBindParam(p)) return;
      const a = args[i];
      invariant(a !== undefined, 'argument count');
      if (isByteArrayType(p.typeDescriptions?.typeString)) return bindBytesParam(this, p, a, loc);
      if (bindBytesArrayParam(this, p, a, loc)) return;
      if (bindMemArrayParam(this, p, a)) return;
      if (isArrayParamDecl(p)) return bindArrayParam(this, p, a, loc);
      const t = this.valueTypeOf(p, this.ctx.loc(p));
      this.b.env.set(p.id, this.convert(a, t, loc));
    });
  }

  /** Inlines a function definition with already-evaluated arguments and returns its return values. */
  inlineFunction(def: AstNode, args: readonly Val[], loc: SrcLoc): Val[] {
    if (this.frames.some((f) => f.def.id === def.id)) unsupported(`recursive call to ${def.name}`, loc);
    if (!def.implemented || !def.body) unsupported(`call to unimplemented function ${def.name}`, loc);
    // The entry point's own body (no enclosing frame) is not a call.
    const call = this.frames.length > 0 ? beginInlinedCall(this.b, loc) : null;
    const keysBefore = new Set(this.b.env.keys());
    this.bindCallParams(def, args, loc);
    const returns = (def.returnParameters.parameters as AstNode[]).flatMap((p): ReturnVar | ReturnVar[] => {
      if (isByteArrayType(p.typeDescriptions?.typeString)) return bytesReturnVar(this, p, this.ctx.loc(p));
      // A struct return value of value-type members: one return variable per member (an entry point's
      // are its head words; an internal function's results are the members, copied by the caller). An
      // internal function only when the struct is its one return value: callers that take results by
      // position (tuple declarations and assignments) would otherwise read members as later results.
      const members = call === null || def.returnParameters.parameters.length === 1 ? structReturnVars(this, p) : null;
      if (members) return members;
      if (call !== null && p.storageLocation === 'memory' && String(p.typeDescriptions?.typeString).startsWith('struct ')) unsupported(`${def.name} returning a struct next to other return values`, loc);
      const ref = p.storageLocation === 'memory' ? memArrayShape(p.typeDescriptions?.typeString) : null;
      if (ref) {
        this.b.env.set(refKey(p.id), initialRef(this, ref, this.ctx.loc(p)));
        return { key: refKey(p.id) as VarKey, type: U256, ref };
      }
      const type = this.valueTypeOf(p, this.ctx.loc(p));
      this.b.env.set(p.id, this.const(type, 0n, this.ctx.loc(p)));
      return { key: p.id as VarKey, type };
    });
    for (const r of returns) if (r.bytes !== undefined) refReturnSet(this).delete(r.bytes);
    const savedUnchecked = this.unchecked;
    this.unchecked = this.baseUnchecked;
    const scope: number = def.scope;
    this.lowerModifierLayer(def, returns, scope, 0, call === null);
    this.unchecked = savedUnchecked;
    if (this.b.dead) return returns.map((r) => ({ v: -1, t: r.type }));
    // A byte-string return variable a `return` set to a call's return data leaves as that reference (retdata.ts).
    const refs = returns.map((r) => {
      if (r.bytes === undefined) return null;
      const ref = this.b.env.get(retDataKey(r.bytes));
      if (!ref && refReturnSet(this).has(r.bytes)) unsupported(`${def.name} returning a call's return data on some paths only`, loc);
      return ref ? { v: ref.v, t: U256 } : null;
    });
    const out = returns.map((r, i) => {
      const binding = refs[i] ?? this.b.env.get(r.key);
      if (binding === undefined && r.bytes !== undefined) unsupported(`${def.name} returning a call's returned bytes on some paths only`, loc);
      invariant(binding !== undefined, 'return variable lost');
      return { v: binding.v, t: r.type };
    });
    // Byte-string results leave the call with their lengths (and a calldata one with its start) beside
    // them, past the returns; a call's returned bytes leave as the reference itself (retdata.ts).
    const lens = bytesResultLengths(this, returns, refs, def.name, loc);
    for (const k of [...this.b.env.keys()]) if (!keysBefore.has(k)) this.b.env.delete(k);
    const results = endInlinedCall(this.b, this.calls, call, def.name, [...out, ...lens.extra], loc);
    if (lens.extra.length === 0) return results;
    const values = bytesResults(this, returns, out, results, lens.starts);
    // A reference is no byte string: generic byte-string uses of it find nothing and stay unsupported.
    values.forEach((v, i) => refs[i] && byteValueTable(this).delete(v.v));
    return values;
  }

  private lowerModifierLayer(def: AstNode, returns: Frame['returns'], scope: number, i: number, entry: boolean): void {
    const invocations = (def.modifiers as AstNode[]).filter((m) => this.ctx.node(m.modifierName.referencedDeclaration)?.nodeType === 'ModifierDefinition');
    if (def.modifiers.length !== invocations.length && def.kind !== 'constructor') {
      const bad = (def.modifiers as AstNode[]).find((m) => !invocations.includes(m));
      unsupported('base constructor call in a function modifier list', this.ctx.loc(bad));
    }
    const inv = invocations[i];
    if (inv === undefined) {
      this.lowerRegion({ kind: 'function', def, exits: [], returns, scope, entry }, def.body);
      return;
    }
    const mod = this.resolveModifier(inv);
    if (this.frames.some((f) => f.def.id === mod.id)) unsupported(`recursive modifier ${mod.name}`, this.ctx.loc(inv));
    const args = this.callArgs(inv.arguments ?? [], mod.parameters.parameters, [], this.ctx.loc(inv));
    (mod.parameters.parameters as AstNode[]).forEach((p, j) => {
      if (this.aggregateBindParam(p)) return;
      if (isByteArrayType(p.typeDescriptions?.typeString)) bindBytesParam(this, p, args[j]!, this.ctx.loc(inv));
      else this.b.env.set(p.id, args[j]!);
    });
    const savedUnchecked = this.unchecked;
    this.unchecked = this.baseUnchecked;
    this.lowerRegion(
      { kind: 'modifier', def: mod, exits: [], returns: [], scope: mod.scope, placeholder: () => {
        const saved = this.unchecked;
        this.unchecked = this.baseUnchecked;
        this.lowerModifierLayer(def, returns, scope, i + 1, entry);
        this.unchecked = saved;
      } },
      mod.body,
    );
    this.unchecked = savedUnchecked;
  }

  private lowerRegion(frame: Frame, body: AstNode): void {
    this.frames.push(frame);
    this.stmt(body);
    frame.exits.push(this.b.leave());
    this.frames.pop();
    this.b.join(frame.exits, this.ctx.loc(body));
  }

  /** Virtual dispatch: the most derived implementation with the same name and parameter types. */
  resolveVirtual(def: AstNode, after?: number): AstNode {
    const key = overrideKey(def);
    let started = after === undefined;
    for (const c of this.ctx.linearization) {
      if (!started) {
        if (c.id === after) started = true;
        continue;
      }
      for (const n of c.nodes as AstNode[]) {
        if (n.nodeType === def.nodeType && n.name === def.name && overrideKey(n) === key && (n.implemented || n.body)) return n;
      }
    }
    return def;
  }

  private resolveModifier(inv: AstNode): AstNode {
    const decl = this.ctx.node(inv.modifierName.referencedDeclaration);
    invariant(decl !== undefined, 'modifier declaration');
    return decl.virtual ? this.resolveVirtual(decl) : decl;
  }

  /** Evaluates call arguments left to right (named arguments reordered to the parameter order). */
  callArgs(args: readonly AstNode[], params: readonly AstNode[], names: readonly string[], loc: SrcLoc): Val[] {
    let ordered = args;
    if (names.length > 0) {
      ordered = params.map((p) => {
        const i = names.indexOf(p.name);
        invariant(i >= 0, 'named argument');
        return args[i];
      });
      // Named arguments are still evaluated in source order; reorder only matters with side effects.
      if (!args.every((a) => this.isPure(a))) unsupported('named arguments with side effects', loc);
    }
    return ordered.map((a, i) => this.callArg(a, params[i], loc));
  }

  /** One argument of an internal call, evaluated for the parameter `param` (structs, arrays, byte strings, values). */
  callArg(a: AstNode, param: AstNode, loc: SrcLoc): Val {
    return this.aggregateArg(a, param) ?? memArrayArg(this, a, param) ?? arrayParamArg(this, a, param) ?? bytesArrayArg(this, a, param) ?? bytesArg(this, a, param, loc) ?? this.expr(a, this.valueTypeOf(param, loc));
  }

  // ---------------------------------------------------------------- statements

  stmt(s: AstNode): void {
    if (this.b.dead) return;
    const loc = this.ctx.loc(s);
    switch (s.nodeType) {
      case 'Block':
        for (const x of s.statements) this.stmt(x);
        return;
      case 'UncheckedBlock': {
        const saved = this.unchecked;
        this.unchecked = true;
        for (const x of s.statements) this.stmt(x);
        this.unchecked = saved;
        return;
      }
      case 'ExpressionStatement':
        this.exprAny(s.expression);
        return;
      case 'VariableDeclarationStatement':
        return this.varDecl(s, loc);
      case 'IfStatement':
        return this.ifStmt(s, loc);
      case 'Return':
        return this.returnStmt(s, loc);
      case 'EmitStatement':
        return this.emitStmt(s.eventCall, loc);
      case 'RevertStatement':
        return this.revertWith(s.errorCall, loc);
      case 'PlaceholderStatement': {
        const frame = this.frames[this.frames.length - 1];
        invariant(frame?.placeholder !== undefined, 'placeholder outside modifier');
        // The next layer pushes its own frame, so a `return` in it leaves that layer, not this modifier.
        frame.placeholder();
        return;
      }
      case 'ForStatement':
      case 'WhileStatement':
      case 'DoWhileStatement':
        return lowerLoop(this, s, loc);
      case 'InlineAssembly':
        return lowerInlineAssembly(this, s, loc);
      case 'TryStatement':
        return lowerTry(this, s, loc);
      case 'Break':
      case 'Continue':
        return loopJump(this, s.nodeType, loc);
      default:
        unsupported(`statement ${s.nodeType}`, loc);
    }
  }

  private varDecl(s: AstNode, loc: SrcLoc): void {
    if (memArrayDecl(this, s, loc)) return;
    if (this.aggregateDecl(s, loc) || declareCallResult(this, s, loc)) return;
    if (bytesLocal(this, s, loc)) return;
    const decls: (AstNode | null)[] = s.declarations;
    if (decls.length === 1 && decls[0]) {
      const d = decls[0];
      const t = this.valueTypeOf(d, this.ctx.loc(d));
      const v = s.initialValue ? this.expr(s.initialValue, t) : this.const(t, 0n, loc);
      this.b.env.set(d.id, v);
      return;
    }
    invariant(s.initialValue, 'tuple declaration without value');
    const values = this.exprTuple(s.initialValue);
    decls.forEach((d, i) => {
      if (!d) return;
      const v = values[i];
      invariant(v !== undefined && v !== null, 'tuple arity');
      if (isByteArrayType(d.typeDescriptions?.typeString)) return bindBytesVar(this, d.id, bytesOfValue(this, v, loc), loc);
      const t = this.valueTypeOf(d, this.ctx.loc(d));
      this.b.env.set(d.id, this.convert(v, t, loc));
    });
  }

  private ifStmt(s: AstNode, loc: SrcLoc): void {
    const c = this.expr(s.condition, BOOL);
    if (this.b.dead) return;
    const env = new Map(this.b.env);
    const br = this.b.branch(c.v, loc);
    this.b.resume(br.then, env);
    this.stmt(s.trueBody);
    const e1 = this.b.leave();
    this.b.resume(br.else, env);
    if (s.falseBody) this.stmt(s.falseBody);
    const e2 = this.b.leave();
    this.b.join([e1, e2], loc);
  }

  private currentFrame(): Frame {
    const f = this.frames[this.frames.length - 1];
    invariant(f !== undefined, 'no frame');
    return f;
  }

  private returnStmt(s: AstNode, loc: SrcLoc): void {
    const frame = this.currentFrame();
    if (s.expression && frame.returns.some((r) => r.member)) returnWithStructs(this, s.expression, frame.def, frame.returns, loc);
    else if (s.expression && frame.returns.some((r) => r.bytes !== undefined)) returnWithBytes(this, s.expression, frame.returns, loc);
    else if (s.expression) {
      invariant(frame.kind === 'function', 'return value in modifier');
      const one = (x: AstNode, r: Frame['returns'][number]): Val => (r.ref ? memArrayRef(this, x, r.ref, loc) : this.expr(x, r.type));
      const values =
        frame.returns.length === 1
          ? [one(s.expression, frame.returns[0]!)]
          : frame.returns.some((r) => r.ref) && s.expression.nodeType === 'TupleExpression'
            ? (s.expression.components as AstNode[]).map((c, i) => one(c, frame.returns[i]!))
            : this.exprTuple(s.expression, frame.returns.map((r) => r.type));
      if (this.b.dead) return;
      frame.returns.forEach((r, i) => {
        const v = values[i];
        invariant(v !== undefined && v !== null, 'return arity');
        this.b.env.set(r.key, this.convert(v, r.type, loc));
      });
    }
    frame.exits.push(this.b.leave());
  }

  private emitStmt(call: AstNode, loc: SrcLoc): void {
    const ev = this.ctx.node(call.expression.referencedDeclaration);
    if (ev?.nodeType !== 'EventDefinition') unsupported('emit of a non-event', loc);
    const params: AstNode[] = ev.parameters.parameters;
    if (hasDynamicParam(params)) return emitWithBytes(this, call, ev, loc);
    const types = params.map((p) => this.valueTypeOf(p, this.ctx.loc(p), `event parameter of type ${p.typeDescriptions.typeString}`));
    // solc evaluates the indexed arguments last to first, then the others (see `evaluationOrder`).
    const names: string[] = call.names ?? [];
    const ordered: AstNode[] = names.length > 0 ? params.map((p) => call.arguments[names.indexOf(p.name)]) : call.arguments;
    if (names.length > 0 && !(call.arguments as AstNode[]).every((a) => this.isPure(a))) unsupported('named arguments with side effects', loc);
    const args: Val[] = new Array<Val>(params.length);
    for (const i of evaluationOrder(params, (j) => Boolean(params[j]!.indexed))) {
      args[i] = this.callArgs([ordered[i]!], [params[i]!], [], loc)[0]!;
      // An indexed argument is converted (an enum range-checked, Panic 0x21) in its turn.
      if (params[i]!.indexed && !this.b.dead) guardEnumEncodable(this, args[i]!, enumMembersOf(this.ctx, params[i]!), loc);
      if (this.b.dead) return;
    }
    const signature = `${ev.name}(${types.map(typeName).join(',')})`;
    const topics: Word[] = ev.anonymous ? [] : [{ kind: 'const', word: BigInt('0x' + (ev.eventSelector ?? selectorHex32(signature))) }];
    params.forEach((p, i) => p.indexed || guardEnumEncodable(this, args[i]!, enumMembersOf(this.ctx, p), loc));
    if (this.b.dead) return;
    const data: Word[] = [];
    params.forEach((p, i) => {
      const w: Word = { kind: 'value', value: args[i]!.v, type: types[i]! };
      (p.indexed ? topics : data).push(w);
    });
    this.b.effect({ kind: 'emit', signature, topics, data, loc });
  }

  /** `revert(...)`, `revert E(...)`: evaluates the error arguments and ends the path. */
  revertWith(errorCall: AstNode | null, loc: SrcLoc): void {
    const data = this.revertData(errorCall, loc);
    if (this.b.dead) return;
    this.b.terminate({ kind: 'revert', data, loc });
  }

  /** Revert data for `revert()`, `revert("msg")`, a custom error call, or a `require` message. */
  revertData(arg: AstNode | null, loc: SrcLoc): RevertData {
    if (!arg) return EMPTY_REVERT;
    if (arg.nodeType === 'Literal' && arg.kind === 'string') {
      const bytes = hexToBytes(arg.hexValue as string);
      return errorStringData(bytes, arg.value ?? '');
    }
    if (arg.nodeType === 'FunctionCall') {
      const err = this.ctx.node(arg.expression.referencedDeclaration);
      if (err?.nodeType === 'ErrorDefinition') {
        const params: AstNode[] = err.parameters.parameters;
        if (hasDynamicParam(params)) return errorWithBytes(this, arg, err, loc);
        const types = params.map((p) => this.valueTypeOf(p, this.ctx.loc(p), `error parameter of type ${p.typeDescriptions.typeString}`));
        const args = this.callArgs(arg.arguments, params, arg.names ?? [], loc);
        params.forEach((p, i) => guardEnumEncodable(this, args[i]!, enumMembersOf(this.ctx, p), loc));
        const signature = `${err.name}(${types.map(typeName).join(',')})`;
        const selector = err.errorSelector ? BigInt('0x' + err.errorSelector) : selectorOf(signature);
        return { selector, words: args.map((a, i) => ({ kind: 'value', value: a.v, type: types[i]! })), description: signature };
      }
    }
    if (arg.nodeType === 'Identifier' || arg.nodeType === 'MemberAccess') {
      const bytes = this.consts.stringConstant(arg);
      if (bytes) return errorStringData(bytes.bytes, bytes.text);
      if (isByteArrayType(arg.typeDescriptions?.typeString)) return errorStringFrom(this, arg, loc);
    }
    if (arg.nodeType === 'IndexAccess' && isByteArrayType(arg.typeDescriptions?.typeString)) return errorStringFrom(this, arg, loc);
    unsupported('revert reason that is not a string literal or custom error', loc);
  }

  // ---------------------------------------------------------------- expressions

  /** Lowers an expression that yields one value, converted to `target` when given. */
  expr(e: AstNode, target?: ValueType): Val {
    const loc = this.ctx.loc(e);
    const st = parseTypeString(e.typeDescriptions?.typeString ?? '');
    if (st.kind === 'const' || (st.kind === 'string-literal' && target?.kind === 'bytes')) {
      return this.const(target ?? this.consts.mobileType(e), this.consts.valueAs(e, target ?? this.consts.mobileType(e), loc), loc);
    }
    // type(T).max / type(T).min are typed constants.
    if (e.nodeType === 'MemberAccess' && st.kind === 'value' && e.expression?.nodeType === 'FunctionCall' && e.expression.expression?.name === 'type') {
      const c = this.const(st.type, this.consts.valueAs(e, st.type, loc), loc);
      return target ? this.convert(c, target, loc) : c;
    }
    const v = this.exprInner(e, loc, target);
    return target && !this.b.dead ? this.convert(v, target, loc) : v;
  }

  /** An expression used for its effects, or its value(s). */
  exprAny(e: AstNode): void {
    if (this.aggregateCall(e, this.ctx.loc(e))) return;
    // A call returning a byte string, its result unused.
    if (e.nodeType === 'FunctionCall' && isByteArrayType(e.typeDescriptions?.typeString)) return void this.call(e, this.ctx.loc(e));
    // An internal call returning a memory struct, its result unused (its results are the members).
    if (e.nodeType === 'FunctionCall' && e.kind === 'functionCall' && /^struct .* memory$/.test(e.typeDescriptions?.typeString ?? '')) return void this.call(e, this.ctx.loc(e));
    const st = parseTypeString(e.typeDescriptions?.typeString ?? '');
    if (st.kind === 'tuple') this.exprTuple(e);
    else this.expr(e);
  }

  /** An expression yielding several values (tuple literal or call with several returns). */
  exprTuple(e: AstNode, targets?: readonly (ValueType | undefined)[]): (Val | null)[] {
    if (e.nodeType === 'TupleExpression') {
      // Literals (string literals as bytesN, constants) take the type they are assigned to.
      return (e.components as (AstNode | null)[]).map((c, i) => (c ? this.expr(c, targets?.[i]) : null));
    }
    if (e.nodeType === 'FunctionCall') return this.call(e, this.ctx.loc(e));
    return [this.expr(e)];
  }

  private exprInner(e: AstNode, loc: SrcLoc, target?: ValueType): Val {
    switch (e.nodeType) {
      case 'Literal':
        if (e.kind === 'bool') return this.const(BOOL, e.value === 'true' ? 1n : 0n, loc);
        unsupported(`${e.kind} literal here`, loc);
      case 'Identifier':
        return this.identifier(e, loc);
      case 'MemberAccess':
        return this.memberAccess(e, loc);
      case 'IndexAccess': {
        const arr = arrayParamRead(this, e, loc) ?? memArrayRead(this, e, loc) ?? bytesIndexRead(this, e, loc) ?? fixedBytesIndexRead(this, e, loc);
        if (arr) return arr;
        const agg = this.aggregateRead(e, loc);
        if (agg) return agg;
        const { path, type } = this.slotPath(e, loc);
        return { v: this.b.def({ kind: 'sload', slot: path, offset: 0, type, loc }), t: type };
      }
      case 'TupleExpression':
        if (e.components.length === 1 && e.components[0]) return this.expr(e.components[0], target);
        unsupported('tuple used as a value', loc);
      case 'UnaryOperation':
        return this.unary(e, loc);
      case 'BinaryOperation':
        return this.binary(e, loc);
      case 'Assignment':
        return this.assignment(e, loc);
      case 'Conditional':
        return this.conditional(e, loc, target);
      case 'FunctionCall': {
        // Byte strings are never single values (their tokens stand for them only in byte-string code).
        if (isByteArrayType(e.typeDescriptions?.typeString)) unsupported(`${e.typeDescriptions.typeString} used as a value here`, loc);
        // A struct's results are its members: only struct code (aggregates.ts) may take them.
        if (/^struct /.test(e.typeDescriptions?.typeString ?? '')) unsupported(`${e.typeDescriptions.typeString} used as a value here`, loc);
        const r = this.call(e, loc);
        if (r.length !== 1 || !r[0]) unsupported('call used as a single value', loc);
        return r[0];
      }
      default:
        unsupported(`expression ${e.nodeType}`, loc);
    }
  }

  private identifier(e: AstNode, loc: SrcLoc): Val {
    const bound = this.b.env.get(e.referencedDeclaration);
    if (bound) return { v: bound.v, t: bound.t };
    // `now` (solc 0.6; an error from 0.7 on) is block.timestamp.
    if (e.name === 'now' && isBuiltinRef(e.referencedDeclaration)) return { v: this.b.def({ kind: 'env', name: 'block.timestamp', type: U256, loc }), t: U256 };
    if (e.name === 'this' && isBuiltinRef(e.referencedDeclaration)) return { v: this.b.def({ kind: 'env', name: 'address(this)', type: ADDRESS, loc }), t: ADDRESS };
    const decl = this.ctx.node(e.referencedDeclaration);
    if (decl?.nodeType === 'VariableDeclaration' && decl.stateVariable) {
      const t = this.valueTypeOf(decl, loc, `state variable of type ${decl.typeDescriptions.typeString}`);
      if (decl.constant) return this.expr(decl.value, t);
      if (decl.mutability === 'immutable') return { v: this.b.def({ kind: 'immutable', name: decl.name, type: t, loc }), t };
      const at = this.ctx.storageOf(decl.id);
      invariant(at !== undefined, `no storage slot for ${decl.name}`);
      return { v: this.b.def({ kind: 'sload', slot: { root: at.slot, keys: [] }, offset: at.offset, type: t, loc }), t };
    }
    if (decl?.nodeType === 'VariableDeclaration' && decl.constant) {
      return this.expr(decl.value, this.valueTypeOf(decl, loc));
    }
    unsupported(`identifier ${e.name}`, loc);
  }

  private memberAccess(e: AstNode, loc: SrcLoc): Val {
    const base = e.expression;
    if (base.nodeType === 'Identifier' && isBuiltinRef(base.referencedDeclaration)) {
      const name = `${base.name}.${e.memberName}`;
      switch (name) {
        case 'msg.sender':
          return { v: this.b.def({ kind: 'env', name, type: { kind: 'address' }, loc }), t: { kind: 'address' } };
        case 'msg.value':
        case 'block.timestamp':
        case 'block.number':
          return { v: this.b.def({ kind: 'env', name, type: U256, loc }), t: U256 };
      }
      const env = envMember(this, name, loc);
      if (env) return env;
      unsupported(name, loc);
    }
    if (isMsgDataLength(e)) return msgDataLength(this, loc);
    const arr = arrayParamRead(this, e, loc) ?? memArrayRead(this, e, loc) ?? bytesArrayLength(this, e);
    if (arr) return arr;
    const agg = this.aggregateRead(e, loc);
    if (agg) return agg;
    const decl = this.ctx.node(e.referencedDeclaration);
    if (decl?.nodeType === 'VariableDeclaration' && decl.stateVariable) return this.identifier({ ...e, referencedDeclaration: decl.id, name: e.memberName }, loc);
    const member = enumMember(this, e, loc) ?? selectorMember(this, e, loc);
    if (member) return member;
    if (e.memberName === 'balance' && /^address( payable)?$/.test(base.typeDescriptions?.typeString ?? '')) return lowerBalance(this, e, loc);
    if (e.memberName === 'length' && isByteArrayType(base.typeDescriptions?.typeString)) return bytesLength(this, base, loc);
    unsupported(`member access .${e.memberName}`, loc);
  }

  /** Storage location of a (possibly nested) mapping index expression. Keys are evaluated base first. */
  slotPath(e: AstNode, loc: SrcLoc): { path: SlotPath; type: ValueType } {
    const { path, value } = this.mappingEntry(e, loc);
    if (value.kind !== 'value') unsupported(`mapping value of type ${e.typeDescriptions.typeString}`, loc);
    return { path, type: value.type };
  }

  /** The same for a mapping entry of any value type (a `string`, say), with that type. */
  mappingEntry(e: AstNode, loc: SrcLoc): { path: SlotPath; value: SolType } {
    const keys: SlotStep[] = [];
    const walk = (x: AstNode): SolType => {
      if (x.nodeType === 'IndexAccess') {
        const baseType = walk(x.baseExpression);
        if (baseType.kind !== 'mapping') unsupported(`index access on ${x.baseExpression.typeDescriptions.typeString}`, this.ctx.loc(x));
        if (!x.indexExpression) unsupported('index access without index', this.ctx.loc(x));
        const key = baseType.key;
        if (key.kind === 'other' && (key.text === 'string' || key.text === 'bytes') && keys.length === 0) {
          // keccak256(the key's bytes . slot): the key is read (a stored one copied) as it is evaluated.
          const data = readNow(this, x.indexExpression, false);
          keys.push({ kind: 'bkey', value: this.b.dead ? -1 : tokenOf(this, data, loc), len: data.len.v });
          return baseType.value;
        }
        if (key.kind !== 'value') unsupported(`mapping key of type ${x.indexExpression.typeDescriptions.typeString}`, this.ctx.loc(x));
        const k = this.expr(x.indexExpression, key.type);
        guardEnumEncodable(this, k, enumMembersOf(this.ctx, x.indexExpression), loc);
        keys.push({ value: k.v, type: k.t });
        return baseType.value;
      }
      const decl = x.nodeType === 'Identifier' || x.nodeType === 'MemberAccess' ? this.ctx.node(x.referencedDeclaration) : undefined;
      if (decl?.nodeType === 'VariableDeclaration' && decl.stateVariable && !decl.constant) {
        const st = parseTypeString(decl.typeDescriptions.typeString);
        if (st.kind !== 'mapping') unsupported(`index access on ${decl.typeDescriptions.typeString}`, this.ctx.loc(x));
        root = this.ctx.storageOf(decl.id)?.slot;
        return st;
      }
      unsupported(`index access on ${x.typeDescriptions?.typeString ?? x.nodeType}`, this.ctx.loc(x));
    };
    let root: bigint | undefined;
    const result = walk(e);
    invariant(root !== undefined, 'mapping root slot');
    return { path: { root, keys }, value: result };
  }

  // The operator families live in ops.ts to keep this file readable.
  declare unary: (e: AstNode, loc: SrcLoc) => Val;
  declare binary: (e: AstNode, loc: SrcLoc) => Val;
  declare assignment: (e: AstNode, loc: SrcLoc) => Val;
  declare conditional: (e: AstNode, loc: SrcLoc, target?: ValueType) => Val;
  declare call: (e: AstNode, loc: SrcLoc) => (Val | null)[];
  declare isPure: (e: AstNode) => boolean;

  /** Appends an external call and returns its success flag. */
  externalCall(c: { call: 'call' | 'staticcall'; stipend: boolean; to: Val; amount: Val | null; gas?: Val | null; selector: bigint | null; args: readonly Word[]; data?: readonly KeccakPart[]; forward?: { head?: readonly KeccakPart[]; len: ValueId; data: Word } }, loc: SrcLoc): Val {
    const extra = { ...(c.data === undefined ? {} : { data: c.data }), ...(c.forward === undefined ? {} : { forward: c.forward }), ...(c.gas ? { gas: c.gas.v } : {}) };
    return { v: this.b.def({ kind: 'call', call: c.call, stipend: c.stipend, to: c.to.v, amount: c.amount === null ? null : c.amount.v, selector: c.selector, args: c.args, ...extra, loc }), t: BOOL };
  }

  /** Continues when `ok` holds, else reverts with the failed call's own revert data (solc re-raises it). */
  bubbleUnless(ok: Val, loc: SrcLoc): void {
    const env = new Map(this.b.env);
    const br = this.b.branch(ok.v, loc);
    this.b.resume(br.else, env);
    this.b.terminate({ kind: 'revert', data: { selector: null, words: [], description: 'revert data of the failed call', bubble: ok.v }, loc });
    this.b.resume(br.then, env);
  }

  get inUnchecked(): boolean {
    return this.unchecked;
  }

  freshKey(what: string): string {
    return `${what}#${this.uid++}`;
  }

  binOp(op: BinOp, a: Val, b: Val, loc: SrcLoc, resultType?: ValueType): Val {
    return this.bin(op, a, b, loc, resultType);
  }

  notOp(a: Val, loc: SrcLoc): Val {
    return this.not(a, loc);
  }

  guardOp(cond: Val, revert: RevertData, loc: SrcLoc): void {
    this.guard(cond, revert, loc);
  }

  guardNotOp(bad: Val, revert: RevertData, loc: SrcLoc): void {
    this.guardNot(bad, revert, loc);
  }

  /** Value type of a declaration; anything else is unsupported with `what` as the construct. */
  valueTypeOf(decl: AstNode, loc: SrcLoc, what?: string): ValueType {
    const st = parseTypeString(decl.typeDescriptions?.typeString ?? '');
    if (st.kind === 'value') return st.type;
    const text = decl.typeDescriptions?.typeString ?? '?';
    if (text.startsWith('contract ') || text.startsWith('interface ')) return { kind: 'address' };
    unsupported(what ?? `variable of type ${text}`, loc);
  }
}

/** Name and parameter types: the key under which functions and modifiers override each other. */
function overrideKey(def: AstNode): string {
  const ps = (def.parameters?.parameters ?? []) as AstNode[];
  return `${def.name}(${ps.map((p) => p.typeDescriptions?.typeString ?? '').join(',')})`;
}

export function wrap(value: bigint, t: ValueType): bigint {
  const bits = BigInt(typeBits(t));
  const m = 1n << bits;
  return ((value % m) + m) % m;
}

function selectorHex32(signature: string): string {
  return keccakHex(signature).slice(2);
}
