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
 *   - a local never assigned after its declaration, whose initial value is clean: a literal, a state
 *     variable or mapping value other than a bool (loaded and masked; a stored bool's dirty byte stays
 *     in the word, checked on the EVM), checked `+ - * / %` (solc's checked functions clean
 *     their operands and the result fits), a comparison or `!`, `&`/`|`/`^` of clean values, `msg.sender`,
 *     `tx.origin`, or another such variable.
 * Assignments to narrow variables from assembly stay unsupported (see yul.ts).
 */
export function cleanStackWord(L: FunctionLowerer, decl: AstNode): boolean {
  const frames = (L as unknown as { frames: readonly { kind: string; def: AstNode }[] }).frames;
  const cur = frames.at(-1);
  if (!cur) return false;
  const C: Ctx = { node: (id) => L.ctx.node(id), isEntry: frames.find((f) => f.kind === 'function') === cur && cur.kind === 'function' };
  return cleanVar(C, cur.def, decl, 0);
}

interface Ctx {
  readonly node: (id: number) => AstNode | undefined;
  /** The frame is the entry point's own body (not an inlined call or a modifier). */
  readonly isEntry: boolean;
}

function cleanVar(C: Ctx, fn: AstNode, decl: AstNode, depth: number): boolean {
  if (depth > 8 || written(fn.body, decl.id)) return false;
  const params: AstNode[] = fn.parameters?.parameters ?? [];
  if (params.some((p) => p.id === decl.id)) return C.isEntry && (fn.visibility === 'external' || fn.visibility === 'public');
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
      if (['&', '|', '^'].includes(op)) return sub(e.leftExpression) && sub(e.rightExpression);
      return false;
    }
    case 'UnaryOperation':
      // ISZERO: 0 or 1.
      return e.operator === '!';
    case 'TupleExpression':
      return e.components?.length === 1 && e.components[0] !== null && sub(e.components[0]);
    default:
      return false;
  }
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
