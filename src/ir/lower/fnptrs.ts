import type { SrcLoc } from '../../util/loc.ts';
import { U256 } from '../types.ts';
import { unsupported, type AstNode } from './context.ts';
import type { FunctionLowerer, Val } from './function.ts';

/**
 * Internal function pointers passed as arguments, the way OpenZeppelin's Votes passes `_add` or
 * `_subtract` to `_push(store, op, delta)`: a parameter of an internal function type whose argument names
 * an internal function (or is such a parameter of the caller, passed on) is bound to that function for
 * the inlined call, and a call through the parameter inlines the bound function. This is exact, as the
 * pointer can denote nothing else while the parameter is never assigned (checked). A pointer to a
 * virtual function denotes its most derived override, as in solc. Everything else about function types
 * (variables, storage, returns, conditionals, external function types) stays unsupported.
 */

const pending = new WeakMap<FunctionLowerer, Map<number, AstNode>>();
const bound = new WeakMap<FunctionLowerer, Map<number, AstNode>>();

function mapOf(m: WeakMap<FunctionLowerer, Map<number, AstNode>>, L: FunctionLowerer): Map<number, AstNode> {
  let x = m.get(L);
  if (!x) m.set(L, (x = new Map()));
  return x;
}

const isInternalFunctionType = (text: string): boolean => /^function \(/.test(text) && !/\b(external|delegatecall)\b/.test(text);

/** The function an argument for an internal-function-typed parameter denotes; unsupported when not statically known. */
function pointee(L: FunctionLowerer, a: AstNode, loc: SrcLoc): AstNode {
  const decl = L.ctx.node(a.referencedDeclaration);
  if (a.nodeType === 'Identifier' && decl?.nodeType === 'FunctionDefinition') return decl.virtual ? L.resolveVirtual(decl) : decl;
  if (a.nodeType === 'Identifier' && decl?.nodeType === 'VariableDeclaration') {
    const f = mapOf(bound, L).get(decl.id);
    if (f) return f;
  }
  // `L.f` of an internal library function (not virtual).
  if (a.nodeType === 'MemberAccess' && decl?.nodeType === 'FunctionDefinition' && L.ctx.node(decl.scope)?.contractKind === 'library' && decl.visibility !== 'external' && decl.visibility !== 'public') return decl;
  unsupported(`an internal function pointer other than a function named directly (${a.nodeType})`, loc);
}

/** A placeholder for an internal-function-typed argument, bound by `bindFunctionPointer`; null for other parameters. */
export function functionPointerArg(L: FunctionLowerer, a: AstNode, param: AstNode): Val | null {
  if (!isInternalFunctionType(param?.typeDescriptions?.typeString ?? '')) return null;
  mapOf(pending, L).set(param.id, pointee(L, a, L.ctx.loc(a)));
  return { v: -1, t: U256 };
}

/** Binds an internal-function-typed parameter to the function its argument named; false for other parameters. */
export function bindFunctionPointer(L: FunctionLowerer, param: AstNode): boolean {
  const f = mapOf(pending, L).get(param.id);
  if (f === undefined) return false;
  mapOf(pending, L).delete(param.id);
  const fn = L.ctx.node(param.scope);
  if (fn !== undefined && assignsTo(fn.body, param.id)) unsupported(`internal function pointer parameter ${param.name} assigned in its function`, L.ctx.loc(param));
  mapOf(bound, L).set(param.id, f);
  return true;
}

/** The function a call through parameter `decl` runs; undefined when `decl` is not a bound pointer. */
export function boundFunctionPointer(L: FunctionLowerer, decl: AstNode): AstNode | undefined {
  return decl?.nodeType === 'VariableDeclaration' ? mapOf(bound, L).get(decl.id) : undefined;
}

function assignsTo(n: unknown, id: number): boolean {
  if (Array.isArray(n)) return n.some((x) => assignsTo(x, id));
  if (n === null || typeof n !== 'object') return false;
  const o = n as AstNode;
  if (o.nodeType === 'Assignment' && refersTo(o.leftHandSide, id)) return true;
  if (o.nodeType === 'InlineAssembly') return (o.externalReferences ?? []).some((r: AstNode) => r.declaration === id);
  return Object.values(o).some((v) => v !== null && typeof v === 'object' && assignsTo(v, id));
}

function refersTo(lhs: AstNode, id: number): boolean {
  if (lhs?.nodeType === 'Identifier') return lhs.referencedDeclaration === id;
  if (lhs?.nodeType === 'TupleExpression') return (lhs.components ?? []).some((c: AstNode) => c !== null && refersTo(c, id));
  return false;
}
