import { finding, type Finding } from '../finding.ts';
import { allowed, effectiveFunction, effectiveFunctions, loc, modifierNames, qualified, stateVariablesOf, walk, type AstNode, type Side } from './ast.ts';
import { H } from './catalog.ts';
import { reachFrom } from './reach.ts';

/**
 * Hazards of the implementation's own state: what a constructor or an initial value writes lands in the
 * implementation's storage, never the proxy's; immutables and constants live in code and silently differ
 * from (or stop reading) the proxy's slots; internal function pointers are code offsets of one build.
 */
export function stateHazards(side: Side, old: Side | undefined): Finding[] {
  const out: Finding[] = [];
  out.push(...constructorHazards(side));
  for (const c of side.bases) {
    for (const v of stateVariablesOf(c)) {
      const name = qualified(side, v);
      const at = { newLoc: loc(side, v), subject: name };
      if (v.mutability === 'immutable' && !allowed(side, 'state-variable-immutable', v)) {
        out.push(finding(H.immutableVariable, `${name} is immutable: its value is in the implementation's code, set by the implementation's constructor, not per proxy; fix: make it a state variable set in the initializer, or document it with @custom:oz-upgrades-unsafe-allow state-variable-immutable`, at));
      }
      const inStorage = v.constant !== true && v.mutability !== 'immutable';
      if (inStorage && v.value != null && !allowed(side, 'state-variable-assignment', v)) {
        out.push(finding(H.stateVariableInitialValue, `${name} has an initial value, which the implementation's constructor writes to its own storage: the proxy's slot stays zero; fix: assign it in the initializer (or make it constant), or document it with @custom:oz-upgrades-unsafe-allow state-variable-assignment`, at));
      }
      if (inStorage && holdsInternalFunction(side, v.typeName as AstNode, new Set())) {
        out.push(finding(H.internalFunctionInStorage, `${name} stores an internal function, a code offset of this build: after an upgrade it jumps into arbitrary code of the new implementation; fix: store a selector or an enum and dispatch on it`, at));
      }
    }
  }
  if (old !== undefined) out.push(...constantChanges(old, side));
  return out;
}

function constructorHazards(side: Side): Finding[] {
  const out: Finding[] = [];
  const ctors = effectiveFunctions(side).filter((f) => f.kind === 'constructor');
  for (const ctor of ctors) {
    if (allowed(side, 'constructor', ctor)) continue;
    const write = firstStateWrite(side, ctor);
    if (write === undefined) continue;
    const name = qualified(side, ctor);
    out.push(finding(H.constructorWritesState, `${name} writes state (${write.what}): it runs once, on the implementation's storage, never on the proxy's; fix: move it into an initializer, or document it with @custom:oz-upgrades-unsafe-allow constructor`, { newLoc: loc(side, write.node), subject: name }));
  }
  // Only a deployable implementation needs its own initializers locked; an abstract base leaves it to the child.
  const disable = effectiveFunction(side, '_disableInitializers');
  if (side.root.abstract === true || disable === undefined) return out;
  const locked = ctors.some((c) => modifierNames(c).includes('initializer') || reachFrom(side, [c]).via.has(disable.id));
  if (!locked) {
    const at = ctors.find((c) => side.owner.get(c.id) === side.root) ?? side.root;
    out.push(finding(H.initializersNotDisabled, `${side.root.name} does not call _disableInitializers() in its constructor: anyone can initialize the implementation contract itself and act as its owner there; fix: add \`constructor() { _disableInitializers(); }\` (with @custom:oz-upgrades-unsafe-allow constructor)`, { newLoc: loc(side, at), subject: String(side.root.name) }));
  }
  return out;
}

/** The first write to storage that the code reached from `fn` makes, except locking the initializers. */
export function firstStateWrite(side: Side, fn: AstNode): { node: AstNode; what: string } | undefined {
  let found: { node: AstNode; what: string } | undefined;
  for (const id of reachFrom(side, [fn]).via.keys()) {
    const decl = side.nodes.get(id);
    // Initializable's own bookkeeping (_disableInitializers, the `initializer` modifier) is the intended write.
    if (decl === undefined || side.owner.get(id)?.name === 'Initializable') continue;
    walk(decl, (n) => {
      if (found !== undefined) return false;
      const w = writeAt(side, n);
      if (w !== undefined) found = { node: n, what: w };
    });
    if (found !== undefined) return found;
  }
  return undefined;
}

function writeAt(side: Side, n: AstNode): string | undefined {
  if (n.nodeType === 'Assignment') return storageBase(side, n.leftHandSide as AstNode);
  if (n.nodeType === 'UnaryOperation' && (n.operator === '++' || n.operator === '--' || n.operator === 'delete')) {
    return storageBase(side, n.subExpression as AstNode);
  }
  if (n.nodeType === 'FunctionCall' && n.expression?.nodeType === 'MemberAccess'
    && (n.expression.memberName === 'push' || n.expression.memberName === 'pop')) {
    return storageBase(side, n.expression.expression as AstNode);
  }
  if (n.nodeType === 'YulFunctionCall' && n.functionName?.name === 'sstore') return 'assembly sstore';
  return undefined;
}

/** The state variable an lvalue writes into, when it is one (immutables are code, not storage). */
function storageBase(side: Side, e: AstNode): string | undefined {
  switch (e.nodeType) {
    case 'Identifier': {
      const d = side.nodes.get(e.referencedDeclaration as number);
      if (d?.stateVariable === true) return d.mutability !== 'immutable' && d.constant !== true ? String(d.name) : undefined;
      // A local storage pointer (a namespaced ERC-7201 struct, an element of a state array): writes through it are state writes.
      return d?.nodeType === 'VariableDeclaration' && d.storageLocation === 'storage' ? `${d.name} (storage pointer)` : undefined;
    }
    case 'MemberAccess': return storageBase(side, e.expression as AstNode);
    case 'IndexAccess': return storageBase(side, e.baseExpression as AstNode);
    case 'TupleExpression': {
      for (const c of e.components as (AstNode | null)[]) {
        const b = c === null ? undefined : storageBase(side, c);
        if (b !== undefined) return b;
      }
      return undefined;
    }
    default: return undefined;
  }
}

function holdsInternalFunction(side: Side, t: AstNode | undefined, seen: Set<number>): boolean {
  if (t === undefined) return false;
  switch (t.nodeType) {
    case 'FunctionTypeName': return t.visibility === 'internal';
    case 'Mapping': return holdsInternalFunction(side, t.valueType as AstNode, seen);
    case 'ArrayTypeName': return holdsInternalFunction(side, t.baseType as AstNode, seen);
    case 'UserDefinedTypeName': {
      const d = side.nodes.get(t.referencedDeclaration as number);
      if (d?.nodeType !== 'StructDefinition' || seen.has(d.id)) return false;
      seen.add(d.id);
      return (d.members as AstNode[]).some((m) => holdsInternalFunction(side, m.typeName as AstNode, seen));
    }
    default: return false;
  }
}

/** A variable that moved between storage and code: the proxy's slot is abandoned or read as zero. */
function constantChanges(old: Side, side: Side): Finding[] {
  const oldVars = new Map<string, AstNode>();
  for (const c of old.bases) for (const v of stateVariablesOf(c)) oldVars.set(`${c.name}.${v.name}`, v);
  const out: Finding[] = [];
  for (const c of side.bases) {
    for (const v of stateVariablesOf(c)) {
      const before = oldVars.get(`${c.name}.${v.name}`);
      if (before === undefined) continue;
      const was = isCode(before);
      const is = isCode(v);
      const where = { newLoc: loc(side, v), oldLoc: loc(old, before), subject: `${c.name}.${v.name}` };
      if (!was && is) {
        out.push(finding(H.becameConstant, `${c.name}.${v.name} became ${v.constant === true ? 'constant' : 'immutable'}: the value the proxy stored is no longer read and its slot is abandoned (the variables after it move); fix: keep it a state variable, or rename it and keep a placeholder in its slot`, where));
      } else if (was && !is) {
        out.push(finding(H.stoppedBeingConstant, `${c.name}.${v.name} was ${before.constant === true ? 'constant' : 'immutable'} and is now a state variable: it now takes a slot (the variables after it move) and reads zero on the proxy until set; fix: append a new variable instead and set it in a reinitializer`, where));
      }
    }
  }
  return out;
}

function isCode(v: AstNode): boolean {
  return v.constant === true || v.mutability === 'immutable';
}
