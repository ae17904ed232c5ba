import { compileFile, selectContract, type Compilation, type ContractOutput } from '../frontend/compile.ts';
import { isPatchproofError, PatchproofError, type Diagnostic } from '../frontend/errors.ts';
import { lowerConditionFunction } from '../ir/lower/contract.ts';
import type { IrFunction } from '../ir/types.ts';
import { describeCondition, type ConditionSpec } from './relations.ts';

/**
 * Conditions of relation specs, made IR: each condition becomes a synthesized function of the checked
 * contract,
 *
 *     function __patchproof_condition_<k>(<the entry point's parameter list>) internal view returns (bool) {
 *       return (<condition>);
 *     }
 *
 * inserted before the contract's closing brace in a copy of the version's source. solc type-checks it
 * (and, being `view`, refuses a condition that writes state), and it is lowered as an entry point with
 * the same parameters (argument i is calldata word i, decoded and checked as the entry point does) and
 * no value check. Its IR is then executed on the same symbolic calldata, environment and pre-state as the
 * entry point itself, so the condition reads the pre-state of the call.
 */

export interface LoweredCondition {
  readonly spec: ConditionSpec;
  readonly fn: IrFunction;
}

export interface ConditionSource {
  readonly file: string;
  readonly root?: string;
  readonly cacheDir?: string;
  readonly contract: string;
  readonly loopBound?: number;
}

const PREFIX = '__patchproof_condition_';

/** Compiles and lowers every condition of one version (one extra solc run when there is any). */
export async function lowerConditions(specs: readonly ConditionSpec[], comp: Compilation, contract: ContractOutput, src: ConditionSource): Promise<LoweredCondition[]> {
  if (specs.length === 0) return [];
  const unit = comp.sources.get(contract.unit);
  if (unit === undefined) throw new PatchproofError('input', `no source for contract ${contract.name}`);
  const content = Buffer.from(unit.content, 'utf8');
  const closing = contractEnd(contract);
  const places: { spec: ConditionSpec; line: number; lines: number }[] = [];
  let inserted = '';
  // The line the next function starts after (its head has three line breaks, the condition starts a
  // line of its own so that solc's columns there are the condition's own, and two lines close it).
  let line = lineOf(content, closing);
  for (const [k, spec] of specs.entries()) {
    const params = paramsOf(comp, contract, spec);
    const lines = spec.text.split('\n').length;
    places.push({ spec, line: line + 3, lines });
    inserted += `\n    function ${PREFIX}${k}${params} internal view returns (bool) {\n        return (\n${spec.text}\n        );\n    }\n`;
    line += 5 + lines;
  }
  const text = Buffer.concat([content.subarray(0, closing), Buffer.from(inserted, 'utf8'), content.subarray(closing)]).toString('utf8');
  let instrumented: Compilation;
  try {
    instrumented = await compileFile(src.file, { root: src.root, cacheDir: src.cacheDir, contents: new Map([[unit.absPath, text]]) });
  } catch (e) {
    if (isPatchproofError(e) && e.kind === 'compile') throw conditionError(e.diagnostics, contract.unit, places);
    throw e;
  }
  const c = selectContract(instrumented, src.contract);
  return specs.map((spec, k) => ({ spec, fn: lowerConditionFunction(instrumented, c, `${PREFIX}${k}`, `condition ${describeCondition(spec)}`, src.loopBound === undefined ? {} : { loopBound: src.loopBound }) }));
}

/** Byte offset of the contract's closing brace. */
function contractEnd(contract: ContractOutput): number {
  const m = /^(\d+):(\d+):/.exec(String(contract.ast.src));
  if (!m) throw new PatchproofError('input', `no source range for contract ${contract.name}`);
  return Number(m[1]) + Number(m[2]) - 1;
}

/** 1-based line of a byte offset. */
function lineOf(content: Buffer, offset: number): number {
  let n = 1;
  for (let i = 0; i < offset; i++) if (content[i] === 10) n++;
  return n;
}

/** The entry point's parameter list as written in the version's source, e.g. `(uint256 amount)`. */
function paramsOf(comp: Compilation, contract: ContractOutput, spec: ConditionSpec): string {
  const where = `${describeCondition(spec)}: `;
  if (spec.entryPoint === 'fallback()' || spec.entryPoint === 'receive()') return '()';
  const selector = contract.methodIdentifiers[spec.entryPoint];
  if (selector === undefined) {
    const known = Object.keys(contract.methodIdentifiers).sort().join(', ') || 'none';
    throw new PatchproofError('usage', `${where}the ${spec.version} version of ${contract.name} has no entry point ${spec.entryPoint} (it has: ${known})`);
  }
  for (const id of contract.ast.linearizedBaseContracts as number[]) {
    const def = [...comp.sources.values()].flatMap((s) => (s.ast.nodes ?? []) as { id: number; nodes?: unknown[] }[]).find((n) => n.id === id);
    for (const n of (def?.nodes ?? []) as { nodeType: string; functionSelector?: string; parameters?: { src: string } }[]) {
      if (n.functionSelector !== selector) continue;
      if (n.nodeType !== 'FunctionDefinition' || n.parameters === undefined) throw new PatchproofError('usage', `${where}${spec.entryPoint} is a public state variable's getter; conditions are supported on functions only`);
      const m = /^(\d+):(\d+):(\d+)$/.exec(n.parameters.src);
      const unit = m ? comp.sourcesById.get(Number(m[3])) : undefined;
      if (!m || unit === undefined) break;
      const list = Buffer.from(unit.content, 'utf8').subarray(Number(m[1]), Number(m[1]) + Number(m[2])).toString('utf8');
      return list.startsWith('(') ? list : `(${list})`;
    }
  }
  throw new PatchproofError('usage', `${where}cannot find the declaration of ${spec.entryPoint} in the ${spec.version} version`);
}

/** solc's complaint about a condition, at the condition's own flag or file, line and column. */
function conditionError(diags: readonly Diagnostic[], unit: string, places: readonly { spec: ConditionSpec; line: number; lines: number }[]): PatchproofError {
  const errors = diags.filter((d) => d.severity === 'error');
  const lines: string[] = [];
  for (const d of errors) {
    const at = d.file === unit && d.line !== undefined ? places.find((p) => d.line! >= p.line - 2 && d.line! <= p.line + p.lines + 1) : undefined;
    const p = at ?? places[0]!;
    const inText = at !== undefined && d.line! >= p.line && d.line! < p.line + p.lines;
    const rel = inText ? d.line! - p.line : 0;
    const line = p.spec.origin.line + rel;
    const col = inText ? (rel === 0 ? p.spec.origin.col + (d.col ?? 1) - 1 : d.col ?? 1) : p.spec.origin.col;
    lines.push(`${describeCondition(p.spec)}: ${p.spec.origin.source}:${line}:${col}: ${d.message.replace(/\s*\n\s*/g, ' ')}`);
  }
  const first = lines[0] ?? 'the condition does not compile';
  return new PatchproofError('usage', `condition does not compile: ${first}${lines.length > 1 ? ` (and ${lines.length - 1} more: ${lines.slice(1).join('; ')})` : ''}`);
}
