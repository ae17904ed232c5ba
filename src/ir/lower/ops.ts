import { boundFunctionPointer } from './fnptrs.ts';
import { keccakOfCalldataEncoding } from './bytesarrays.ts';
import { byteStringExpr, bytesArg, isByteArrayType, isStoredMessage, keccakOfBytes, requireStoredMessage } from './bytes.ts';
import { memoryByteLValue } from './bytebuffers.ts';
import { calldataToFixedBytes } from './abibytes.ts';
import { assignBytes, deleteBytes, isStoredByteArray, storedByteLValue } from './bytewrites.ts';
import { assignBytesTuple, assignBytesVar } from './bytevalues.ts';
import type { SrcLoc } from '../../util/loc.ts';
import { invariant } from '../../util/assert.ts';
import { ADDRESS, BOOL, U256, type BinOp, type SlotPath, type ValueType } from '../types.ts';
import { isBuiltinRef, unsupported, type AstNode } from './context.ts';
import { EMPTY_REVERT, FunctionLowerer, panicData, type Val } from './function.ts';
import { parseTypeString } from './soltypes.ts';
import { abiEncoderOf, enumMembersOf, guardEnumEncodable, keccakOf, toEnum } from './exprs.ts';
import { lowerExternalCall, lowerPrecompile } from './external.ts';
import type { VarKey } from './builder.ts';
import './aggregates.ts';
import { memArrayAssign, memArrayLValue } from './memarrays.ts';
import { codeLengthComparison } from './accounts.ts';
import { checkLibraryCall, isExternalLibraryFunction } from './libcalls.ts';
import { lowerModArith } from './modarith.ts';
import { noteCallArguments } from './yulclean.ts';

/** Where an assignment writes. Mapping keys are evaluated when the l-value is formed. */
type LValue =
  | { readonly kind: 'local'; readonly key: VarKey; readonly t: ValueType }
  | { readonly kind: 'storage'; readonly path: SlotPath; readonly offset: number; readonly t: ValueType; readonly enumMembers?: number | null }
  /** A place that is not one slot path (see aggregates.ts: a fixed-size array indexed by a non-constant). */
  | { readonly kind: 'custom'; readonly t: ValueType; readonly load: (loc: SrcLoc) => Val; readonly store: (v: Val, loc: SrcLoc) => void };

const COMPARISONS: Record<string, BinOp> = { '==': 'eq', '!=': 'ne', '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge' };
const BITWISE: Record<string, BinOp> = { '&': 'and', '|': 'or', '^': 'xor' };

function valueTypeOfExpr(e: AstNode): ValueType | null {
  const text: string = e.typeDescriptions?.typeString ?? '';
  const st = parseTypeString(text);
  // A contract-typed value is its address (stored, compared and ABI-encoded as one).
  return st.kind === 'value' ? st.type : /^(contract|interface) /.test(text) ? ADDRESS : null;
}

function minOf(t: ValueType): bigint {
  return t.kind === 'int' ? -(1n << BigInt(t.bits - 1)) : 0n;
}

declare module './function.ts' {
  interface FunctionLowerer {
    arith(op: string, a: Val, b: Val, loc: SrcLoc): Val;
    lvalue(e: AstNode): LValue;
    load(lv: LValue, loc: SrcLoc): Val;
    store(lv: LValue, v: Val, loc: SrcLoc): void;
  }
}

const P = FunctionLowerer.prototype;

/** Solidity 0.8 arithmetic: checks are explicit guards, skipped inside `unchecked` except division by zero. */
P.arith = function (this: FunctionLowerer, op: string, a: Val, b: Val, loc: SrcLoc): Val {
  const checked = !this.inUnchecked;
  const overflow = panicData(0x11);
  switch (op) {
    case '+':
      if (checked) this.guardNotOp(this.binOp('addov', a, b, loc, BOOL), overflow, loc);
      return this.binOp('add', a, b, loc);
    case '-':
      if (checked) this.guardNotOp(this.binOp('subov', a, b, loc, BOOL), overflow, loc);
      return this.binOp('sub', a, b, loc);
    case '*':
      if (checked) this.guardNotOp(this.binOp('mulov', a, b, loc, BOOL), overflow, loc);
      return this.binOp('mul', a, b, loc);
    case '/':
    case '%': {
      this.guardNotOp(this.binOp('eq', b, this.const(b.t, 0n, loc), loc, BOOL), panicData(0x12), loc);
      if (op === '/' && checked && a.t.kind === 'int') {
        const isMin = this.binOp('eq', a, this.const(a.t, minOf(a.t), loc), loc, BOOL);
        const isMinusOne = this.binOp('eq', b, this.const(b.t, -1n, loc), loc, BOOL);
        this.guardNotOp(this.binOp('land', isMin, isMinusOne, loc, BOOL), overflow, loc);
      }
      return this.binOp(op === '/' ? 'div' : 'mod', a, b, loc);
    }
    case '**':
      if (checked) this.guardNotOp(this.binOp('expov', a, b, loc, BOOL), overflow, loc);
      return this.binOp('exp', a, b, loc);
    case '&':
    case '|':
    case '^':
      return this.binOp(BITWISE[op]!, a, b, loc);
    case '<<':
      return this.binOp('shl', a, b, loc);
    case '>>':
      return this.binOp('shr', a, b, loc);
    default:
      unsupported(`operator ${op}`, loc);
  }
};

/** Shift amounts and exponents keep their own (unsigned) type; the IR takes them as uint256. */
function amount(L: FunctionLowerer, e: AstNode): Val {
  const t = valueTypeOfExpr(e);
  return L.convert(L.expr(e, t ?? U256), U256, L.ctx.loc(e));
}

P.binary = function (this: FunctionLowerer, e: AstNode, loc: SrcLoc): Val {
  const op: string = e.operator;
  if (op === '&&' || op === '||') return shortCircuit(this, e, loc);
  const resultType = valueTypeOfExpr(e);
  if (op === '<<' || op === '>>' || op === '**') {
    invariant(resultType !== null, 'shift result type');
    const b = amount(this, e.rightExpression);
    const a = this.expr(e.leftExpression, resultType);
    return this.arith(op, a, b, loc);
  }
  const code = codeLengthComparison(this, e, loc);
  if (code) return code;
  const commonText: string = e.commonType?.typeString ?? '';
  // Contract-typed operands (`feed == IFeed(a)`) compare as their addresses.
  const common = /^(contract|interface) /.test(commonText) ? ({ kind: 'value', type: ADDRESS } as const) : parseTypeString(commonText);
  if (common.kind !== 'value') unsupported(`operator ${op} on ${e.commonType?.typeString}`, loc);
  // solc's legacy code generator evaluates the right operand first.
  const b = this.expr(e.rightExpression, common.type);
  // Comparing enums cleans each operand as it is evaluated, which checks it (Panic 0x21) as on the EVM.
  guardEnumEncodable(this, b, enumMembersOf(this.ctx, e.rightExpression), loc);
  const a = this.expr(e.leftExpression, common.type);
  guardEnumEncodable(this, a, enumMembersOf(this.ctx, e.leftExpression), loc);
  const cmp = COMPARISONS[op];
  if (cmp) return this.binOp(cmp, a, b, loc, BOOL);
  return this.arith(op, a, b, loc);
};

function shortCircuit(L: FunctionLowerer, e: AstNode, loc: SrcLoc): Val {
  const isAnd = e.operator === '&&';
  if (L.isPure(e.rightExpression)) {
    const a = L.expr(e.leftExpression, BOOL);
    const b = L.expr(e.rightExpression, BOOL);
    return L.binOp(isAnd ? 'land' : 'lor', a, b, loc, BOOL);
  }
  const a = L.expr(e.leftExpression, BOOL);
  if (L.b.dead) return a;
  const key = L.freshKey('sc');
  const env = new Map(L.b.env);
  const br = L.b.branch(a.v, loc);
  // && evaluates the right side only when the left is true; || only when it is false.
  L.b.resume(isAnd ? br.then : br.else, env);
  const b = L.expr(e.rightExpression, BOOL);
  if (!L.b.dead) L.b.env.set(key, { v: b.v, t: BOOL });
  const evaluated = L.b.leave();
  L.b.resume(isAnd ? br.else : br.then, env);
  L.b.env.set(key, { v: L.const(BOOL, isAnd ? 0n : 1n, loc).v, t: BOOL });
  const shortcut = L.b.leave();
  return joinValue(L, [evaluated, shortcut], key, BOOL, loc);
}

function joinValue(L: FunctionLowerer, exits: Parameters<typeof L.b.join>[0], key: string, t: ValueType, loc: SrcLoc): Val {
  L.b.join(exits, loc);
  if (L.b.dead) return { v: -1, t };
  const binding = L.b.env.get(key);
  invariant(binding !== undefined, 'joined value');
  L.b.env.delete(key);
  return { v: binding.v, t };
}

P.conditional = function (this: FunctionLowerer, e: AstNode, loc: SrcLoc, target?: ValueType): Val {
  const t = valueTypeOfExpr(e) ?? target;
  if (!t) unsupported('conditional of a non-value type', loc);
  const c = this.expr(e.condition, BOOL);
  if (this.isPure(e.trueExpression) && this.isPure(e.falseExpression)) {
    const a = this.expr(e.trueExpression, t);
    const b = this.expr(e.falseExpression, t);
    return { v: this.b.def({ kind: 'select', cond: c.v, a: a.v, b: b.v, type: t, loc }), t };
  }
  if (this.b.dead) return c;
  const key = this.freshKey('cond');
  const env = new Map(this.b.env);
  const br = this.b.branch(c.v, loc);
  const arm = (block: number, x: AstNode) => {
    this.b.resume(block, env);
    const v = this.expr(x, t);
    if (!this.b.dead) this.b.env.set(key, { v: v.v, t: t });
    return this.b.leave();
  };
  const e1 = arm(br.then, e.trueExpression);
  const e2 = arm(br.else, e.falseExpression);
  return joinValue(this, [e1, e2], key, t, loc);
};

P.lvalue = function (this: FunctionLowerer, e: AstNode): LValue {
  const loc = this.ctx.loc(e);
  if (e.nodeType === 'TupleExpression' && e.components.length === 1 && e.components[0]) return this.lvalue(e.components[0]);
  const mem = memArrayLValue(this, e);
  if (mem) return mem;
  const storedByte = storedByteLValue(this, e, loc);
  if (storedByte) return { kind: 'custom', t: { kind: 'bytes', size: 1 }, ...storedByte };
  const memByte = memoryByteLValue(this, e, loc);
  if (memByte) return { kind: 'custom', ...memByte };
  const agg = this.aggregateLValue(e);
  if (agg) return agg;
  if (e.nodeType === 'Identifier' || e.nodeType === 'MemberAccess') {
    const bound = this.b.env.get(e.referencedDeclaration);
    if (bound) return { kind: 'local', key: e.referencedDeclaration, t: bound.t };
    const decl = this.ctx.node(e.referencedDeclaration);
    if (decl?.nodeType === 'VariableDeclaration' && decl.stateVariable && decl.mutability === 'mutable') {
      const t = this.valueTypeOf(decl, loc, `assignment to a state variable of type ${decl.typeDescriptions.typeString}`);
      const at = this.ctx.storageOf(decl.id);
      invariant(at !== undefined, `no storage slot for ${decl.name}`);
      return { kind: 'storage', path: { root: at.slot, keys: [] }, offset: at.offset, t, enumMembers: enumMembersOf(this.ctx, decl) };
    }
    unsupported(`assignment to ${e.name ?? e.memberName}`, loc);
  }
  if (e.nodeType === 'IndexAccess') {
    const { path, type } = this.slotPath(e, loc);
    return { kind: 'storage', path, offset: 0, t: type, enumMembers: enumMembersOf(this.ctx, e) };
  }
  unsupported(`assignment to ${e.nodeType}`, loc);
};

P.load = function (this: FunctionLowerer, lv: LValue, loc: SrcLoc): Val {
  if (lv.kind === 'local') {
    const b = this.b.env.get(lv.key);
    invariant(b !== undefined, 'unbound local');
    return { v: b.v, t: b.t };
  }
  if (lv.kind === 'custom') return lv.load(loc);
  return { v: this.b.def({ kind: 'sload', slot: lv.path, offset: lv.offset, type: lv.t, loc }), t: lv.t };
};

P.store = function (this: FunctionLowerer, lv: LValue, v: Val, loc: SrcLoc): void {
  const x = this.convert(v, lv.t, loc);
  if (lv.kind === 'local') {
    this.b.env.set(lv.key, { v: x.v, t: lv.t });
    return;
  }
  if (lv.kind === 'custom') {
    lv.store(x, loc);
    return;
  }
  // Storing an enum to storage cleans it, which checks it (Panic 0x21).
  guardEnumEncodable(this, x, lv.enumMembers, loc);
  this.b.effect({ kind: 'sstore', slot: lv.path, offset: lv.offset, type: lv.t, value: x.v, loc });
};

P.assignment = function (this: FunctionLowerer, e: AstNode, loc: SrcLoc): Val {
  const op: string = e.operator;
  const lhs = e.leftHandSide;
  if (assignBytesVar(this, e, loc) || assignBytesTuple(this, e, loc)) return { v: -1, t: BOOL };
  if (isStoredByteArray(lhs)) {
    assignBytes(this, e, loc);
    return { v: -1, t: BOOL };
  }
  if (memArrayAssign(this, e, loc) || this.aggregateAssign(e, loc)) return { v: -1, t: BOOL };
  if (lhs.nodeType === 'TupleExpression' && lhs.components.length !== 1) {
    if (op !== '=') unsupported(`${op} on a tuple`, loc);
    const values = this.exprTuple(e.rightHandSide);
    if (this.b.dead) return { v: -1, t: BOOL };
    // A target whose value the right-hand side does not give (the returned bytes of `(ok, data) =
    // a.call(…)` into an existing variable) would silently keep its old value: refuse it.
    (lhs.components as (AstNode | null)[]).forEach((c, i) => {
      if (c && (!values[i] || isByteArrayType(c.typeDescriptions?.typeString))) unsupported(`tuple assignment to ${c.typeDescriptions?.typeString ?? 'this'} from this right-hand side`, this.ctx.loc(c));
    });
    const lvs = (lhs.components as (AstNode | null)[]).map((c) => (c ? this.lvalue(c) : null));
    // Targets are formed left to right but stored right to left (checked on the EVM: with two targets
    // at the same place, the leftmost value is the one that stays).
    for (let i = lvs.length - 1; i >= 0; i--) {
      const lv = lvs[i];
      const v = values[i];
      if (lv && v) this.store(lv, v, loc);
    }
    return { v: -1, t: BOOL };
  }
  const lt = valueTypeOfExpr(lhs);
  if (!lt) unsupported(`assignment of type ${lhs.typeDescriptions?.typeString}`, loc);
  const binop = op.slice(0, -1);
  // Right-hand side first, then the l-value (legacy code generator order).
  const rhs = binop === '<<' || binop === '>>' ? amount(this, e.rightHandSide) : this.expr(e.rightHandSide, lt);
  if (this.b.dead) return rhs;
  const lv = this.lvalue(lhs);
  if (op === '=') {
    this.store(lv, rhs, loc);
    return this.convert(rhs, lt, loc);
  }
  const cur = this.load(lv, loc);
  const result = this.arith(binop, cur, rhs, loc);
  this.store(lv, result, loc);
  return result;
};

P.unary = function (this: FunctionLowerer, e: AstNode, loc: SrcLoc): Val {
  const op: string = e.operator;
  const t = valueTypeOfExpr(e.subExpression);
  switch (op) {
    case '!':
      return this.notOp(this.expr(e.subExpression, BOOL), loc);
    case '~': {
      invariant(t !== null, 'operand type');
      const a = this.expr(e.subExpression, t);
      return { v: this.b.def({ kind: 'un', op: 'bnot', a: a.v, type: t, loc }), t };
    }
    case '-': {
      invariant(t !== null, 'operand type');
      const a = this.expr(e.subExpression, t);
      if (!this.inUnchecked) {
        this.guardNotOp(this.binOp('eq', a, this.const(t, minOf(t), loc), loc, BOOL), panicData(0x11), loc);
      }
      return { v: this.b.def({ kind: 'un', op: 'neg', a: a.v, type: t, loc }), t };
    }
    case '++':
    case '--': {
      invariant(t !== null, 'operand type');
      const lv = this.lvalue(e.subExpression);
      const old = this.load(lv, loc);
      const updated = this.arith(op === '++' ? '+' : '-', old, this.const(t, 1n, loc), loc);
      this.store(lv, updated, loc);
      return e.prefix ? updated : old;
    }
    case 'delete': {
      if (isStoredByteArray(e.subExpression)) {
        deleteBytes(this, e.subExpression, loc);
        return { v: -1, t: BOOL };
      }
      if (this.aggregateDelete(e.subExpression, loc)) return { v: -1, t: BOOL };
      if (!t) unsupported(`delete of ${e.subExpression.typeDescriptions?.typeString}`, loc);
      const lv = this.lvalue(e.subExpression);
      this.store(lv, this.const(t, 0n, loc), loc);
      return { v: -1, t: BOOL };
    }
    default:
      unsupported(`unary operator ${op}`, loc);
  }
};

const BUILTINS_UNSUPPORTED = new Set(['blobhash', 'selfdestruct', 'keccak256']);

P.call = function (this: FunctionLowerer, e: AstNode, loc: SrcLoc): (Val | null)[] {
  if (e.kind === 'typeConversion' && valueTypeOfExpr(e) !== null) {
    const to = valueTypeOfExpr(e)!;
    if (!to) unsupported(`conversion to ${e.typeDescriptions?.typeString}`, loc);
    const arg = e.arguments[0];
    const from = parseTypeString(arg.typeDescriptions?.typeString ?? '');
    if (from.kind === 'const' || from.kind === 'string-literal') return [this.expr(arg, to)];
    const members = enumMembersOf(this.ctx, e);
    const fromMembers = enumMembersOf(this.ctx, arg);
    if (members !== null && from.kind === 'value' && fromMembers === null) return [toEnum(this, this.expr(arg), members, loc)];
    // E(e) of the same enum: solc converts nothing and checks nothing.
    if (members !== null && fromMembers !== null) return [this.expr(arg)];
    if (fromMembers !== null && from.kind === 'value') {
      // Converting an enum (e.g. read from dirty storage) to an integer checks it too (Panic 0x21), as on the EVM.
      const x = this.expr(arg);
      guardEnumEncodable(this, x, fromMembers, loc);
      return [this.convert(x, to, loc)];
    }
    if (from.kind === 'value') return [this.convert(this.expr(arg), to, loc)];
    const fromText: string = arg.typeDescriptions?.typeString ?? '';
    if (/^bytes (calldata|memory)( slice)?$/.test(fromText) && to.kind === 'bytes') {
      const data = byteStringExpr(this, arg);
      if (this.b.dead) return [this.const(to, 0n, loc)];
      const fixed = calldataToFixedBytes(this, data, to, loc);
      if (fixed) return [fixed];
    }
    if ((fromText.startsWith('contract ') || fromText.startsWith('interface ')) && to.kind === 'address') return [this.expr(arg)];
    // `address(this)` in a library: under DELEGATECALL (the only way its code is modelled) the caller's address.
    if (fromText.startsWith('library ') && arg.nodeType === 'Identifier' && arg.name === 'this' && isBuiltinRef(arg.referencedDeclaration) && to.kind === 'address') return [this.expr(arg)];
    unsupported(`conversion from ${fromText}`, loc);
  }
  if (e.kind === 'typeConversion' && /^(contract|interface) /.test(e.typeDescriptions?.typeString ?? '') && /^address( payable)?$/.test(e.arguments[0]?.typeDescriptions?.typeString ?? '')) {
    // `I(a)`: a contract-typed value is its address.
    return [this.expr(e.arguments[0], ADDRESS)];
  }
  if (e.kind === 'functionCall') {
    const ext = lowerExternalCall(this, e, loc);
    if (ext !== undefined) return ext;
  }
  if (e.kind !== 'functionCall') unsupported(e.kind === 'structConstructorCall' ? 'struct construction' : `call of kind ${e.kind}`, loc);
  const callee = e.expression;
  const encoder = abiEncoderOf(e);
  if (encoder) unsupported(`abi.${encoder} outside keccak256`, loc);
  if (callee.nodeType === 'FunctionCallOptions') unsupported('call with {value/gas} options', loc);
  if (callee.nodeType === 'Identifier' && isBuiltinRef(callee.referencedDeclaration)) return builtin(this, callee.name, e, loc);
  const named = this.ctx.node(callee.referencedDeclaration);
  // A call through an internal function pointer parameter bound to a known function (fnptrs.ts).
  const decl = (callee.nodeType === 'Identifier' ? boundFunctionPointer(this, named) : undefined) ?? named;
  if (decl?.nodeType !== 'FunctionDefinition') {
    if (callee.nodeType === 'MemberAccess') unsupported(`external call .${callee.memberName}`, loc);
    unsupported(`call of ${callee.name ?? callee.nodeType}`, loc);
  }
  let target = decl;
  let boundArgs: AstNode[] = [];
  if (callee.nodeType === 'Identifier') {
    // Only a virtual function can have an override to dispatch to.
    target = decl.virtual ? this.resolveVirtual(decl) : decl;
  } else if (callee.nodeType === 'MemberAccess') {
    const base = callee.expression;
    const baseDecl = base.nodeType === 'Identifier' ? this.ctx.node(base.referencedDeclaration) : undefined;
    if (base.nodeType === 'Identifier' && base.name === 'super') {
      target = this.resolveVirtual(decl, currentScope(this));
    } else if (baseDecl?.nodeType === 'ContractDefinition') {
      // Public library functions run by delegatecall (libcalls.ts).
      if (isExternalLibraryFunction(this.ctx, decl)) checkLibraryCall(this, decl, loc);
    } else if (this.ctx.node(decl.scope)?.contractKind === 'library') {
      // `using L for T`: x.f(a) is L.f(x, a).
      if (isExternalLibraryFunction(this.ctx, decl)) checkLibraryCall(this, decl, loc);
      boundArgs = [base];
    } else {
      unsupported(`external call .${callee.memberName}`, loc);
    }
  } else {
    unsupported(`call through ${callee.nodeType}`, loc);
  }
  if (target.visibility === 'external' && !isExternalLibraryFunction(this.ctx, target)) unsupported(`external call ${target.name}`, loc);
  const all: AstNode[] = [...boundArgs, ...e.arguments];
  // Byte strings pass to bound functions as to any internal function (`target.functionCall(data)`).
  const arg = (i: number): Val => this.aggregateArg(all[i], target.parameters.parameters[i]) ?? bytesArg(this, all[i], target.parameters.parameters[i], loc) ?? this.expr(all[i], this.valueTypeOf(target.parameters.parameters[i], loc));
  let args: Val[];
  if (boundArgs.length && !isExternalLibraryFunction(this.ctx, target)) {
    // solc's legacy code generator evaluates an internal call's arguments before the function
    // expression, which for `x.f(a)` holds the receiver x: a first, then x (checked on the EVM, 0.7.6 and 0.8.30).
    const rest = e.arguments.map((_: AstNode, j: number) => arg(j + 1));
    args = [arg(0), ...rest];
  } else if (boundArgs.length) args = all.map((_, i) => arg(i));
  else args = this.callArgs(e.arguments, target.parameters.parameters, e.names ?? [], loc);
  if (this.b.dead) return [];
  noteCallArguments(this, target, all, boundArgs.length ? [] : (e.names ?? []));
  return this.inlineFunction(target, args, loc);
};

function currentScope(L: FunctionLowerer): number {
  // The innermost frame is the code being lowered; `super` is relative to its contract.
  return (L as unknown as { frames: { scope: number }[] }).frames.at(-1)?.scope ?? -1;
}

function builtin(L: FunctionLowerer, name: string, e: AstNode, loc: SrcLoc): (Val | null)[] {
  const args: AstNode[] = e.arguments;
  switch (name) {
    case 'require': {
      const c = L.expr(args[0], BOOL);
      const reason = args[1] ?? null;
      if (reason && isStoredMessage(L, reason)) {
        if (!L.b.dead) requireStoredMessage(L, c, reason, loc);
        return [];
      }
      // solc evaluates a custom error's arguments whether or not the condition holds (checked on the EVM).
      const data = L.revertData(reason, loc);
      if (!L.b.dead) L.guardOp(c, data, loc);
      return [];
    }
    case 'assert': {
      const c = L.expr(args[0], BOOL);
      if (!L.b.dead) L.guardOp(c, panicData(0x01), loc);
      return [];
    }
    case 'revert':
      L.revertWith(args[0] ?? null, loc);
      return [];
  }
  if (name === 'keccak256' && args.length === 1) {
    const h = L.consts.keccakOfLiteral(args[0]);
    if (h !== null) return [L.const({ kind: 'bytes', size: 32 }, h, loc)];
    return [keccakOfCalldataEncoding(L, args[0], loc) ?? keccakOfBytes(L, args[0], loc) ?? keccakOf(L, args[0], loc)];
  }
  if (name === 'sha256' || name === 'ripemd160' || name === 'ecrecover') return [lowerPrecompile(L, name, args, loc)];
  if (name === 'blockhash' && args.length === 1) {
    const n = L.expr(args[0], U256);
    return [{ v: L.b.dead ? -1 : L.b.def({ kind: 'blockhash', n: n.v, loc }), t: { kind: 'bytes', size: 32 } }];
  }
  if ((name === 'addmod' || name === 'mulmod') && args.length === 3) return [lowerModArith(L, name, args, loc)];
  if (name === 'gasleft' && args.length === 0) return [{ v: L.b.def({ kind: 'gasleft', loc }), t: U256 }];
  if (BUILTINS_UNSUPPORTED.has(name)) unsupported(`${name}(...)`, loc);
  unsupported(`builtin ${name}`, loc);
}

P.isPure = function (this: FunctionLowerer, e: AstNode): boolean {
  const st = parseTypeString(e.typeDescriptions?.typeString ?? '');
  if (st.kind === 'const') return true;
  switch (e.nodeType) {
    case 'Literal':
    case 'Identifier':
      return true;
    case 'MemberAccess':
      // A calldata struct member is validated as it is read (it can revert).
      if (/^struct .* calldata$/.test(e.expression.typeDescriptions?.typeString ?? '')) return false;
      return e.expression.nodeType === 'Identifier';
    case 'IndexAccess':
      // An enum key is checked (Panic 0x21) as it is used.
      if (e.indexExpression && enumMembersOf(this.ctx, e.indexExpression) !== null) return false;
      // An array index can revert (out of bounds); only mapping lookups are pure.
      if (parseTypeString(e.baseExpression.typeDescriptions?.typeString ?? '').kind !== 'mapping') return false;
      // A stored `string`/`bytes` key is read as it is hashed (Panic 0x22 when corrupt).
      if (/^(string|bytes) storage (ref|pointer)$/.test(e.indexExpression?.typeDescriptions?.typeString ?? '')) return false;
      return this.isPure(e.baseExpression) && (!e.indexExpression || this.isPure(e.indexExpression));
    case 'TupleExpression':
      return (e.components as (AstNode | null)[]).every((c) => !c || this.isPure(c));
    case 'UnaryOperation':
      if (e.operator === '!' || e.operator === '~') return this.isPure(e.subExpression);
      if (e.operator === '-') return this.inUnchecked && this.isPure(e.subExpression);
      return false;
    case 'BinaryOperation': {
      const op: string = e.operator;
      // Comparing enums checks the operands (Panic 0x21).
      if (enumMembersOf(this.ctx, e.leftExpression) !== null || enumMembersOf(this.ctx, e.rightExpression) !== null) return false;
      const both = this.isPure(e.leftExpression) && this.isPure(e.rightExpression);
      if (op === '/' || op === '%') return false;
      if (op === '+' || op === '-' || op === '*' || op === '**') return this.inUnchecked && both;
      return both;
    }
    case 'Conditional':
      return this.isPure(e.condition) && this.isPure(e.trueExpression) && this.isPure(e.falseExpression);
    case 'FunctionCall':
      // A conversion to an enum checks its operand (Panic 0x21): not pure.
      return e.kind === 'typeConversion' && enumMembersOf(this.ctx, e) === null && enumMembersOf(this.ctx, e.arguments[0]) === null && this.isPure(e.arguments[0]);
    default:
      return false;
  }
};

void EMPTY_REVERT;
