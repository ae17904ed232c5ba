import { isBuiltinRef, type AstNode } from './context.ts';
import type { FunctionLowerer } from './function.ts';

/**
 * Whether the stack word solc's legacy code generator keeps for a Solidity variable narrower than 256
 * bits (`uint8`, `int16`, `address`, `bool`, `bytes4`, …) is certainly clean where inline assembly reads
 * it: zero high bits (unsigned, address, bool 0/1), sign-extended (signed), zero low bits (bytesN). The
 * IR holds such a variable as its clean value, so assembly may read it only then. solc leaves the word
 * dirty after unchecked arithmetic, `~`, `<<` and the like, and keeps whatever an internal call passed or
 * returned, so only these are accepted (each checked on the EVM, test/diff/contracts/YulNarrow.sol):
 *   - a parameter of the entry point itself (the ABI decoder rejects dirty words), never assigned;
 *   - a parameter of an inlined internal function, never assigned, whose argument at this call is clean
 *     (solc passes the word as it is), e.g. OpenZeppelin 5.1 `SafeCast.toUint(bool b)`;
 *   - a local never assigned after its declaration, whose initial value is clean: a literal, a state
 *     variable or mapping value other than a bool (loaded and masked; a stored bool's dirty byte stays
 *     in the word, checked on the EVM), checked `+ - * / %` (solc's checked functions clean
 *     their operands and the result fits), a comparison or `!`, `&`/`|`/`^`/`&&`/`||`/`c ? a : b` of clean
 *     values, `msg.sender`, `tx.origin`, another such variable, or a call of an internal function that
 *     cannot be overridden whose every `return` is clean by these rules (its parameters not counted).
 * Explicit conversions (`uint8(x)`), `~`, `<<`, unchecked arithmetic and stored bools are not clean.
 * Assignments to narrow variables from assembly stay unsupported (see yul.ts).
 */
export function cleanStackWord(L: FunctionLowerer, decl: AstNode): boolean {
  const C = ctxOf(L);
  return C !== null && cleanVar(C, C.fn, decl, 0);
}

/**
 * Records, before an internal call is inlined, which of the callee's parameters receive a clean word:
 * solc passes the argument's word as it is (no cleaning), so a parameter is clean when its argument is
 * (by the rules above, in the caller, where the call stands). Read by `cleanStackWord` in the callee.
 */
export function noteCallArguments(L: FunctionLowerer, callee: AstNode, args: readonly AstNode[], names: readonly string[]): void {
  const C = ctxOf(L);
  const params: AstNode[] = callee.parameters?.parameters ?? [];
  const table = cleanParams(L);
  params.forEach((p, i) => {
    const a = names.length > 0 ? args[names.indexOf(p.name)] : args[i];
    table.set(p.id, C !== null && a !== undefined && cleanExpr(C, C.fn, a, L.inUnchecked, 0));
  });
}

interface Ctx {
  readonly node: (id: number) => AstNode | undefined;
  /** The function or modifier whose body is being lowered. */
  readonly fn: AstNode;
  /** The frame is the entry point's own body (not an inlined call or a modifier). */
  readonly isEntry: boolean;
  /** Parameters of inlined internal functions whose argument was clean (`noteCallArguments`). */
  readonly cleanParams: ReadonlyMap<number, boolean>;
}

const paramTables = new WeakMap<FunctionLowerer, Map<number, boolean>>();

function cleanParams(L: FunctionLowerer): Map<number, boolean> {
  let t = paramTables.get(L);
  if (!t) paramTables.set(L, (t = new Map()));
  return t;
}

function ctxOf(L: FunctionLowerer): Ctx | null {
  const frames = (L as unknown as { frames: readonly { kind: string; def: AstNode; entry?: boolean }[] }).frames;
  const cur = frames.at(-1);
  if (!cur) return null;
  // The entry point's own frame, marked when it is pushed: a public function called from a modifier is
  // the first function frame too, but its parameters are the caller's words, not ABI-decoded ones.
  return { node: (id) => L.ctx.node(id), fn: cur.def, isEntry: cur.kind === 'function' && cur.entry === true, cleanParams: cleanParams(L) };
}

function cleanVar(C: Ctx, fn: AstNode, decl: AstNode, depth: number): boolean {
  if (depth > 8 || written(fn.body, decl.id)) return false;
  const params: AstNode[] = fn.parameters?.parameters ?? [];
  if (params.some((p) => p.id === decl.id)) {
    if (fn.nodeType !== 'FunctionDefinition') return false;
    if (C.isEntry && fn === C.fn) return fn.visibility === 'external' || fn.visibility === 'public';
    return fn === C.fn && C.cleanParams.get(decl.id) === true;
  }
  const init = declaration(fn.body, decl.id, false);
  if (!init || init.unchecked === null) return false;
  return cleanExpr(C, fn, init.value, init.unchecked, depth);
}

function cleanExpr(C: Ctx, fn: AstNode, e: AstNode, unchecked: boolean, depth: number): boolean {
  const sub = (x: AstNode): boolean => cleanExpr(C, fn, x, unchecked, depth + 1);
  switch (e.nodeType) {
    case 'Literal':
      return true;
    case 'Identifier': {
      if (isBuiltinRef(e.referencedDeclaration)) return false;
      const d = findDecl(fn, e.referencedDeclaration);
      if (d) return cleanVar(C, fn, d, depth + 1);
      return storageVar(C, e.referencedDeclaration) && !storedBool(e);
    }
    case 'MemberAccess':
      return e.expression?.nodeType === 'Identifier' && isBuiltinRef(e.expression.referencedDeclaration) && ['msg.sender', 'tx.origin'].includes(`${e.expression.name}.${e.memberName}`);
    case 'IndexAccess':
      return /^mapping\(/.test(e.baseExpression?.typeDescriptions?.typeString ?? '') && stateMapping(C, e.baseExpression) && !storedBool(e);
    case 'BinaryOperation': {
      const op: string = e.operator;
      if (['==', '!=', '<', '>', '<=', '>='].includes(op)) return true;
      if (['+', '-', '*', '/', '%'].includes(op)) return !unchecked;
      if (['&', '|', '^', '&&', '||'].includes(op)) return sub(e.leftExpression) && sub(e.rightExpression);
      return false;
    }
    case 'Conditional':
      return sub(e.trueExpression) && sub(e.falseExpression);
    case 'FunctionCall':
      return e.kind === 'functionCall' && cleanReturn(C, e, depth);
    case 'UnaryOperation':
      // ISZERO: 0 or 1.
      return e.operator === '!';
    case 'TupleExpression':
      return e.components?.length === 1 && e.components[0] !== null && sub(e.components[0]);
    default:
      return false;
  }
}

/**
 * A call of an internal function that cannot be overridden (private, a library's, or not virtual) with
 * one unnamed return value, every `return` of which is clean in the callee (its parameters not counted
 * as clean): the word it leaves is then clean (falling off the end leaves the zero it started with).
 */
function cleanReturn(C: Ctx, call: AstNode, depth: number): boolean {
  const callee = call.expression;
  if (callee?.nodeType !== 'Identifier' && callee?.nodeType !== 'MemberAccess') return false;
  const f = C.node(callee.referencedDeclaration);
  if (f?.nodeType !== 'FunctionDefinition' || !f.body || f.virtual || f.modifiers?.length) return false;
  const rets: AstNode[] = f.returnParameters?.parameters ?? [];
  if (rets.length !== 1 || rets[0]!.name !== '') return false;
  const inner: Ctx = { ...C, fn: f, isEntry: false, cleanParams: new Map() };
  const returns: AstNode[] = [];
  let asm = false;
  const walk = (x: unknown): void => {
    if (x === null || typeof x !== 'object') return;
    if (Array.isArray(x)) return x.forEach(walk);
    const n = x as AstNode;
    if (n.nodeType === 'Return') returns.push(n);
    if (n.nodeType === 'InlineAssembly') asm = true;
    for (const v of Object.values(n)) walk(v);
  };
  walk(f.body);
  return !asm && returns.every((r) => r.expression && cleanExpr(inner, f, r.expression, uncheckedAt(f.body, r), depth + 1));
}

/** Whether node `target` stands inside an unchecked block of `body`. */
function uncheckedAt(body: unknown, target: AstNode, inUnchecked = false): boolean {
  if (body === target) return inUnchecked;
  if (body === null || typeof body !== 'object') return false;
  const n = body as AstNode;
  const u = inUnchecked || n.nodeType === 'UncheckedBlock';
  for (const v of Array.isArray(body) ? body : Object.values(n)) if (v !== null && typeof v === 'object' && contains(v, target)) return uncheckedAt(v, target, u);
  return false;
}

function contains(x: unknown, target: AstNode): boolean {
  if (x === target) return true;
  if (x === null || typeof x !== 'object') return false;
  return (Array.isArray(x) ? x : Object.values(x)).some((v) => contains(v, target));
}

/** A stored bool is loaded as its byte, masked but not made 0/1: a dirty byte stays in the word. */
function storedBool(e: AstNode): boolean {
  return e.typeDescriptions?.typeString === 'bool';
}

/** A plain storage variable (not constant, not immutable): read from storage and masked to its type. */
function storageVar(C: Ctx, id: number): boolean {
  const d = C.node(id);
  return d?.nodeType === 'VariableDeclaration' && d.stateVariable === true && !d.constant && d.mutability === 'mutable';
}

function stateMapping(C: Ctx, e: AstNode): boolean {
  if (e.nodeType === 'IndexAccess') return stateMapping(C, e.baseExpression);
  return e.nodeType === 'Identifier' && storageVar(C, e.referencedDeclaration);
}

/** Whether any statement in `body` assigns `id` (`=`, compound, `++`/`--`, `delete`, tuple targets). */
function written(body: unknown, id: number): boolean {
  let found = false;
  const target = (x: AstNode | null | undefined): boolean =>
    !!x && ((x.nodeType === 'Identifier' && x.referencedDeclaration === id) || (x.nodeType === 'TupleExpression' && (x.components as (AstNode | null)[]).some(target)));
  const walk = (x: unknown): void => {
    if (found || x === null || typeof x !== 'object') return;
    if (Array.isArray(x)) return x.forEach(walk);
    const n = x as AstNode;
    if (n.nodeType === 'Assignment' && target(n.leftHandSide)) found = true;
    if (n.nodeType === 'UnaryOperation' && ['++', '--', 'delete'].includes(n.operator) && target(n.subExpression)) found = true;
    for (const v of Object.values(n)) walk(v);
  };
  walk(body);
  return found;
}

/** The declaration statement of local `id` in `body` with its initial value, and whether it is in an unchecked block (null: no initial value or several variables). */
function declaration(body: unknown, id: number, inUnchecked: boolean): { value: AstNode; unchecked: boolean | null } | null {
  if (body === null || typeof body !== 'object') return null;
  if (Array.isArray(body)) {
    for (const x of body) {
      const r = declaration(x, id, inUnchecked);
      if (r) return r;
    }
    return null;
  }
  const n = body as AstNode;
  if (n.nodeType === 'VariableDeclarationStatement' && (n.declarations as (AstNode | null)[]).some((d) => d?.id === id)) {
    if (n.declarations.length !== 1 || !n.initialValue) return { value: n, unchecked: null };
    return { value: n.initialValue, unchecked: inUnchecked };
  }
  const unchecked = inUnchecked || n.nodeType === 'UncheckedBlock';
  for (const v of Object.values(n)) {
    const r = declaration(v, id, unchecked);
    if (r) return r;
  }
  return null;
}

/** The declaration of a parameter or local of `fn` with this id, else undefined. */
function findDecl(fn: AstNode, id: number): AstNode | undefined {
  const params: AstNode[] = [...(fn.parameters?.parameters ?? []), ...(fn.returnParameters?.parameters ?? [])];
  const p = params.find((x) => x.id === id);
  if (p) return p;
  let found: AstNode | undefined;
  const walk = (x: unknown): void => {
    if (found || x === null || typeof x !== 'object') return;
    if (Array.isArray(x)) return x.forEach(walk);
    const n = x as AstNode;
    if (n.nodeType === 'VariableDeclaration' && n.id === id) found = n;
    for (const v of Object.values(n)) walk(v);
  };
  walk(fn.body);
  return found;
}
