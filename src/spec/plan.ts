import type { Compilation, ContractOutput, SourceUnit } from '../frontend/compile.ts';
import { contractDefinitions, locOf } from '../frontend/compile.ts';
import type { SrcLoc } from '../util/loc.ts';
import { oldsOf, type SpecExpr, type Span } from './expr.ts';
import { byteToChar, captureType, fnInfo, joinCode, makeCopy, printCode, srcRange, walk, type Code, type Copy, type FnInfo, type WrapCode } from './instrument.ts';
import type { Property } from './types.ts';

/*
 * What to instrument for each property: the entry points it is about, the functions to wrap, the names
 * of its three contract copies. Entry points that cannot be wrapped soundly are refused with a reason.
 */

export interface PlannedEntry {
  readonly signature: string;
  readonly fn?: FnInfo;
  /** Why this entry point is not checked (its verdict is `unsupported`). */
  readonly refused?: string;
  readonly loc: SrcLoc;
}

export interface PropertyPlan {
  readonly property: Property;
  readonly k: number;
  readonly entries: readonly PlannedEntry[];
  readonly olds: ReadonlyMap<SpecExpr, string>;
  /** Filled from the probe compilation: the Solidity type of each old(...) value (null: a constant). */
  readonly captures: Map<SpecExpr, string | null>;
  readonly copies: { readonly base: string; readonly check: string; readonly vac: string };
  readonly satSignature?: string;
  readonly refused?: string;
}

export function planProperties(comp: Compilation, contract: ContractOutput, properties: readonly Property[]): PropertyPlan[] {
  const def = contract.ast;
  const own = (def.nodes as any[]).filter((n) => n.nodeType === 'FunctionDefinition');
  const sigBySelector = new Map(Object.entries(contract.methodIdentifiers).map(([sig, sel]) => [sel, sig]));
  const loc = (n: any) => locOf(comp, n.src, n.id);
  const outside = referencesOutside(comp, contract);
  const entryOf = (fd: any): PlannedEntry => {
    const signature = sigBySelector.get(fd.functionSelector) ?? `${fd.name}(…)`;
    const ref = [fd.id, ...((fd.baseFunctions as number[] | undefined) ?? [])].map((id) => outside.get(id)).find((x) => x !== undefined);
    if (ref !== undefined) return { signature, refused: `${fd.name} is called from inherited code at ${ref.file}:${ref.line}:${ref.col}; a wrapper would run its check inside that call`, loc: ref };
    if (fd.body === null || fd.body === undefined) return { signature, refused: `${fd.name} has no body`, loc: loc(fd) };
    return { signature, fn: fnInfo(fd, comp.sources.get(contract.unit)!.content, byteToChar(comp.sources.get(contract.unit)!.content), signature), loc: loc(fd) };
  };
  return properties.map((p, k) => {
    const copies = { base: `${contract.name}__pp${k}_base`, check: `${contract.name}__pp${k}_check`, vac: `${contract.name}__pp${k}_vac` };
    const olds = new Map(oldsOf(p.expr).map((o, j) => [o, `__pp_old_${k}_${j}`]));
    const common = { property: p, k, olds, captures: new Map<SpecExpr, string | null>(), copies };
    if (p.kind === 'migration') {
      if (p.assume?.refused !== undefined) return { ...common, entries: [], refused: p.assume.refused };
      const wanted = p.fn?.signature ?? '';
      const named = own.filter((n) => typeof n.functionSelector === 'string' && (wanted.includes('(') ? sigBySelector.get(n.functionSelector) === wanted.replace(/\s+/g, '') : n.name === wanted));
      if (named.length > 1) return { ...common, entries: [], refused: `migration ${wanted}: the name is overloaded in ${contract.name}; give the parameter types` };
      const fd = named[0];
      if (fd === undefined) return { ...common, entries: [], refused: `migration ${p.fn?.signature ?? '?'}: the new version ${contract.name} declares no such public or external function` };
      if (olds.size > 0) return { ...common, entries: [], refused: 'old(...) in an invariant: an invariant is a property of one state' };
      return { ...common, entries: [entryOf(fd)], ...(p.assume === undefined ? {} : { satSignature: `__pp_sat_${k}()` }) };
    }
    if (p.kind === 'if_succeeds') {
      const fd = own.find((n) => n.id === p.fn?.astId);
      if (fd === undefined || typeof fd.functionSelector !== 'string') {
        return { ...common, entries: [], refused: `#if_succeeds on ${p.fn?.name ?? '?'}: only public and external functions (entry points) are checked` };
      }
      return { ...common, entries: [entryOf(fd)] };
    }
    if (olds.size > 0) return { ...common, entries: [], refused: 'old(...) in an invariant: an invariant is a property of one state' };
    const entries: PlannedEntry[] = [];
    for (const item of contract.abi) {
      if (item.type === 'fallback' || item.type === 'receive') {
        entries.push({ signature: `${item.type}()`, refused: `${item.type}() is not instrumented yet: it can change state, so the invariant is not proved for it`, loc: loc(def) });
      }
      if (item.type !== 'function' || item.stateMutability === 'view' || item.stateMutability === 'pure') continue;
      const sig = `${item.name}(${(item.inputs as any[]).map(abiType).join(',')})`;
      const fd = own.find((n) => sigBySelector.get(n.functionSelector) === sig);
      entries.push(fd !== undefined ? entryOf(fd) : { signature: sig, refused: `${sig} is inherited: only functions declared in ${contract.name} are instrumented`, loc: loc(def) });
    }
    return { ...common, entries, satSignature: `__pp_sat_${k}()` };
  });
}

function abiType(x: any): string {
  if (typeof x.type === 'string' && x.type.startsWith('tuple')) return `(${(x.components as any[]).map(abiType).join(',')})${x.type.slice(5)}`;
  return x.type;
}

/** Functions referenced from contracts of the linearization other than the checked one: id -> where. */
function referencesOutside(comp: Compilation, contract: ContractOutput): Map<number, SrcLoc> {
  const defs = contractDefinitions(comp);
  const out = new Map<number, SrcLoc>();
  for (const id of contract.ast.linearizedBaseContracts as number[]) {
    if (id === contract.ast.id) continue;
    for (const n of walk(defs.get(id))) {
      const ref = n.referencedDeclaration;
      if ((n.nodeType === 'Identifier' || n.nodeType === 'MemberAccess') && typeof ref === 'number' && !out.has(ref)) out.set(ref, locOf(comp, n.src!, n.id!));
    }
  }
  return out;
}

/** Members every copy declares: the markers the checks revert with. */
const MARKERS = 'error __pp_violation(uint256 property);\n  error __pp_assume();\n  error __pp_reached(uint256 property);';

/** The probe: one internal function per property inside the contract, so solc types every expression. */
export function probeText(unit: SourceUnit, contract: ContractOutput, plans: readonly PropertyPlan[]): { text: string; at: number; spans: readonly Span[] } {
  const toChar = byteToChar(unit.content);
  const end = srcRange(contract.ast.src, toChar).end - 1;
  const parts: Code[] = [];
  for (const plan of plans) {
    const p = plan.property;
    const fn = plan.entries[0]?.fn;
    const head = p.kind === 'invariant' || fn === undefined
      ? `function __pp_probe_${plan.k}() internal view {\n    `
      : `function __pp_probe_${plan.k}(${fn.params.map((x) => x.decl).join(', ')}) internal view${fn.returns.length > 0 ? ` returns (${fn.returns.map((r) => r.decl).join(', ')})` : ''} {\n    `;
    const result = fn?.returns.length === 1 ? fn.returns[0]!.name : undefined;
    const oldArgs = [...plan.olds.keys()].map((o) => printCode((o as Extract<SpecExpr, { k: 'old' }>).arg, new Map(), result, '(', ');'));
    const inline = new Map([...plan.olds.keys()].map((o) => [o, `(${printCode((o as Extract<SpecExpr, { k: 'old' }>).arg, new Map(), result, '', '').text})`]));
    const body = printCode(p.expr, inline, result, 'bool __pp_b = ', '; __pp_b;');
    // A migration's assumption (the old invariants) must type-check on the new version's state too.
    const assumed = p.assume === undefined ? [] : [printCode(p.assume.expr, new Map(), undefined, 'bool __pp_a = ', '; __pp_a;')];
    parts.push(joinCode([...oldArgs, ...assumed, body, { text: '}', spans: [] }], '\n    ', head));
  }
  const inserted = joinCode(parts, '\n  ', '\n  ');
  return { text: unit.content.slice(0, end) + inserted.text + '\n' + unit.content.slice(end), at: end, spans: inserted.spans };
}

/** Reads the old(...) types off the probe's AST. */
export function captureTypesFrom(probed: Compilation, contract: ContractOutput, plans: readonly PropertyPlan[]): void {
  const c = probed.contracts.find((x) => x.name === contract.name && x.unit === contract.unit);
  if (c === undefined) throw new Error('internal error: the probe compilation lost the contract');
  for (const plan of plans) {
    if (plan.olds.size === 0) continue;
    const fd = (c.ast.nodes as any[]).find((n) => n.nodeType === 'FunctionDefinition' && n.name === `__pp_probe_${plan.k}`);
    const olds = [...plan.olds.keys()];
    olds.forEach((o, j) => {
      const ty: string = fd?.body?.statements?.[j]?.expression?.typeDescriptions?.typeString ?? '';
      plan.captures.set(o, captureType(ty, contract.name, o));
    });
  }
}

/** All copies of every plan: base, check and vac. */
export function buildCopies(unit: SourceUnit, contract: ContractOutput, plans: readonly PropertyPlan[]): Copy[] {
  const copies: Copy[] = [];
  for (const plan of plans) {
    for (const mode of ['base', 'check', 'vac'] as const) {
      const wrap = new Map<FnInfo, WrapCode>();
      const p = plan.property;
      const members: Code[] = [{ text: MARKERS, spans: [] }];
      if (p.kind === 'migration') {
        const fn = plan.entries[0]?.fn;
        if (fn === undefined) continue;
        // From any state satisfying the old invariants, a successful migration call leaves the new one true.
        const pre = p.assume === undefined ? [] : [printCode(p.assume.expr, new Map(), undefined, 'if (!(', ')) revert __pp_assume();')];
        const post = mode === 'check' ? [printCode(p.expr, new Map(), undefined, 'if (!(', `)) revert __pp_violation(${plan.k});`)] : mode === 'vac' ? [{ text: `revert __pp_reached(${plan.k});`, spans: [] }] : [];
        wrap.set(fn, { pre, post });
        if (p.assume !== undefined) members.push(mode === 'vac' ? printCode(p.assume.expr, new Map(), undefined, `function __pp_sat_${plan.k}() external view { if (`, `) revert __pp_reached(${plan.k}); }`) : { text: `function __pp_sat_${plan.k}() external view {}`, spans: [] });
      } else if (p.kind === 'invariant') {
        const assume = printCode(p.expr, new Map(), undefined, 'if (!(', ')) revert __pp_assume();');
        const post = mode === 'check' ? [printCode(p.expr, new Map(), undefined, 'if (!(', `)) revert __pp_violation(${plan.k});`)] : mode === 'vac' ? [{ text: `revert __pp_reached(${plan.k});`, spans: [] }] : [];
        for (const e of plan.entries) if (e.fn !== undefined) wrap.set(e.fn, { pre: [assume], post });
        members.push(mode === 'vac' ? printCode(p.expr, new Map(), undefined, `function __pp_sat_${plan.k}() external view { if (`, `) revert __pp_reached(${plan.k}); }`) : { text: `function __pp_sat_${plan.k}() external view {}`, spans: [] });
      } else {
        const fn = plan.entries[0]?.fn;
        if (fn === undefined) continue;
        const result = fn.returns.length === 1 ? fn.returns[0]!.name : undefined;
        const names = new Map<SpecExpr, string>();
        const pre: Code[] = [];
        for (const [o, name] of plan.olds) {
          const arg = (o as Extract<SpecExpr, { k: 'old' }>).arg;
          const ty = plan.captures.get(o);
          if (ty === null || ty === undefined) names.set(o, `(${printCode(arg, new Map(), result, '', '').text})`);
          else { names.set(o, name); pre.push(printCode(arg, new Map(), result, `${ty} ${name} = (`, ');')); }
        }
        const post = mode === 'check' ? [printCode(p.expr, names, result, 'if (!(', `)) revert __pp_violation(${plan.k});`)] : mode === 'vac' ? [{ text: `revert __pp_reached(${plan.k});`, spans: [] }] : [];
        wrap.set(fn, { pre, post });
      }
      copies.push(makeCopy({ unit, contract, name: plan.copies[mode], wrap, members }));
    }
  }
  return copies;
}
