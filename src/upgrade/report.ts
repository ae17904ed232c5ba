import type { PairInput } from '../api.ts';
import { compileFile, selectContract } from '../frontend/compile.ts';
import { analyzeUpgrade, type UpgradeReport } from './index.ts';

/** `patchproof layout`: compile both versions and run the upgrade analysis alone. */
export interface UpgradeRun {
  readonly old: { readonly file: string; readonly contract: string };
  readonly new: { readonly file: string; readonly contract: string };
  readonly report: UpgradeReport;
}

export async function runUpgradeCheck(pair: PairInput): Promise<UpgradeRun> {
  const oldComp = await compileFile(pair.oldFile, { root: pair.oldRoot, cacheDir: pair.cacheDir });
  const newComp = await compileFile(pair.newFile, { root: pair.newRoot, cacheDir: pair.cacheDir });
  const oldContract = selectContract(oldComp, pair.oldContract ?? pair.contract);
  const newContract = selectContract(newComp, pair.newContract ?? pair.contract);
  const report = analyzeUpgrade({ old: { compilation: oldComp, contract: oldContract }, new: { compilation: newComp, contract: newContract } });
  return { old: { file: pair.oldFile, contract: oldContract.name }, new: { file: pair.newFile, contract: newContract.name }, report };
}
