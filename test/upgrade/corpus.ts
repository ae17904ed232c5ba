import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { compileFile, selectContract, type Compilation, type ContractOutput } from '../../src/frontend/compile.ts';
import { projectRoot } from '../cli/helpers.ts';

/** The upgrade fixture pairs (fixtures-upgrade/, format in its README.md) and their compiled versions. */
export const upgradeFixturesDir = path.join(projectRoot, 'fixtures-upgrade');
export const cacheDir = path.join(projectRoot, 'node_modules/.cache/patchproof-test');

export interface UpgradeExpected {
  readonly contract: string;
  readonly oldContract?: string;
  readonly newContract?: string;
  readonly verdict: 'compatible' | 'incompatible';
  readonly findings: readonly string[];
  readonly upgradesCore?: 'compatible' | 'incompatible';
  readonly note?: string;
}

export const upgradeFixtureNames: readonly string[] = readdirSync(upgradeFixturesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

export function expectedOf(name: string): UpgradeExpected {
  return JSON.parse(readFileSync(path.join(upgradeFixturesDir, name, 'expected.json'), 'utf8')) as UpgradeExpected;
}

export interface CompiledSide {
  readonly compilation: Compilation;
  readonly contract: ContractOutput;
}

export async function compilePair(name: string): Promise<{ old: CompiledSide; new: CompiledSide }> {
  const exp = expectedOf(name);
  const side = async (which: 'old' | 'new', contract: string): Promise<CompiledSide> => {
    const compilation = await compileFile(path.join(upgradeFixturesDir, name, `${which}.sol`), { cacheDir });
    return { compilation, contract: selectContract(compilation, contract) };
  };
  return { old: await side('old', exp.oldContract ?? exp.contract), new: await side('new', exp.newContract ?? exp.contract) };
}
