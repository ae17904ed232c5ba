import { finding, type Finding } from '../finding.ts';
import { allowed, effectiveFunctions, functionsOf, isExternallyCallable, loc, modifierName, modifierNames, postOrder, qualified, type AstNode, type Side } from './ast.ts';
import { H } from './catalog.ts';
import { evalConst } from './consts.ts';
import { mostDerived } from './reach.ts';

/**
 * Initializer hazards with OpenZeppelin Initializable semantics (v4 and v5): `initializer` is version 1,
 * `reinitializer(n)` version n; a proxy remembers the highest version that ran and refuses any initializer
 * whose version is not above it. Parent contracts are initialized by internal `__X_init` functions
 * (`onlyInitializing`), which the most derived initializer must call, each once, most basic first.
 */

interface Init {
  readonly fn: AstNode;
  readonly kind: 'initializer' | 'reinitializer';
  /** undefined: the reinitializer's argument is not a constant we can evaluate. */
  readonly version: bigint | undefined;
}

function initOf(side: Side, fn: AstNode): Init | undefined {
  for (const m of (fn.modifiers as AstNode[] | undefined) ?? []) {
    const name = modifierName(m);
    if (name === 'initializer') return { fn, kind: 'initializer', version: 1n };
    if (name === 'reinitializer') return { fn, kind: 'reinitializer', version: evalConst(side, (m.arguments as AstNode[] | null)?.[0]) };
  }
  return undefined;
}

/** The implementation's initializers: externally callable functions carrying `initializer`/`reinitializer`. */
function initializers(side: Side): Init[] {
  return effectiveFunctions(side).filter(isExternallyCallable).flatMap((f) => initOf(side, f) ?? []);
}

const INIT_NAME = /^(_*(re)?initiali[sz]e\w*|init|__\w+_init(_unchained)?)$/i;
const PROTECTING = new Set(['initializer', 'reinitializer', 'onlyInitializing']);

/** A base contract's initializer functions: `onlyInitializing`/`initializer` internals and `__X_init*`. */
function isParentInit(fn: AstNode): boolean {
  if (fn.kind !== 'function') return false;
  if (/^__\w+_init(_unchained)?$/.test(String(fn.name))) return true;
  return (fn.visibility === 'internal' || fn.visibility === 'private') && modifierNames(fn).some((m) => PROTECTING.has(m));
}

/** How to name a parent's initializers in a fix: its `__X_init` functions (the chained ones first). */
function initNames(b: AstNode): string {
  const fns = functionsOf(b).filter(isParentInit).map((f) => String(f.name));
  const chained = fns.filter((n) => !n.endsWith('_unchained'));
  return (chained.length > 0 ? chained : fns).map((n) => `${n}(...)`).join(' or ');
}

/** Whether a parent initializer does anything (OpenZeppelin's own empty `__Context_init` need not be called). */
function doesWork(side: Side, fn: AstNode, seen: Set<number> = new Set()): boolean {
  if (seen.has(fn.id)) return false;
  seen.add(fn.id);
  for (const st of (fn.body?.statements as AstNode[] | undefined) ?? []) {
    const call = st.nodeType === 'ExpressionStatement' && st.expression?.nodeType === 'FunctionCall' ? st.expression as AstNode : undefined;
    const target = call === undefined ? undefined : calledFunction(side, call);
    if (target === undefined || !isParentInit(target) || doesWork(side, target, seen)) return true;
  }
  return false;
}

function calledFunction(side: Side, call: AstNode): AstNode | undefined {
  const callee = call.expression as AstNode;
  if (callee.nodeType !== 'Identifier' && callee.nodeType !== 'MemberAccess') return undefined;
  const d = side.nodes.get(callee.referencedDeclaration as number);
  if (d?.nodeType !== 'FunctionDefinition') return undefined;
  const owner = side.owner.get(d.id);
  if (owner === undefined || !side.bases.includes(owner)) return undefined;
  return mostDerived(side, d) ?? d;
}

/** Parents (not the contract itself) that have an initializer doing work. */
function parentsNeedingInit(side: Side): AstNode[] {
  return side.bases.slice(1).filter((b) => functionsOf(b).some((f) => isParentInit(f) && doesWork(side, f)));
}

/**
 * The parents an initializer initializes, in execution order: a call from outside contract B to one of
 * B's initializer functions is one initialization of B, recorded after the calls it makes itself (so a
 * chained `__B_init` that first calls `__A_init_unchained` records A, then B). Internal helpers are followed;
 * `call` is the call in `fn` itself through which the initialization happens.
 */
function initializationsBy(side: Side, fn: AstNode, out: { base: AstNode; call: AstNode }[] = [], visiting = new Set<number>(), at?: AstNode): { base: AstNode; call: AstNode }[] {
  if (visiting.has(fn.id) || fn.body == null) return out;
  visiting.add(fn.id);
  for (const call of postOrder(fn.body as AstNode, 'FunctionCall')) {
    const target = calledFunction(side, call);
    if (target === undefined) continue;
    // Findings point at the call in the initializer being checked, not deep inside a parent.
    const top = at ?? call;
    initializationsBy(side, target, out, visiting, top);
    const base = side.owner.get(target.id);
    if (isParentInit(target) && base !== undefined && base !== side.owner.get(fn.id)) out.push({ base, call: top });
  }
  visiting.delete(fn.id);
  return out;
}

export function initializerHazards(side: Side, old: Side | undefined): Finding[] {
  const out: Finding[] = [];
  const inits = initializers(side);
  // Unprotected: callable by anyone, at any time, for as long as the implementation is live.
  for (const f of effectiveFunctions(side).filter(isExternallyCallable)) {
    if (!INIT_NAME.test(String(f.name)) || f.stateMutability === 'view' || f.stateMutability === 'pure' || modifierNames(f).some((m) => PROTECTING.has(m))) continue;
    out.push(finding(H.unprotectedInitializer, `${qualified(side, f)} is externally callable and named like an initializer but has no initializer/reinitializer modifier: anyone can call it, again and again, on the proxy; fix: add \`initializer\` (first deployment) or \`reinitializer(n)\``, { newLoc: loc(side, f), subject: qualified(side, f) }));
  }
  if (side.root.abstract === true) return out; // the deployable child initializes the parents
  const needing = parentsNeedingInit(side);
  if (inits.length === 0) {
    if (needing.length > 0 && !allowed(side, 'missing-initializer', side.root)) {
      const names = needing.map((b) => String(b.name)).join(', ');
      out.push(finding(H.missingInitializer, `${side.root.name} has no initializer, so its parents ${names} are never initialized on the proxy; fix: add \`function initialize(...) public initializer\` calling their __X_init functions`, { newLoc: loc(side, side.root), subject: String(side.root.name) }));
    }
  }
  const rank = (b: AstNode) => side.bases.indexOf(b);
  for (const init of inits) {
    const done = initializationsBy(side, init.fn);
    const subject = qualified(side, init.fn);
    const count = (b: AstNode) => done.filter((d) => d.base === b).length;
    if (init.kind === 'initializer' && !allowed(side, 'missing-initializer-call', init.fn)) {
      for (const b of needing.filter((b) => count(b) === 0)) {
        out.push(finding(H.parentInitNotCalled, `${subject} does not initialize parent ${b.name}: its state stays unset on the proxy; fix: call ${initNames(b)} in ${init.fn.name}`, { newLoc: loc(side, init.fn), subject }));
      }
    }
    if (!allowed(side, 'duplicate-initializer-call', init.fn)) {
      for (const b of needing.filter((b) => count(b) > 1)) {
        const second = done.filter((d) => d.base === b)[1]!;
        out.push(finding(H.parentInitTwice, `${subject} initializes parent ${b.name} ${count(b)} times (a second call here, or through another parent's chained initializer): its setup runs again and may reset state; fix: call it once (the _unchained variant where another parent already chains it)`, { newLoc: loc(side, second.call), subject }));
      }
    }
    const order = done.filter((d, i) => needing.includes(d.base) && done.findIndex((e) => e.base === d.base) === i);
    const wrong = order.findIndex((d, i) => i > 0 && rank(d.base) > rank(order[i - 1]!.base));
    if (wrong > 0 && !allowed(side, 'incorrect-initializer-order', init.fn)) {
      const [a, b] = [order[wrong - 1]!.base, order[wrong]!.base];
      out.push(finding(H.parentInitOrder, `${subject} initializes ${a.name} before ${b.name}, but ${b.name} comes first in the linearisation (${[...side.bases].reverse().map((x) => x.name).join(' → ')}): a parent may read state its own parent has not set; fix: call the parent initializers most basic first`, { newLoc: loc(side, order[wrong]!.call), subject }));
    }
  }
  if (old !== undefined) out.push(...upgradeInitHazards(old, side, inits, needing));
  return out;
}

/** What the proxy, already initialized by the old version, makes of the new version's initializers. */
function upgradeInitHazards(old: Side, side: Side, inits: readonly Init[], needing: readonly AstNode[]): Finding[] {
  const before = initializers(old);
  const known = before.map((i) => i.version).filter((v): v is bigint => v !== undefined);
  if (known.length === 0) return [];
  const oldMax = known.reduce((a, b) => (a > b ? a : b));
  const out: Finding[] = [];
  const fresh: Init[] = [];
  for (const init of inits) {
    if (init.version === undefined) continue;
    const prev = before.find((b) => b.fn.name === init.fn.name);
    if (prev !== undefined && prev.kind === init.kind && prev.version === init.version) continue; // unchanged
    const subject = qualified(side, init.fn);
    const where = { newLoc: loc(side, init.fn), ...(prev ? { oldLoc: loc(old, prev.fn) } : {}), subject };
    const label = init.kind === 'initializer' ? 'initializer (version 1)' : `reinitializer(${init.version})`;
    if (init.version <= oldMax) {
      out.push(finding(H.staleReinitializer, `${subject} is ${label}, not above the version the old implementation reached (${oldMax}): on a proxy that ran the old initializers it never runs, so what it sets up is silently skipped; fix: use reinitializer(${oldMax + 1n})`, where));
      continue;
    }
    if (prev !== undefined) {
      out.push(finding(H.initializerRearmed, `${subject} already ran on the proxy as ${prev.kind === 'initializer' ? 'initializer' : `reinitializer(${prev.version})`} and is now ${label}: its whole setup (owners, roles) can run again, by whoever calls it first after the upgrade; fix: keep the old initializer as it was and put only the new setup in a new reinitializer called atomically by upgradeToAndCall`, where));
    }
    fresh.push(init);
  }
  if (fresh.length > 1) {
    const names = fresh.map((i) => qualified(side, i.fn)).join(', ');
    out.push(finding(H.severalNewReinitializers, `this upgrade adds ${fresh.length} initializers (${names}): running one raises the version so the others (the lower ones, or the same version) can never run; fix: merge them into one reinitializer`, { newLoc: loc(side, fresh[1]!.fn), subject: qualified(side, fresh[1]!.fn) }));
  }
  // A parent new in this upgrade must be initialized by a new reinitializer: the old `initialize` already ran.
  const oldBases = new Set(old.bases.map((b) => String(b.name)));
  for (const b of needing.filter((b) => !oldBases.has(String(b.name)))) {
    if (fresh.some((i) => initializationsBy(side, i.fn).some((d) => d.base === b))) continue;
    out.push(finding(H.parentInitNotCalled, `parent ${b.name} is new in this upgrade but no new reinitializer initializes it (the initializer already ran on the proxy, so calls there never happen): its state stays unset; fix: add a reinitializer(${oldMax + 1n}) that calls ${initNames(b)}`, { newLoc: loc(side, side.root), subject: String(b.name) }));
  }
  return out;
}
