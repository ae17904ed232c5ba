import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CheckOptions } from '../api.ts';
import type { PathBase } from '../report/issues.ts';
import { pathBaseOf } from './ci.ts';

/**
 * What `check` compares, from its two arguments: source files (compiled here), or build-info (a file or
 * a directory holding Foundry or Hardhat build-info, src/frontend/buildinfo.ts). With build-info,
 * `--contract` (or --old-contract/--new-contract) is `path/File.sol:Name`.
 */
export interface ResolvedInputs {
  readonly prebuilt?: CheckOptions['prebuilt'];
  readonly base: PathBase;
  /** Notes for stderr (`--verbose`), e.g. which build-info file was read. */
  readonly notes: readonly string[];
}

interface InputArgs {
  readonly contract?: string;
  readonly oldContract?: string;
  readonly newContract?: string;
  readonly root?: string;
  readonly oldRoot?: string;
  readonly newRoot?: string;
  readonly cacheDir?: string;
}

/** Both versions as the command line named them, resolved to files or build-info; `close` removes an --old-ref worktree. */
export interface CliPair<A> {
  readonly oldArg: string;
  readonly newArg: string;
  /** The arguments with the project roots and the old contract filled in (from the project or @custom:oz-upgrades-from). */
  readonly args: A & InputArgs;
  readonly inputs: ResolvedInputs;
  close(): Promise<void>;
}

/**
 * The two versions of `check`, `layout` and `shadow`: two source files, two build-info files or
 * directories, or (no files) `--contract path/File.sol:Name` in two project roots or the working tree
 * and a git ref. The old contract is --old-contract, else the new one's `@custom:oz-upgrades-from`,
 * else --contract.
 */
export async function resolvePair<A extends InputArgs & { old?: string; new?: string; oldRef?: string }>(a: A): Promise<CliPair<A>> {
  const project = a.old === undefined ? await projectFiles(a) : undefined;
  try {
    const [oldArg, newArg] = project === undefined ? [a.old!, a.new!] : [project.oldArg, project.newArg];
    const from = project?.oldContract ?? (a.oldContract === undefined ? (await upgradesFromFile(newArg, contractName(a.newContract ?? a.contract)))?.name : undefined);
    const args = { ...a, ...(project === undefined ? {} : { oldRoot: project.oldRoot, newRoot: project.newRoot }), ...(from === undefined ? {} : { oldContract: from }) };
    const inputs = await resolveInputs(args, oldArg, newArg);
    return { oldArg, newArg, args, inputs, close: project?.close ?? (async () => undefined) };
  } catch (e) {
    await project?.close();
    throw e;
  }
}

/** `path/File.sol:Name` names the contract `Name` (the path picks files in project and build-info modes). */
export function contractName(ref: string | undefined): string | undefined {
  return ref?.includes(':') ? ref.slice(ref.lastIndexOf(':') + 1) : ref;
}

/**
 * Project mode: no files given, `--contract path/File.sol:Name` names the source in both project roots
 * (`--old-root`/`--new-root`, or `--old-ref` for the old one, the new root defaulting to the working
 * directory). Without a path, the contract must come from files or build-info.
 */
export async function projectFiles(a: InputArgs & { oldRef?: string }): Promise<{ oldArg: string; newArg: string; oldRoot: string; newRoot: string; close: () => Promise<void>; oldContract?: string }> {
  const { parseContractRef } = await import('../frontend/buildinfo.ts');
  const { PatchproofError } = await import('../frontend/errors.ts');
  const ref = parseContractRef(a.newContract ?? a.contract);
  if (ref.unit === undefined) throw new PatchproofError('usage', 'without files, name the source in the project: --contract path/File.sol:Name (relative to the project roots)');
  const newRoot = a.newRoot ?? a.root ?? '.';
  let oldRoot = a.oldRoot ?? a.root;
  let close: () => Promise<void> = async () => undefined;
  if (a.oldRef !== undefined) {
    const co = await (await import('./gitref.ts')).checkoutRef(a.oldRef, newRoot);
    oldRoot = co.root;
    close = co.close;
  }
  if (oldRoot === undefined) throw new PatchproofError('usage', 'name the old version: --old-root <dir> or --old-ref <git ref>');
  const newArg = path.join(newRoot, ref.unit);
  const from = a.oldContract === undefined ? await upgradesFromFile(newArg, ref.name) : undefined;
  const oldRef = from ?? parseContractRef(a.oldContract ?? a.contract);
  return { oldArg: path.join(oldRoot, oldRef.unit ?? ref.unit), newArg, oldRoot, newRoot, close, ...(from?.name === undefined ? {} : { oldContract: from.name }) };
}

/** The `@custom:oz-upgrades-from` reference of the new contract, when its source file has one. */
export async function upgradesFromFile(file: string, name: string | undefined): Promise<{ unit?: string; name?: string } | undefined> {
  if (!file.endsWith('.sol')) return undefined;
  const text = await readFile(file, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : (await import('../frontend/upgradesfrom.ts')).upgradesFrom(text, name);
}

export async function resolveInputs(a: InputArgs, oldArg: string, newArg: string): Promise<ResolvedInputs> {
  const bi = await import('../frontend/buildinfo.ts');
  const [oldDir, newDir] = [await bi.buildInfoDir(oldArg), await bi.buildInfoDir(newArg)];
  if (oldDir === undefined && newDir === undefined) return { base: pathBaseOf(a, oldArg, newArg), notes: [] };
  if (oldDir === undefined || newDir === undefined) {
    const { PatchproofError } = await import('../frontend/errors.ts');
    throw new PatchproofError('usage', `${oldDir === undefined ? oldArg : newArg} is not build-info while ${oldDir === undefined ? newArg : oldArg} is: pass build-info for both versions, or source files for both`);
  }
  const side = (arg: string, name: string | undefined, root: string | undefined) => bi.loadBuildInfo(arg, bi.parseContractRef(name ?? a.contract), { root: root ?? a.root, cacheDir: a.cacheDir });
  const o = await side(oldArg, a.oldContract, a.oldRoot);
  const n = await side(newArg, a.newContract, a.newRoot);
  const units = (s: typeof o) => new Map([...s.comp.sources.values()].map((u) => [u.path, u.absPath]));
  const note = (label: string, s: typeof o) => `${label}: ${s.format} build-info ${s.file}, solc ${s.comp.solcVersion}${s.recompiled ? ' (recompiled for the outputs it lacks; runtime code unchanged)' : ''}`;
  return {
    prebuilt: { old: o, new: n },
    base: { ...pathBaseOf({}, o.file, n.file), oldRoot: o.comp.root, newRoot: n.comp.root, units: { old: units(o), new: units(n) } },
    notes: [note('old', o), note('new', n)],
  };
}
