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
            return compileSide(side === 'old' ? o.oldFile : o.newFile, side === 'old' ? (o.oldContract ?? contract) : (o.newContract ?? contract), side === 'old' ? o.oldRoot : o.newRoot, o.cacheDir, o.prebuilt?.[side]);
          },
        }),
    ...(i.rebuild && options !== undefined ? { rebuild: async (oc: string, nc: string) => (await i.checkPatch())(await options(oc, nc)) } : {}),
  });
  return { text: formatVerify(i.file, r), ok: r.ok };
}

/**
 * Compiles one version as `check` does (same settings, linked libraries), or takes it from build-info,
 * and hashes what the certificate binds.
 */
async function compileSide(file: string, contract: string, root: string | undefined, cacheDir: string | undefined, pre?: NonNullable<CheckOptions['prebuilt']>['old']) {
  const { compileFile, selectContract } = await import('../frontend/compile.ts');
  const { linkRuntime } = await import('../frontend/link.ts');
  const comp = pre?.comp ?? (await compileFile(file, { root, cacheDir }));
  const c = pre?.contract ?? selectContract(comp, contract);
  const { code } = linkRuntime(comp, c);
  return {
    sources: [...comp.sources.values()].map((s) => ({ path: s.path, sha256: s.sha256 })),
    runtimeKeccak: keccak256(hexToBytes(code.startsWith('0x') ? (code as `0x${string}`) : `0x${code}`)),
    inputSha256: comp.inputSha256,
  };
}

/**
 * `patchproof attach`: computes the proposal's action hash, finds the implementation it installs, and
 * records both in the statement, but only when that implementation's code is the certified new code.
 * `ok: false` (exit 1) when it is not; input defects throw.
 */
export async function attachCommand(file: string, proposalFile: string, impl: { code?: string; codehash?: string }): Promise<{ text: string; ok: boolean }> {
  const { promises: fs } = await import('node:fs');
  const { PatchproofError } = await import('../frontend/errors.ts');
  const { readEnvelopeFile } = await import('./sign.ts');
  const { readJsonFile, writeEnvelope } = await import('./dsse.ts');
  const { parseProposal, installsOf } = await import('./proposal.ts');
  const { envelopeOfStatement } = await import('./statement.ts');
  if ((impl.code === undefined) === (impl.codehash === undefined)) throw new PatchproofError('usage', 'pass exactly one of --impl-code <file|hex> and --impl-codehash <hex>');
  const { env, statement } = await readEnvelopeFile(file);
  if (env.signatures.length > 0 || (env.eip712 ?? []).length > 0) {
    throw new PatchproofError('input', `certificate ${file} is already signed: attaching changes the statement and would void the signatures; attach first, then sign`);
  }
  const action = parseProposal(await readJsonFile(proposalFile, 'proposal'), proposalFile);
  const installs = installsOf(action.calls);
  const fail = (why: string) => ({ ok: false, text: `proposal not bound: ${why}\n` });
  if (installs.length === 0) return fail(`${proposalFile} installs no implementation (no upgradeTo, upgradeToAndCall, ProxyAdmin upgrade/upgradeAndCall, or MultiSend batch of them)`);
  const impls = [...new Set(installs.map((i) => i.implementation))];
  if (impls.length > 1) return fail(`${proposalFile} installs ${impls.length} different implementations (${impls.join(', ')}); a certificate covers one`);
  const nw = statement.statement.predicate.implementations.new;
  let compared: string;
  const details: Record<string, string> = { ...action.details };
  if (impl.code !== undefined) {
    const text = /^(0x)?[0-9a-fA-F]*$/.test(impl.code.trim()) && impl.code.trim().length > 0 ? impl.code.trim() : (await fs.readFile(impl.code, 'utf8').catch((e: Error) => { throw new PatchproofError('input', `cannot read --impl-code ${impl.code}: ${e.message}`); })).trim();
    const hex = text.replace(/^0x/, '');
    if (!/^([0-9a-fA-F]{2})*$/.test(hex) || hex.length === 0) throw new PatchproofError('input', '--impl-code must be the deployed runtime code as hex (or a file holding it)');
    const code = hexToBytes(`0x${hex}`);
    details.deployedCodeHash = keccak256(code);
    // Immutables are filled in at deployment: zero their ranges, as in the compiled code the certificate hashes.
    for (const r of nw.immutableRanges) code.fill(0, r.start, r.start + r.length);
    compared = keccak256(code);
    if (nw.immutableRanges.length) details.codeHashRule = `deployed code with ${nw.immutableRanges.length} immutable range(s) zeroed`;
  } else {
    if (!/^0x[0-9a-fA-F]{64}$/.test(impl.codehash!)) throw new PatchproofError('usage', `--impl-codehash must be a 0x-prefixed 32-byte hex hash, got ${impl.codehash}`);
    if (nw.immutableRanges.length) return fail(`the new implementation has ${nw.immutableRanges.length} immutable range(s), so its EXTCODEHASH depends on values set at deployment; pass --impl-code with the deployed code instead`);
    compared = impl.codehash!.toLowerCase();
    details.deployedCodeHash = compared;
  }
  if (compared !== nw.runtimeKeccak256) {
    return fail(`${proposalFile} installs implementation ${impls[0]} whose code hash is ${compared}, but the certified new code (${nw.contract}) has keccak256 ${nw.runtimeKeccak256}: the proposal installs different code`);
  }
  const p = statement.statement.predicate;
  const governance = { kind: action.kind, actionHash: action.actionHash, details, installs: installs.map((i) => ({ target: i.target, function: i.function, ...(i.proxy === undefined ? {} : { proxy: i.proxy }), implementation: i.implementation })), implementationCodeHash: compared };
  await writeEnvelope(file, envelopeOfStatement({ ...statement.statement, predicate: { ...p, governance } }));
  const where = installs.map((i) => `${i.function} on ${i.proxy ?? i.target}`).join(', ');
  return { ok: true, text: `attached ${action.kind} action ${action.actionHash} to ${file}: it installs ${impls[0]} (${where}), whose code is the certified new code ${nw.runtimeKeccak256}\n${Object.entries(details).map(([k, v]) => `  ${k}: ${v}\n`).join('')}` };
}
