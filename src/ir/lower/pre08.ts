import type { SrcLoc } from '../../util/loc.ts';
import { isBuiltinRef, unsupported, type AstNode, type LowerContext } from './context.ts';

/**
 * Code compiled by solc 0.6 and 0.7 (see README, "code compiled by solc 0.6 / 0.7"). The lowering runs with
 * `LowerContext.pre08` set, which changes three things, each checked on the EVM against what those
 * compilers produce (test/diff/contracts/Pre0*.sol and the `compiler-0*` fixtures):
 *   - arithmetic wraps everywhere (there is no `unchecked`; `type(int).min / -1` is SDIV's result);
 *   - every check that panics in 0.8 (assert, division or modulo by zero, enum conversion and encoding)
 *     executes INVALID instead: an exceptional halt, observably a revert with empty data;
 *   - parameters and the return words of external calls are decoded by ABI coder v1, which cleans each
 *     word to its type (masking, sign extension, `!= 0` for bool, an enum cut to 8 bits and checked only
 *     where it is used) instead of reverting on dirty bits.
 * Everything else must behave exactly as the 0.8 lowering models it, which has been checked for a small
 * core only; so before lowering, every construct an entry point can reach is compared with that core
 * (`refuseOutsidePre08Core`) and anything else makes the entry point `unsupported` at its location:
 * value types, mappings, storage arrays of value types (index, `length`, `push`, `pop`; an index out of
 * range and `pop()` on an empty array execute INVALID; a getter's index out of range reverts with empty
 * data in 0.7 but executes INVALID in 0.6), structs of value-type members in storage (state variables,
 * mapping values, storage pointers, copies, `delete`, getters), events, `require`/`revert`/`assert` with string reasons,
 * internal (also library) functions, modifiers, inheritance, control flow and wrapping arithmetic;
 * high-level calls `I(t).f{value, gas}(args)` with value-type arguments and returns (a code check before
 * every call, as before 0.8.10; return words cleaned by ABI coder v1: short return data reverts with
 * empty data, dirty words do not) and `transfer`/`send`; `address(this)`.
 * Refused, among others: memory and calldata arrays, arrays of arrays or of enums, structs in memory or
 * with members other than value types,
 * `string`/`bytes` values, low-level calls, `.value()`/`.gas()`, `this.f()`, `a.balance`, `try`, `abi.*`, hashing, inline assembly,
 * immutables, shifts by a signed amount (0.6) and ABI coder v2 (`pragma experimental ABIEncoderV2`,
 * `pragma abicoder v2`), whose pre-0.8 decoder is not modelled.
 */

/** Types a reachable expression or declaration may have (solc's typeString). */
const VALUE_TYPE = /^(u?int\d*|bool|address( payable)?|bytes([1-9]|[12]\d|3[0-2])|enum [\w.]+)$/;
/** A storage array of value types (one dimension), as a state variable, a reference or a local pointer. */
const STORAGE_ARRAY = /^(u?int\d*|bool|address( payable)?|bytes([1-9]|[12]\d|3[0-2])|enum [\w.]+)\[\d*\]( storage (ref|pointer))?$/;
const ALLOWED_TYPE = [
  VALUE_TYPE,
  STORAGE_ARRAY,
  /^(int|rational)_const /,
  /^literal_string /,
  /^tuple\(/,
  /^type\((u?int\d*|bool|address( payable)?|bytes([1-9]|[12]\d|3[0-2])|enum [\w.]+|library [\w.]+)\)$/,
  /^modifier \(/,
  /^msg$|^block$|^tx$/,
  // Structs in storage only (state variables, mapping values, storage pointers); memory copies are refused.
  /^struct [\w.]+( storage (ref|pointer))?$/,
  /^type\(struct [\w.]+ storage pointer\)$/,
  /^contract [\w.]+$/,
  /^type\(contract [\w.]+\)$/,
  /^mapping\((u?int\d*|bool|address|bytes([1-9]|[12]\d|3[0-2])|enum [\w.]+) => /,
];

const STATEMENTS = new Set(['Block', 'ExpressionStatement', 'VariableDeclarationStatement', 'IfStatement', 'Return', 'EmitStatement', 'PlaceholderStatement', 'ForStatement', 'WhileStatement', 'DoWhileStatement', 'Break', 'Continue']);
const EXPRESSIONS = new Set(['FunctionCallOptions', 'Literal', 'Identifier', 'MemberAccess', 'IndexAccess', 'UnaryOperation', 'BinaryOperation', 'Assignment', 'Conditional', 'TupleExpression', 'FunctionCall', 'ElementaryTypeNameExpression']);
const STRUCTURE = new Set(['ParameterList', 'VariableDeclaration', 'ElementaryTypeName', 'UserDefinedTypeName', 'Mapping', 'ArrayTypeName', 'ModifierInvocation', 'OverrideSpecifier', 'StructuredDocumentation', 'FunctionDefinition', 'ModifierDefinition']);
const ENV_MEMBERS = new Set(['msg.sender', 'msg.value', 'block.timestamp', 'block.number', 'tx.origin']);
const BUILTIN_CALLS = new Set(['require', 'assert', 'revert', 'type']);

/** The pre-0.8 compilers whose code the core was checked against on the EVM (the bundled ones). */
export const PRE08_CHECKED: readonly string[] = ['0.6.12', '0.7.6'];

export const PRE08_V2 = 'ABI coder v2 in code compiled by solc <0.8 (pragma experimental ABIEncoderV2 / abicoder v2) not modelled';

/** The `pragma experimental ABIEncoderV2` or `pragma abicoder v2` of a source unit's AST, if any. */
export function abiCoderV2Pragma(sourceAst: AstNode): AstNode | undefined {
  return (sourceAst?.nodes as AstNode[] | undefined)?.find((n) => n.nodeType === 'PragmaDirective' && ((n.literals[0] === 'experimental' && n.literals[1] === 'ABIEncoderV2') || (n.literals[0] === 'abicoder' && n.literals[1] === 'v2')));
}

/**
 * Throws UnsupportedConstruct (the entry point becomes `unsupported`) at the first construct reachable
 * from `root` (an entry point's function definition, or a public state variable) that is outside the
 * pre-0.8 core. Internal calls and modifiers are followed, with every same-named definition in the
 * linearization (virtual dispatch and `super` may reach any of them).
 */
export function refuseOutsidePre08Core(ctx: LowerContext, root: AstNode): void {
  const seen = new Set<number>();
  const follow = (decl: AstNode | undefined, at: AstNode): void => {
    if (decl?.nodeType === 'VariableDeclaration' && decl.mutability === 'immutable') refuse('immutable', at);
    if (decl === undefined || seen.has(decl.id)) return;
    seen.add(decl.id);
    if (decl.nodeType === 'FunctionDefinition' || decl.nodeType === 'ModifierDefinition') {
      for (const c of ctx.linearization) for (const n of c.nodes as AstNode[]) if (n.nodeType === decl.nodeType && n.name === decl.name && !seen.has(n.id)) follow(n, at);
      // A library's functions are not in the linearization: follow the one referenced.
      walk(decl);
    } else if (decl.nodeType === 'VariableDeclaration' && decl.constant && decl.value) walk(decl.value);
  };
  const refuse = (what: string, n: AstNode): never => unsupported(`${what} in code compiled by solc ${ctx.pre08?.solc ?? '<0.8'} (not modelled before 0.8)`, ctx.loc(n) as SrcLoc);
  if (!PRE08_CHECKED.includes(ctx.pre08?.solc ?? '')) unsupported(`code compiled by solc ${ctx.pre08?.solc ?? '?'} (before 0.8, other than ${PRE08_CHECKED.join(' and ')}) not modelled`, ctx.loc(root) as SrcLoc);
  if (ctx.pre08?.abiCoderV2 !== undefined) unsupported(PRE08_V2, ctx.loc(ctx.pre08.abiCoderV2) as SrcLoc);
  const walk = (n: AstNode): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (n === null || typeof n !== 'object') return;
    const kind: string | undefined = n.nodeType;
    if (kind !== undefined) check(n, kind);
    for (const [k, v] of Object.entries(n)) if (k !== 'documentation' && v !== null && typeof v === 'object') walk(v);
  };
  const check = (n: AstNode, kind: string): void => {
    if (!STATEMENTS.has(kind) && !EXPRESSIONS.has(kind) && !STRUCTURE.has(kind)) refuse(kind === 'InlineAssembly' ? 'inline assembly' : `${kind}`, n);
    const type: string | undefined = n.typeDescriptions?.typeString;
    // The callee of a high-level call (checked as a call where the FunctionCall is).
    const externalCallee = /^function \(.*\bexternal\b/.test(type ?? '') && ((kind === 'MemberAccess' && /^contract [\w.]+$/.test(n.expression?.typeDescriptions?.typeString ?? '')) || kind === 'FunctionCallOptions');
    const stipendCall = kind === 'MemberAccess' && (n.memberName === 'transfer' || n.memberName === 'send') && n.expression?.typeDescriptions?.typeString === 'address payable';
    if (typeof type === 'string' && !ALLOWED_TYPE.some((r) => r.test(type)) && !isInternalFunctionType(type) && !isNamedMember(ctx, n) && !externalCallee && !stipendCall) refuse(`a value of type ${type}`, n);
    if (typeof type === 'string' && /\bstruct /.test(type) && !structOfValues(ctx, n)) refuse(`a struct with members other than value types (${type})`, n);
    if (kind === 'VariableDeclaration' && n.mutability === 'immutable') refuse('immutable', n);
    if (kind === 'VariableDeclaration' && /^function /.test(type ?? '')) refuse('function-typed variable', n);
    if (kind === 'Literal' && n.kind !== 'number' && n.kind !== 'bool' && n.kind !== 'string') refuse(`${n.kind} literal`, n);
    if (kind === 'Literal' && n.subdenomination && !/^(wei|gwei|ether|seconds|minutes|hours|days|weeks)$/.test(n.subdenomination)) refuse(`literal unit ${n.subdenomination}`, n);
    if (kind === 'FunctionCall') {
      if (n.kind !== 'functionCall' && n.kind !== 'typeConversion') refuse(`call of kind ${n.kind}`, n);
      if (n.tryCall) refuse('try call', n);
      const callee = n.expression;
      if (n.kind === 'functionCall') {
        if (callee.nodeType === 'Identifier' && isBuiltinRef(callee.referencedDeclaration)) {
          if (!BUILTIN_CALLS.has(callee.name)) refuse(`${callee.name}()`, n);
        } else {
          const target = callee.nodeType === 'FunctionCallOptions' ? callee.expression : callee;
          if (callee.nodeType === 'FunctionCallOptions' && !(callee.names as string[]).every((o) => o === 'value' || o === 'gas')) refuse(`call option ${callee.names.join(', ')}`, n);
          const decl = ctx.node(target.referencedDeclaration);
          if (decl === undefined && isArrayMember(callee, ['push', 'pop'])) return;
          if (decl === undefined && target.nodeType === 'MemberAccess' && (target.memberName === 'transfer' || target.memberName === 'send') && /^address payable$/.test(target.expression?.typeDescriptions?.typeString ?? '') && callee === target) return;
          if (decl?.nodeType === 'FunctionDefinition' && target.nodeType === 'MemberAccess' && isExternalCall(ctx, target, decl)) {
            // How coder v1 encodes and decodes an enum across a call was not checked on the EVM.
            const params: AstNode[] = [...decl.parameters.parameters, ...decl.returnParameters.parameters];
            if (params.some((p) => /^enum /.test(p.typeDescriptions?.typeString ?? ''))) refuse('an external call with an enum argument or return', n);
            walk(decl.parameters);
            walk(decl.returnParameters);
            return;
          }
          if (callee.nodeType === 'FunctionCallOptions') refuse('call options on an internal call', n);
          if (decl?.nodeType !== 'FunctionDefinition' && decl?.nodeType !== 'EventDefinition') refuse('call of something other than an internal function', n);
          if (decl.nodeType === 'FunctionDefinition' && (decl.visibility === 'external' || (decl.visibility === 'public' && isLibrary(ctx, decl)))) refuse('external call', n);
          if (decl.nodeType === 'FunctionDefinition' && callee.nodeType === 'MemberAccess' && !isPlainInternalTarget(ctx, callee)) refuse(`external call .${callee.memberName}`, n);
          follow(decl, n);
          if (decl.nodeType === 'EventDefinition') walk(decl.parameters);
        }
      }
    }
    if (kind === 'EmitStatement') follow(ctx.node(n.eventCall?.expression?.referencedDeclaration), n);
    if (kind === 'ModifierInvocation') {
      const mod = ctx.node(n.modifierName?.referencedDeclaration);
      if (mod?.nodeType !== 'ModifierDefinition') refuse('base constructor call', n);
      follow(mod, n);
    }
    if (kind === 'Identifier') {
      if (isBuiltinRef(n.referencedDeclaration)) {
        if (!['now', 'msg', 'block', 'tx', 'require', 'assert', 'revert', 'super', 'type', 'this'].includes(n.name)) refuse(n.name, n);
      } else follow(ctx.node(n.referencedDeclaration), n);
    }
    if (kind === 'MemberAccess') {
      const base = n.expression;
      if (base.nodeType === 'Identifier' && isBuiltinRef(base.referencedDeclaration) && base.name !== 'super' && !ENV_MEMBERS.has(`${base.name}.${n.memberName}`)) refuse(`${base.name}.${n.memberName}`, n);
      const decl = ctx.node(n.referencedDeclaration);
      // Without a declaration only enum members are modelled here (`addr.balance`, `.transfer` and the like are not).
      if (decl === undefined && !(base.nodeType === 'Identifier' && isBuiltinRef(base.referencedDeclaration)) && !/^type\(enum /.test(base.typeDescriptions?.typeString ?? '') && !isIntegerBound(n) && !isArrayMember(n, ['length', 'push', 'pop']) && !stipendCall) refuse(`member .${n.memberName}`, n);
      if (decl !== undefined) follow(decl, n);
    }
    if (kind === 'IndexAccess' && !/^mapping\(/.test(n.baseExpression?.typeDescriptions?.typeString ?? '') && !STORAGE_ARRAY.test(n.baseExpression?.typeDescriptions?.typeString ?? '')) refuse(`index access on ${n.baseExpression?.typeDescriptions?.typeString}`, n);
    if (kind === 'BinaryOperation' && (n.operator === '<<' || n.operator === '>>') && /^int/.test(n.rightExpression?.typeDescriptions?.typeString ?? '')) refuse('shift by a signed amount', n);
  };
  if (root.nodeType === 'FunctionDefinition') follow(root, root);
  else walk(root);
}

/** An internal function's type (`function (uint256) pure returns (uint256)`): what an identifier of a called function has. */
function isInternalFunctionType(type: string): boolean {
  return /^function \(/.test(type) && !/\b(external|delegatecall)\b/.test(type);
}

/**
 * `I(t).f(args)` / `t.f(args)` with `t` of a contract type and `f` external or public in an interface or
 * contract (not a library, not `this`): a high-level call, whose 0.6/0.7 differences the lowering models
 * (a code check before every call, return words cleaned by ABI coder v1).
 */
function isExternalCall(ctx: LowerContext, callee: AstNode, decl: AstNode): boolean {
  const base = callee.expression;
  if (base.nodeType === 'Identifier' && (base.name === 'this' || base.name === 'super')) return false;
  if (!/^contract [\w.]+$/.test(base.typeDescriptions?.typeString ?? '')) return false;
  return (decl.visibility === 'external' || decl.visibility === 'public') && !isLibrary(ctx, decl);
}

/** Names whose types are their containers: `super`, an enum type (`E.A`), a base contract (`Base.f()`, followed as internal). */
function isNamedMember(ctx: LowerContext, n: AstNode): boolean {
  const type: string = n.typeDescriptions?.typeString ?? '';
  if (n.nodeType !== 'Identifier') return false;
  if (n.name === 'super') return /^contract super /.test(type);
  if (/^type\(enum /.test(type)) return true;
  return /^type\(contract /.test(type) && ctx.linearization.some((c) => c.id === n.referencedDeclaration);
}

/**
 * Whether every struct a node's type names has only value-type members (checked on the EVM: storage
 * reads, writes, copies, `delete` and getters of such structs behave as in 0.8); a struct holding
 * arrays, byte strings, mappings or structs is refused.
 */
function structOfValues(ctx: LowerContext, n: AstNode): boolean {
  const ids = [...String(n.typeDescriptions?.typeIdentifier ?? '').matchAll(/t_struct\$_[A-Za-z0-9_$]*?_\$(\d+)_/g)].map((m) => Number(m[1]));
  if (ids.length === 0) return false;
  return ids.every((id) => {
    const def = ctx.node(id);
    return def?.nodeType === 'StructDefinition' && (def.members as AstNode[]).every((m) => VALUE_TYPE.test(m.typeDescriptions?.typeString ?? ''));
  });
}

/** `a.length`, `a.push`, `a.pop` of a storage array of value types. */
function isArrayMember(n: AstNode, members: readonly string[]): boolean {
  return n.nodeType === 'MemberAccess' && members.includes(n.memberName) && STORAGE_ARRAY.test(n.expression?.typeDescriptions?.typeString ?? '');
}

/** `type(T).max` / `type(T).min` of an integer type T: a constant. */
function isIntegerBound(n: AstNode): boolean {
  const base = n.expression;
  return (n.memberName === 'max' || n.memberName === 'min') && base.nodeType === 'FunctionCall' && base.expression?.nodeType === 'Identifier' && base.expression.name === 'type' && isBuiltinRef(base.expression.referencedDeclaration) && /^type\(u?int\d*\)$/.test(base.typeDescriptions?.typeString ?? '');
}

function isLibrary(ctx: LowerContext, decl: AstNode): boolean {
  return ctx.node(decl.scope)?.contractKind === 'library';
}

/** `super.f`, `Base.f`, `Lib.f` and `x.f` with `using Lib for T` reach internal code; anything else through a member is external. */
function isPlainInternalTarget(ctx: LowerContext, callee: AstNode): boolean {
  const decl = ctx.node(callee.referencedDeclaration);
  if (decl === undefined) return false;
  if (isLibrary(ctx, decl)) return decl.visibility === 'internal' || decl.visibility === 'private';
  const base = callee.expression;
  return base.nodeType === 'Identifier' && (base.name === 'super' || /^type\(contract /.test(base.typeDescriptions?.typeString ?? ''));
}
