import type { PairInput } from '../api.ts';
import { loadPair } from '../frontend/pair.ts';
import { analyzeUpgrade, type UpgradeReport } from './index.ts';

/** `patchproof layout`: compile both versions and run the upgrade analysis alone. */
export interface UpgradeRun {
  readonly old: { readonly file: string; readonly contract: string };
  readonly new: { readonly file: string; readonly contract: string };
  readonly report: UpgradeReport;
}

export async function runUpgradeCheck(pair: PairInput): Promise<UpgradeRun> {
  const v = await loadPair(pair);
  const report = analyzeUpgrade({ old: { compilation: v.old.comp, contract: v.old.contract }, new: { compilation: v.new.comp, contract: v.new.contract } });
  return { old: { file: pair.oldFile, contract: v.old.contract.name }, new: { file: pair.newFile, contract: v.new.contract.name }, report };
}
