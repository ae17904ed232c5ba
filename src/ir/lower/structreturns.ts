import type { SrcLoc } from '../../util/loc.ts';
import { invariant } from '../../util/assert.ts';
import { U256, type Param } from '../types.ts';
import { unsupported, type AstNode } from './context.ts';
import type { FunctionLowerer, Val } from './function.ts';
import type { ReturnVar } from './bytevalues.ts';
import { memArrayShape } from './memarrays.ts';
import { structParamShape, structParams } from './structparams.ts';

/**
 * Static composite return values of entry points: structs of value types (`returns (Position memory)`)
 * and fixed-size arrays of value types (`returns (uint256[3] memory)`). The ABI lays such a value out in
 * place, one head word per member or element, exactly as if they were separate return values: the IR's
 * return list holds one `Param` per word (as struct parameters do, structparams.ts), and the return data
 * is those words. A struct return variable is an ordinary memory struct local (aggregates.ts); a fixed-
 * size array one a memory array (memarrays.ts), read element by element at the return. An internal
 * function returning such a struct has one result per member, which the caller copies (aggregates.ts
 * structSource).
 */

/** The IR return parameters (one per head word) of a static composite return declaration; null for other types. */
export function staticReturnParams(L: FunctionLowerer, p: AstNode, name: string): Param[] | null {
  const ts: string = p?.typeDescriptions?.typeString ?? '';
  if (p?.storageLocation !== 'memory' || !(ts.startsWith('struct ') || /\[\d+\]( memory)?$/.test(ts))) return null;
  const shape = structParamShape(L, p);
  if (!shape) return null;
  if (shape.array && memArrayShape(ts) === null) unsupported(`return value of type ${ts}`, L.ctx.loc(p));
  return structParams(shape, name);
}

/** The return variables of an entry point's struct return declaration (one per member); null for other declarations. */
export function structReturnVars(L: FunctionLowerer, p: AstNode): ReturnVar[] | null {
  const members = L.aggregateStructReturn(p);
  return members && members.map((m, index) => ({ key: m.key, type: m.type, member: { decl: p.id, index } }));
}

/**
 * `return e;` in an entry point with a struct return value: each component evaluated in order, then
 * assigned (a struct component copied member by member). With several components, all must be free of
 * effects (solc copies a storage struct to memory where it assigns the return variables).
 */
export function returnWithStructs(L: FunctionLowerer, e: AstNode, def: AstNode, rets: readonly ReturnVar[], loc: SrcLoc): void {
  if (rets.some((r) => r.bytes !== undefined || r.ref)) unsupported('struct return value next to byte strings or arrays', loc);
  const decls: AstNode[] = def.returnParameters.parameters;
  const comps: (AstNode | null)[] | null = decls.length === 1 ? [e] : e.nodeType === 'TupleExpression' ? e.components : null;
  if (comps === null || comps.length !== decls.length || comps.some((c) => c === null)) unsupported('return of a struct value in this form', loc);
  // solc evaluates every component (a storage struct as a reference) before it copies any: the same
  // when no component has effects.
  if (decls.length > 1 && !comps.every((c) => L.isPure(c!))) unsupported('struct return value next to values with effects', loc);
  let k = 0;
  const assigns: { r: ReturnVar; v: Val }[] = [];
  decls.forEach((d, j) => {
    const mine = rets.filter((r, i) => i >= k && (r.member ? r.member.decl === d.id : i === k));
    const vals = mine[0]?.member ? L.aggregateReturnedStruct(d.id, comps[j]!) : [L.expr(comps[j]!, mine[0]!.type)];
    invariant(vals.length === mine.length || L.b.dead, 'struct return arity');
    mine.forEach((r, i) => assigns.push({ r, v: vals[i]! }));
    k += mine.length;
  });
  if (L.b.dead) return;
  for (const { r, v } of assigns) L.b.env.set(r.key, L.convert(v, r.type, loc));
}

/**
 * An entry point's results with every fixed-size memory array result (a reference) replaced by its
 * elements, read now, in order: one result per head word, as `staticReturnParams` lists them.
 */
export function expandFixedArrayResults(L: FunctionLowerer, def: AstNode, results: readonly Val[], loc: SrcLoc): Val[] {
  const decls: AstNode[] = def?.nodeType === 'FunctionDefinition' ? def.returnParameters.parameters : [];
  const out: Val[] = [];
  let k = 0;
  for (const d of decls) {
    const shape = memArrayShape(d.typeDescriptions?.typeString);
    const members = structParamShape(L, d)?.members.length;
    if (shape && shape.length !== null) {
      const ref = results[k++]!;
      for (let j = 0n; j < shape.length; j++) out.push({ v: L.b.def({ kind: 'mload', ref: ref.v, index: L.const(U256, j, loc).v, type: shape.elem, loc }), t: shape.elem });
    } else if (members !== undefined && String(d.typeDescriptions?.typeString).startsWith('struct ')) {
      out.push(...results.slice(k, k + members));
      k += members;
    } else out.push(results[k++]!);
  }
  // Getters and other bodies without return declarations: the results as they are.
  return decls.length === 0 ? [...results] : out;
}
