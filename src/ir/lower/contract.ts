import type { Compilation, ContractOutput } from '../../frontend/compile.ts';
import { locOf } from '../../frontend/compile.ts';
import { isPre08, shortVersion } from '../../frontend/compilers.ts';
import { invariant } from '../../util/assert.ts';
import { hexToBytes, keccakBig, selectorOf } from '../../util/hash.ts';
import type { SrcLoc } from '../../util/loc.ts';
import { ADDRESS, U256, typeName, type IrContract, type IrFunction, type Param, type SlotStep, type StorageVar, type ValueType } from '../types.ts';
import { UnsupportedConstruct, unsupported, type AstNode, type LowerContext } from './context.ts';
import { EMPTY_REVERT, FunctionLowerer, type Val } from './function.ts';
import './ops.ts';
import { PRE08_CHECKED, PRE08_V2, abiCoderV2Pragma, refuseOutsidePre08Core } from './pre08.ts';
import { aggregateGetter, checkLayoutsAgainstSolc, isAggregateGetter, storageLayoutOf } from './aggregates.ts';
import { arrayParamTypeName, valueArrayElem } from './arrays.ts';
import { memArrayShape } from './memarrays.ts';
import { staticReturnParams } from './structreturns.ts';
import { outputOnlyErrors } from '../validate.ts';
import { byteArrayEntryWords, byteArrayGetterWords, byteArrayParam, isByteArrayType, stringKeyStep } from './bytes.ts';
import { parseTypeString, type SolType } from './soltypes.ts';
import { enumMembersOf, getterEnumMembers } from './exprs.ts';
import { structParamShape, structParams } from './structparams.ts';

/** Lowers the selected contract: one IR function per entry point of its runtime dispatcher. */
export function lowerContract(comp: Compilation, contract: ContractOutput, opts: { readonly loopBound?: number } = {}): IrContract {
  const { nodes, linearization, ctx } = contextOf(comp, contract, opts);
  const def = contract.ast;
  if (isPre08(comp.solcVersion)) {
    const implicit = (kind: 'receive' | 'fallback') => implicitRevert(kind, def, ctx);
    // Only the bundled pre-0.8 compilers' code was checked on the EVM; others (a Hardhat-cached 0.5, say) are not modelled.
    const version = shortVersion(comp.solcVersion) ?? comp.solcVersion;
    if (!PRE08_CHECKED.includes(version)) return pre08Contract(contract, ctx.loc(def), `code compiled by solc ${version} (before 0.8, other than ${PRE08_CHECKED.join(' and ')}) not modelled`, implicit);
    const v2 = ctx.pre08?.abiCoderV2;
    if (v2 !== undefined) return pre08Contract(contract, ctx.loc(v2), PRE08_V2, implicit);
  }

  checkLayoutsAgainstSolc(ctx, contract.storageLayout);
  const functions: IrFunction[] = [];
  for (const [signature, selHex] of Object.entries(contract.methodIdentifiers).sort(([a], [b]) => a.localeCompare(b))) {
    const impl = findBySelector(linearization, selHex);
    invariant(impl !== undefined, `no implementation found for ${signature}`);
    functions.push(impl.nodeType === 'VariableDeclaration' ? lowerGetter(ctx, impl, signature, BigInt('0x' + selHex)) : lowerFunction(ctx, impl, signature, BigInt('0x' + selHex)));
  }
  const receive = findSpecial(linearization, 'receive');
  const fallback = findSpecial(linearization, 'fallback');
  // Plain ether goes to receive, else to fallback; unmatched calldata goes to fallback; else both revert.
  functions.push(receive ? lowerFunction(ctx, receive, 'receive()', null) : fallback ? { ...lowerFunction(ctx, fallback, 'receive()', null), kind: 'receive' } : implicitRevert('receive', def, ctx));
  functions.push(fallback ? lowerFunction(ctx, fallback, 'fallback()', null) : implicitRevert('fallback', def, ctx));

  return {
    name: contract.name,
    file: contract.unit,
    functions,
    storage: storageVars(contract, nodes, ctx),
    events: collectEvents(nodes),
    errors: collectErrors(nodes),
    literalHashes: literalHashes(nodes),
  };
}

/**
 * Code compiled by solc <0.8 that is not modelled at all (ABI coder v2 somewhere in the compilation, or
 * a compiler other than the checked ones): every entry point is unsupported with `construct`, named
 * from the ABI without reading the AST (the layout report reads solc's storageLayout, not this).
 */
function pre08Contract(contract: ContractOutput, loc: SrcLoc, construct: string, implicit: (kind: 'receive' | 'fallback') => IrFunction): IrContract {
  const payableOf = (type: string, name?: string) =>
    contract.abi.some((e) => e.type === type && (name === undefined || e.name === name) && (e.stateMutability === 'payable' || e.payable === true));
  const stub = (kind: IrFunction['kind'], name: string, signature: string, selector: bigint | null, payable: boolean): IrFunction =>
    ({ kind, name, signature, selector, payable, params: [], returns: [], loc, implicit: false, body: { ok: false, unsupported: { construct, loc } } });
  const functions = Object.entries(contract.methodIdentifiers).sort(([a], [b]) => a.localeCompare(b)).map(([signature, selHex]) => {
    const name = signature.slice(0, signature.indexOf('('));
    return stub('function', name, signature, BigInt('0x' + selHex), payableOf('function', name));
  });
  // 0.6 and 0.7 dispatch like 0.8: with neither receive nor fallback declared, both revert with empty
  // data, which needs no AST and is modelled exactly.
  const has = (kind: string) => contract.abi.some((e) => e.type === kind);
  functions.push(has('receive') ? stub('receive', 'receive', 'receive()', null, payableOf('receive'))
    : has('fallback') ? stub('receive', 'receive', 'receive()', null, payableOf('fallback')) : implicit('receive'));
  functions.push(has('fallback') ? stub('fallback', 'fallback', 'fallback()', null, payableOf('fallback')) : implicit('fallback'));
  return { name: contract.name, file: contract.unit, functions, storage: [], events: new Map(), errors: new Map(), literalHashes: new Map() };
}

function contextOf(comp: Compilation, contract: ContractOutput, opts: { readonly loopBound?: number }): { nodes: Map<number, AstNode>; linearization: AstNode[]; ctx: LowerContext } {
  const nodes = indexNodes(comp);
  const linearization: AstNode[] = (contract.ast.linearizedBaseContracts as number[]).map((id) => nodes.get(id));
  const slots = new Map<number, { slot: bigint; offset: number }>();
  for (const s of contract.storageLayout.storage) slots.set(s.astId, { slot: BigInt(s.slot), offset: s.offset });
  const ctx: LowerContext = {
    node: (id) => nodes.get(id),
    linearization,
    loc: (n) => locOf(comp, n.src, n.id),
    storageOf: (id) => slots.get(id),
    ...(opts.loopBound !== undefined ? { loopBound: opts.loopBound } : {}),
    ...(isPre08(comp.solcVersion) ? { pre08: { solc: shortVersion(comp.solcVersion) ?? comp.solcVersion, abiCoderV2: [...comp.sources.values()].map((u) => abiCoderV2Pragma(u.ast)).find((p) => p !== undefined) } } : {}),
  };
  return { nodes, linearization, ctx };
}

/**
 * Lowers the internal function `name` of the contract as if it were an entry point taking its parameters
 * from calldata (argument i is calldata word i, decoded and checked as an entry point's), without the
 * non-payable check: a condition of a relation spec, evaluated on the inputs of the entry point whose
 * parameters it copies (see obligations/conditions.ts).
 */
export function lowerConditionFunction(comp: Compilation, contract: ContractOutput, name: string, signature: string, opts: { readonly loopBound?: number } = {}): IrFunction {
  const { ctx } = contextOf(comp, contract, opts);
  const def = (contract.ast.nodes as AstNode[]).find((n) => n.nodeType === 'FunctionDefinition' && n.name === name);
  invariant(def !== undefined, `no condition function ${name} in ${contract.name}`);
  const loc = ctx.loc(def);
  return lowered('function', name, signature, null, loc, true, (L) => {
    if (ctx.pre08 !== undefined) refuseOutsidePre08Core(ctx, def);
    const params = (def.parameters.parameters as AstNode[]).map((p, i) => paramOf(L, p, `arg${i}`, true));
    const returns = (def.returnParameters.parameters as AstNode[]).map((p, i) => paramOf(L, p, `ret${i}`));
    L.lowerEntry(def, params, returns, true, loc, (args) => L.inlineFunction(def, args, loc));
    return { params, returns };
  }, ctx);
}

/** Every string and hex literal of the sources, by its keccak256 (see IrContract.literalHashes). */
function literalHashes(nodes: Map<number, AstNode>): Map<bigint, Uint8Array> {
  const out = new Map<bigint, Uint8Array>();
  for (const n of nodes.values()) {
    if (n.nodeType !== 'Literal' || (n.kind !== 'string' && n.kind !== 'hexString') || typeof n.hexValue !== 'string') continue;
    const bytes = hexToBytes(n.hexValue);
    out.set(keccakBig(bytes), bytes);
  }
  return out;
}

function indexNodes(comp: Compilation): Map<number, AstNode> {
  const out = new Map<number, AstNode>();
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) {
      for (const x of n) walk(x);
      return;
    }
    if (n === null || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    if (typeof o.id === 'number' && typeof o.nodeType === 'string') out.set(o.id, o);
    for (const v of Object.values(o)) if (v !== null && typeof v === 'object') walk(v);
  };
  for (const s of comp.sources.values()) walk(s.ast);
  return out;
}

function findBySelector(linearization: readonly AstNode[], selHex: string): AstNode | undefined {
  for (const c of linearization) {
    for (const n of c.nodes as AstNode[]) {
      if (n.functionSelector !== selHex) continue;
      if (n.nodeType === 'VariableDeclaration' || (n.nodeType === 'FunctionDefinition' && n.implemented)) return n;
    }
  }
  return undefined;
}

function findSpecial(linearization: readonly AstNode[], kind: 'receive' | 'fallback'): AstNode | undefined {
  for (const c of linearization) for (const n of c.nodes as AstNode[]) if (n.nodeType === 'FunctionDefinition' && n.kind === kind && n.implemented) return n;
  return undefined;
}

function paramOf(L: FunctionLowerer, p: AstNode, fallbackName: string, input = false): Param {
  const loc = L.ctx.loc(p);
  if (isByteArrayType(p.typeDescriptions?.typeString)) return byteArrayParam(p.name || fallbackName, p.typeDescriptions.typeString);
  // An array parameter's head word is its offset (decoded in arrays.ts); returned arrays are not modelled.
  const arr = input ? valueArrayElem(p) : null;
  if (arr) return { name: p.name || fallbackName, type: U256, typeName: arrayParamTypeName(arr.elem) };
  // A returned dynamic memory array of value types: its value is a reference, encoded at the return.
  const ret = !input && p.storageLocation === 'memory' ? memArrayShape(p.typeDescriptions?.typeString) : null;
  if (ret && ret.length === null) return { name: p.name || fallbackName, type: U256, typeName: arrayParamTypeName(ret.elem) };
  const type = L.valueTypeOf(p, loc, `${input ? 'parameter' : 'return value'} of type ${p.typeDescriptions?.typeString}`);
  const members = enumMembersOf(L.ctx, p);
  return { name: p.name || fallbackName, type, typeName: typeName(type), ...(members === null ? {} : { enumMembers: members }) };
}

function lowered(
  kind: IrFunction['kind'],
  name: string,
  signature: string,
  selector: bigint | null,
  loc: SrcLoc,
  payable: boolean,
  build: (L: FunctionLowerer) => { params: Param[]; returns: Param[] },
  ctx: LowerContext,
  /** The function or state variable the entry point comes from (checked against the pre-0.8 core). */
  root?: AstNode,
): IrFunction {
  const L = new FunctionLowerer(ctx);
  let params: Param[] = [];
  let returns: Param[] = [];
  try {
    if (ctx.pre08 !== undefined && root !== undefined) refuseOutsidePre08Core(ctx, root);
    ({ params, returns } = build(L));
    const { blocks, entry } = L.b.finish();
    // Array outputs are exact only as outputs (see validate.ts): anything else fails closed here.
    const misuse = outputOnlyErrors(blocks)[0];
    invariant(misuse === undefined, `array output used other than as output: ${misuse}`);
    return { kind, name, signature, selector, payable, params, returns, loc, implicit: false, body: { ok: true, blocks, entry }, ...(L.calls.length ? { calls: L.calls } : {}), ...(L.loops.length ? { loops: L.loops } : {}) };
  } catch (e) {
    if (e instanceof UnsupportedConstruct) {
      return { kind, name, signature, selector, payable, params, returns, loc, implicit: false, body: { ok: false, unsupported: { construct: e.construct, loc: e.loc } } };
    }
    // A bug in lowering must not take the other entry points down, nor pass as a verdict: this entry
    // point becomes inconclusive, with the message for the bug report.
    const message = e instanceof Error ? e.message : String(e);
    return { kind, name, signature, selector, payable, params, returns, loc, implicit: false, body: { ok: false, unsupported: { construct: `patchproof internal error while lowering (please report): ${message}`, loc } } };
  }
}

function lowerFunction(ctx: LowerContext, def: AstNode, signature: string, selector: bigint | null): IrFunction {
  const kind: IrFunction['kind'] = def.kind === 'receive' ? 'receive' : def.kind === 'fallback' ? 'fallback' : 'function';
  const payable = def.stateMutability === 'payable';
  const loc = ctx.loc(def);
  return lowered(kind, def.name || def.kind, signature, selector, loc, payable, (L) => {
    if (kind === 'fallback' && def.parameters.parameters.length > 0) unsupported('fallback with calldata parameter', loc);
    // A struct parameter is one parameter per member word (see structparams.ts).
    const params = (def.parameters.parameters as AstNode[]).flatMap((p, i) => {
      const shape = structParamShape(L, p);
      return shape ? structParams(shape, p.name || `arg${i}`) : [paramOf(L, p, `arg${i}`, true)];
    });
    const returns = (def.returnParameters.parameters as AstNode[]).flatMap((p, i) => staticReturnParams(L, p, p.name || `ret${i}`) ?? paramOf(L, p, `ret${i}`));
    L.lowerEntry(def, params, returns, payable, loc, (args) => {
      return L.inlineFunction(def, args, loc);
    });
    return { params, returns };
  }, ctx, def);
}

/** Public state variables: the compiler-generated getter takes one argument per mapping key. */
function lowerGetter(ctx: LowerContext, decl: AstNode, signature: string, selector: bigint): IrFunction {
  const loc = ctx.loc(decl);
  return lowered('getter', decl.name, signature, selector, loc, false, (L) => {
    if (isAggregateGetter(decl)) return aggregateGetter(L, decl, loc);
    const keys: ValueType[] = [];
    let st: SolType = parseTypeString(decl.typeDescriptions.typeString);
    // A `string`/`bytes` outermost key is a byte-string parameter (decoded into memory, see bytes.ts).
    let stringKey: 'string' | 'bytes' | null = null;
    while (st.kind === 'mapping') {
      if (st.key.kind === 'other' && (st.key.text === 'string' || st.key.text === 'bytes') && keys.length === 0 && stringKey === null) {
        stringKey = st.key.text;
        st = st.value;
        continue;
      }
      if (st.key.kind !== 'value') unsupported(`getter with a key of type ${decl.typeDescriptions.typeString}`, loc);
      keys.push(st.key.type);
      st = st.value;
    }
    // A contract-typed variable is stored and returned as its address.
    if (st.kind !== 'value' && keys.length === 0 && /^(contract|interface) /.test(decl.typeDescriptions.typeString)) st = { kind: 'value', type: ADDRESS };
    if (keys.length === 0 && isByteArrayType(decl.typeDescriptions.typeString)) {
      const returns = [byteArrayParam(decl.name, decl.typeDescriptions.typeString)];
      L.lowerEntry(decl, [], returns, false, loc, () => ({ words: byteArrayGetterWords(L, decl, ctx.storageOf(decl.id)?.slot, loc) }));
      return { params: [], returns };
    }
    const enums = getterEnumMembers(ctx, decl);
    const withEnum = <T extends object>(x: T, members: number | null | undefined): T => (members === null || members === undefined ? x : { ...x, enumMembers: members });
    const valueParams: Param[] = keys.map((t, i) => withEnum({ name: `key${i + (stringKey ? 1 : 0)}`, type: t, typeName: typeName(t) }, enums.keys[i + (stringKey ? 1 : 0)]));
    const params: Param[] = stringKey ? [{ name: 'key0', type: U256, typeName: stringKey }, ...valueParams] : valueParams;
    // The slot steps for the getter's arguments: a string key's bytes, then value keys.
    const steps = (args: Val[]): SlotStep[] => args.map((a, i): SlotStep => (i === 0 && stringKey ? stringKeyStep(L, a, loc) : { value: a.v, type: a.t }));
    if (st.kind === 'other' && (st.text === 'string' || st.text === 'bytes')) {
      // A mapping to byte strings: the entry at the keys.
      const returns = [byteArrayParam(decl.name, st.text)];
      const root = ctx.storageOf(decl.id)?.slot;
      invariant(root !== undefined, `no storage slot for ${decl.name}`);
      L.lowerEntry(decl, params, returns, false, loc, (args: Val[]) => ({ words: byteArrayEntryWords(L, { root, keys: steps(args) }, loc) }));
      return { params, returns };
    }
    if (st.kind !== 'value') unsupported(`getter of type ${decl.typeDescriptions.typeString}`, loc);
    const valueType = st.type;
    const returns: Param[] = [withEnum({ name: decl.name, type: valueType, typeName: typeName(valueType) }, enums.value)];
    L.lowerEntry(decl, params, returns, false, loc, (args: Val[]) => {
      if (decl.constant) return [L.expr(decl.value, valueType)];
      if (decl.mutability === 'immutable') return [{ v: L.b.def({ kind: 'immutable', name: decl.name, type: valueType, loc }), t: valueType }];
      const at = ctx.storageOf(decl.id);
      invariant(at !== undefined, `no storage slot for ${decl.name}`);
      const slot = { root: at.slot, keys: steps(args) };
      return [{ v: L.b.def({ kind: 'sload', slot, offset: keys.length > 0 ? 0 : at.offset, type: valueType, loc }), t: valueType }];
    });
    return { params, returns };
  }, ctx, decl);
}

/** What the dispatcher does when no receive/fallback exists: revert with empty data (value or not). */
function implicitRevert(kind: 'receive' | 'fallback', contract: AstNode, ctx: LowerContext): IrFunction {
  const loc = ctx.loc(contract);
  const L = new FunctionLowerer(ctx);
  L.b.terminate({ kind: 'revert', data: EMPTY_REVERT, loc });
  const { blocks, entry } = L.b.finish();
  return { kind, name: kind, signature: `${kind}()`, selector: null, payable: true, params: [], returns: [], loc, implicit: true, body: { ok: true, blocks, entry } };
}

function storageVars(contract: ContractOutput, nodes: Map<number, AstNode>, ctx: LowerContext): StorageVar[] {
  return contract.storageLayout.storage.map((s: AstNode) => {
    const decl = nodes.get(s.astId);
    const st = decl ? parseTypeString(decl.typeDescriptions.typeString) : ({ kind: 'other', text: '' } as SolType);
    let shape: StorageVar['shape'] = { kind: 'other' };
    if (st.kind === 'value') shape = { kind: 'value', type: st.type };
    else if (st.kind === 'mapping') {
      const keys: ValueType[] = [];
      let cur: SolType = st;
      while (cur.kind === 'mapping' && cur.key.kind === 'value') {
        keys.push(cur.key.type);
        cur = cur.value;
      }
      if (cur.kind === 'value') shape = { kind: 'mapping', keys, value: cur.type };
    }
    const label: string = contract.storageLayout.types?.[s.type]?.label ?? s.type;
    const layout = decl ? storageLayoutOf(ctx, decl) : undefined;
    return { name: s.label, contract: s.contract, slot: BigInt(s.slot), offset: s.offset, typeLabel: label, shape, loc: decl ? ctx.loc(decl) : ctx.loc(contract.ast), ...(layout ? { layout } : {}) };
  });
}

function valueParams(params: AstNode[]): (Param & { indexed: boolean })[] | null {
  const out: (Param & { indexed: boolean })[] = [];
  for (const [i, p] of params.entries()) {
    const st = parseTypeString(p.typeDescriptions?.typeString ?? '');
    if (st.kind !== 'value' && isByteArrayType(p.typeDescriptions?.typeString)) {
      out.push({ ...byteArrayParam(p.name || `arg${i}`, p.typeDescriptions.typeString), indexed: Boolean(p.indexed) });
      continue;
    }
    const arr = st.kind !== 'value' ? memArrayShape(p.typeDescriptions?.typeString) : null;
    if (arr && arr.length === null) {
      out.push({ name: p.name || `arg${i}`, type: U256, typeName: arrayParamTypeName(arr.elem), indexed: Boolean(p.indexed) });
      continue;
    }
    if (st.kind !== 'value') return null;
    out.push({ name: p.name || `arg${i}`, type: st.type, typeName: typeName(st.type), indexed: Boolean(p.indexed) });
  }
  return out;
}

function collectEvents(nodes: Map<number, AstNode>): IrContract['events'] {
  const out = new Map<string, { name: string; params: (Param & { indexed: boolean })[]; anonymous: boolean }>();
  for (const n of nodes.values()) {
    if (n.nodeType !== 'EventDefinition') continue;
    const params = valueParams(n.parameters.parameters);
    if (!params) continue;
    out.set(`${n.name}(${params.map((p) => p.typeName).join(',')})`, { name: n.name, params, anonymous: Boolean(n.anonymous) });
  }
  return out;
}

function collectErrors(nodes: Map<number, AstNode>): IrContract['errors'] {
  const out = new Map<bigint, { signature: string; params: Param[] }>();
  for (const n of nodes.values()) {
    if (n.nodeType !== 'ErrorDefinition') continue;
    const params = valueParams(n.parameters.parameters);
    if (!params) continue;
    const signature = `${n.name}(${params.map((p) => p.typeName).join(',')})`;
    out.set(selectorOf(signature), { signature, params });
  }
  return out;
}
