import { hexToBytes, keccak256 } from 'viem';
import type { CheckOptions, CheckResult } from '../api.ts';
import type { Z3Solver } from '../smt/z3.ts';
import { formatVerify, verifyCertificate, type ExternalSolver } from './verify.ts';

/** What the `verify` command hands over; main.ts keeps only argument parsing. */
export interface VerifyCommandInput {
  readonly file: string;
  readonly signers?: string;
  readonly threshold?: number;
  readonly external?: ExternalSolver;
  readonly rebuild: boolean;
  readonly timeoutMs: number;
  readonly z3: () => Promise<Z3Solver>;
  /** The check options for --old/--new with the contracts the certificate names; undefined without them. */
  readonly options?: (oldContract: string, newContract: string) => Promise<CheckOptions>;
  readonly checkPatch: () => Promise<(o: CheckOptions) => Promise<CheckResult>>;
}

export async function verifyCommand(i: VerifyCommandInput): Promise<{ text: string; ok: boolean }> {
  const { PatchproofError } = await import('../frontend/errors.ts');
  if (i.rebuild && i.options === undefined) throw new PatchproofError('usage', '--rebuild needs --old and --new (the sources to rebuild from)');
  const options = i.options;
  const r = await verifyCertificate({
    file: i.file,
    ...(i.signers === undefined ? {} : { signers: i.signers.split(',').map((s) => s.trim()).filter((s) => s !== '') }),
    ...(i.threshold === undefined ? {} : { threshold: i.threshold }),
    z3: i.z3,
    timeoutMs: i.timeoutMs,
    ...(i.external === undefined ? {} : { external: i.external }),
    ...(options === undefined
      ? {}
      : {
          compile: async (side: 'old' | 'new', contract: string) => {
            const o = await options(contract, contract);
            return compileSide(side === 'old' ? o.oldFile : o.newFile, side === 'old' ? (o.oldContract ?? contract) : (o.newContract ?? contract), side === 'old' ? o.oldRoot : o.newRoot, o.cacheDir);
          },
        }),
    ...(i.rebuild && options !== undefined ? { rebuild: async (oc: string, nc: string) => (await i.checkPatch())(await options(oc, nc)) } : {}),
  });
  return { text: formatVerify(i.file, r), ok: r.ok };
}

/** Compiles one version as `check` does (same settings, linked libraries) and hashes what the certificate binds. */
async function compileSide(file: string, contract: string, root: string | undefined, cacheDir: string | undefined) {
  const { compileFile, selectContract } = await import('../frontend/compile.ts');
  const { linkRuntime } = await import('../frontend/link.ts');
  const comp = await compileFile(file, { root, cacheDir });
  const c = selectContract(comp, contract);
  const { code } = linkRuntime(comp, c);
  return {
    sources: [...comp.sources.values()].map((s) => ({ path: s.path, sha256: s.sha256 })),
    runtimeKeccak: keccak256(hexToBytes(code.startsWith('0x') ? (code as `0x${string}`) : `0x${code}`)),
    inputSha256: comp.inputSha256,
  };
}
