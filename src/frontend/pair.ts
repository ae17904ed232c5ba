import type { PairInput } from '../api.ts';
import { compileFile, selectContract, type Compilation, type ContractOutput } from './compile.ts';

export interface LoadedVersion {
  readonly comp: Compilation;
  readonly contract: ContractOutput;
}

/**
 * Both versions of a pair, compiled from their files or taken from build-info (`pair.prebuilt`), for the
 * commands that need only the compiler's output (`layout`, `shadow`); `check` lowers them as well.
 */
export async function loadPair(pair: PairInput): Promise<{ readonly old: LoadedVersion; readonly new: LoadedVersion }> {
  const side = async (file: string, root: string | undefined, name: string | undefined, pre: LoadedVersion | undefined): Promise<LoadedVersion> => {
    if (pre !== undefined) return pre;
    const comp = await compileFile(file, { root, cacheDir: pair.cacheDir });
    return { comp, contract: selectContract(comp, name) };
  };
  return {
    old: await side(pair.oldFile, pair.oldRoot, pair.oldContract ?? pair.contract, pair.prebuilt?.old),
    new: await side(pair.newFile, pair.newRoot, pair.newContract ?? pair.contract, pair.prebuilt?.new),
  };
}
