import { linkRuntime } from '../../src/frontend/link.ts';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { compileFile, selectContract, type Compilation, type ContractOutput } from '../../src/frontend/compile.ts';
import { lowerContract } from '../../src/ir/lower/contract.ts';
import { toWord } from '../../src/ir/interp.ts';
import type { IrContract, ValueType } from '../../src/ir/types.ts';
import { projectRoot } from '../cli/helpers.ts';

/** The fixture corpus and extra single-version contracts, compiled and lowered for the harness. */

export const fixturesDir = path.join(projectRoot, 'fixtures');
export const extraDir = path.join(projectRoot, 'test/diff/contracts');
export const cacheDir = path.join(projectRoot, 'node_modules/.cache/patchproof-test');

/** `bounded`: equivalent only up to the loop unrolling bound. */
export type ExpectedVerdict = 'equivalent' | 'bounded' | 'different' | 'unsupported';

export interface Expected {
  readonly contract: string;
  readonly overall: string;
  readonly entryPoints: Readonly<Record<string, ExpectedVerdict>>;
}

/** One compiled version of a contract. */
export interface Version {
  readonly file: string;
  readonly comp: Compilation;
  readonly contract: ContractOutput;
  readonly ir: IrContract;
  /** Runtime bytecode as compiled and linked, 0x-hex (immutables are zero until patched). */
  readonly code: string;
  /** Runtime code of the external libraries it is linked against, by address (installed on the EVM). */
  readonly libraries: ReadonlyMap<bigint, string>;
  /** Immutables read by the runtime code: name, type and the byte offsets solc left for them. */
  readonly immutables: ReadonlyMap<string, { readonly type: ValueType; readonly starts: readonly number[] }>;
}

export function fixtureNames(): string[] {
  return readdirSync(fixturesDir)
    .filter((n) => !n.includes('.') && n !== 'shadow')
    .sort();
}

export function extraContracts(): string[] {
  return readdirSync(extraDir)
    .filter((n) => n.endsWith('.sol'))
    .sort();
}

export function readExpected(name: string): Expected {
  return JSON.parse(readFileSync(path.join(fixturesDir, name, 'expected.json'), 'utf8')) as Expected;
}

export async function loadVersion(file: string, contractName?: string): Promise<Version> {
  const comp = await compileFile(file, { cacheDir });
  const contract = selectContract(comp, contractName);
  const ir = lowerContract(comp, contract);
  const { code, libraries } = linkRuntime(comp, contract);
  return { file, comp, contract, ir, code, libraries, immutables: immutablesOf(comp, contract, ir) };
}

function immutablesOf(comp: Compilation, contract: ContractOutput, ir: IrContract): Map<string, { type: ValueType; starts: number[] }> {
  const types = new Map<string, ValueType>();
  for (const f of ir.functions) {
    if (!f.body.ok) continue;
    for (const b of f.body.blocks) for (const i of b.instrs) if (i.kind === 'immutable') types.set(i.name, i.type);
  }
  const names = new Map<number, string>();
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (n === null || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    if (o.nodeType === 'VariableDeclaration' && typeof o.id === 'number' && typeof o.name === 'string') names.set(o.id, o.name);
    for (const v of Object.values(o)) if (v !== null && typeof v === 'object') walk(v);
  };
  for (const s of comp.sources.values()) walk(s.ast);
  const out = new Map<string, { type: ValueType; starts: number[] }>();
  for (const [id, refs] of Object.entries(contract.immutableReferences ?? {})) {
    const name = names.get(Number(id));
    if (name === undefined) throw new Error(`immutable with AST id ${id} not found`);
    if (out.has(name)) throw new Error(`two immutables named ${name}: the harness keys immutables by name like the IR`);
    const type = types.get(name);
    // An immutable the IR never reads (every reader unsupported): any value is as good as zero.
    if (type === undefined) continue;
    for (const r of refs) if (r.length !== 32) throw new Error(`immutable ${name} reference of ${r.length} bytes`);
    out.set(name, { type, starts: refs.map((r) => r.start) });
  }
  return out;
}

/** The runtime code with each immutable's value written where solc reserved it (as its ABI word). */
export function codeWithImmutables(v: Version, values: ReadonlyMap<string, bigint>): string {
  let code = v.code;
  for (const [name, { type, starts }] of v.immutables) {
    const value = values.get(name);
    if (value === undefined) throw new Error(`no value for immutable ${name}`);
    const w = toWord(value, type).toString(16).padStart(64, '0');
    for (const s of starts) code = code.slice(0, 2 + 2 * s) + w + code.slice(2 + 2 * s + 64);
  }
  return code;
}
