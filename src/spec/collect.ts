import type { Compilation, ContractOutput } from '../frontend/compile.ts';
import { contractDefinitions } from '../frontend/compile.ts';
import { annotationsIn, CharLines, docText, toProperty } from './annotations.ts';
import { byteToChar, srcRange } from './instrument.ts';
import { SpecError, type Property, type SpecFile, type UnsupportedProperty } from './types.ts';

/*
 * Gathers the properties of one version: annotations in the contract (and its bases: their state is
 * inherited, so are their invariants) and the spec file's entries, each tied to a function of the contract.
 */

export interface Collected {
  readonly properties: readonly Property[];
  readonly unsupported: readonly UnsupportedProperty[];
}

export function collectProperties(comp: Compilation, contract: ContractOutput, spec: SpecFile | undefined, lenient = false): Collected {
  const defs = contractDefinitions(comp);
  const properties: Property[] = [];
  const unsupported: UnsupportedProperty[] = [];
  const own = new Set<number>((contract.ast.nodes as any[]).filter((n) => n.nodeType === 'FunctionDefinition').map((n) => n.id as number));
  // Bases first (most basic first), as their declarations come first.
  const chain = [...(contract.ast.linearizedBaseContracts as number[])].reverse().map((id) => defs.get(id)).filter((d) => d !== undefined);
  for (const def of chain) {
    const unit = [...comp.sources.values()].find((u) => u.id === Number(String(def.src).split(':')[2]));
    if (unit === undefined) continue;
    const toChar = byteToChar(unit.content);
    const lines = new CharLines(unit.path, unit.content);
    const read = (doc: any) => {
      if (doc === null || doc === undefined || typeof doc !== 'object') return { found: [], unsupported: [] };
      const r = srcRange(doc.src, toChar);
      return annotationsIn(docText(unit.content.slice(r.start, r.end), r.start), lines);
    };
    const c = read(def.documentation);
    unsupported.push(...c.unsupported);
    for (const a of c.found) {
      if (a.keyword !== 'invariant') throw new SpecError(a.loc, `#${a.keyword} belongs on a function, not on contract ${def.name}`);
      properties.push(toProperty(a, properties.length, undefined, 'annotation'));
    }
    for (const fd of def.nodes as any[]) {
      if (fd.nodeType !== 'FunctionDefinition' && fd.nodeType !== 'VariableDeclaration') continue;
      const r = read(fd.documentation);
      unsupported.push(...r.unsupported);
      for (const a of r.found) {
        if (a.keyword === 'invariant') throw new SpecError(a.loc, `#invariant belongs on a contract, not on ${fd.name}`);
        if (fd.nodeType !== 'FunctionDefinition') throw new SpecError(a.loc, '#if_succeeds belongs on a function');
        if (!own.has(fd.id)) {
          unsupported.push({ kind: 'unsupported', what: `#if_succeeds on ${def.name}.${fd.name}, inherited by ${contract.name} (only functions declared in the checked contract are instrumented)`, loc: a.loc });
          continue;
        }
        properties.push(toProperty(a, properties.length, { name: fd.name, astId: fd.id }, 'annotation'));
      }
    }
  }
  if (spec !== undefined) {
    for (const p of spec.properties) {
      const n = properties.length;
      const id = `${p.kind === 'invariant' ? 'inv' : 'if_succeeds'}#${n}`;
      if (p.fn === undefined) { properties.push({ ...p, id }); continue; }
      try {
        const fd = resolveFunction(contract, p.fn.name, p.fn.signature, p.loc);
        properties.push({ ...p, id, fn: { ...p.fn, astId: fd.id } });
      } catch (e) {
        if (!lenient || !(e instanceof SpecError)) throw e;
        unsupported.push({ kind: 'unsupported', what: `if_succeeds on ${p.fn.name}: ${e.detail}`, loc: p.loc });
      }
    }
    unsupported.push(...spec.unsupported);
  }
  return { properties, unsupported };
}

/** The function a spec entry names: by name, or by name and parameter types when overloaded. */
function resolveFunction(contract: ContractOutput, name: string, signature: string | undefined, loc: Property['loc']): any {
  const fns = (contract.ast.nodes as any[]).filter((n) => n.nodeType === 'FunctionDefinition' && n.name === name);
  const sig = (fd: any) => `${name}(${(fd.parameters.parameters as any[]).map((p) => String(p.typeDescriptions?.typeString ?? '').replace(/ (memory|calldata|storage)$/, '').replace(/^(struct|enum|contract) /, '')).join(',')})`;
  const matching = signature === undefined ? fns : fns.filter((fd) => sig(fd) === signature);
  if (matching.length === 1) return matching[0];
  if (fns.length === 0) {
    const names = [...new Set((contract.ast.nodes as any[]).filter((n) => n.nodeType === 'FunctionDefinition' && n.name !== '').map((n) => n.name as string))].sort();
    throw new SpecError(loc, `no function ${name} declared in contract ${contract.name}; expected one of: ${names.join(', ') || 'none'}`);
  }
  const all = fns.map(sig).join(', ');
  throw new SpecError(loc, signature === undefined ? `function ${name} is overloaded (${all}); write function ${name}(types) to pick one` : `no function ${signature} in contract ${contract.name}; found ${all}`);
}
