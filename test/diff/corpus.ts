import { linkRuntime } from '../../src/frontend/link.ts';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { compileFile, selectContract, type Compilation, type ContractOutput } from '../../src/frontend/compile.ts';
import { lowerContract } from '../../src/ir/lower/contract.ts';
import { codeWithImmutables as withImmutables, immutableSlotsOf, type ImmutableSlots } from '../../src/replay/immutables.ts';
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
  readonly immutables: ImmutableSlots;
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

function immutablesOf(comp: Compilation, contract: ContractOutput, ir: IrContract): ImmutableSlots {
  const slots = immutableSlotsOf(comp, contract, ir);
  if (slots === undefined) throw new Error(`${contract.name}: immutables cannot be keyed by name (the harness keys them like the IR)`);
  return slots;
}

/** The runtime code with each immutable's value written where solc reserved it (as its ABI word). */
export function codeWithImmutables(v: Version, values: ReadonlyMap<string, bigint>): string {
  for (const name of v.immutables.keys()) if (!values.has(name)) throw new Error(`no value for immutable ${name}`);
  return withImmutables(v.code, v.immutables, (name) => values.get(name));
}
