import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import semver from 'semver';
import { PatchproofError } from './errors.ts';

/**
 * Compilers Hardhat has already downloaded, used when no bundled compiler fits (patchproof itself never
 * downloads). Hardhat keeps them under its cache directory (the env-paths location of `hardhat-nodejs`):
 * native builds in `compilers-v2/<platform>/solc-<platform>-v<long>` and solc-js builds in
 * `compilers-v2/wasm/soljson-v<long>.js`, each directory with the `list.json` it was downloaded from
 * (older Hardhat used `compilers/`). Where that list names a file's sha256, the file must match it: a
 * compiler whose bytes are not the ones published is not used.
 */
export interface CachedCompiler {
  /** x.y.z */
  readonly version: string;
  /** The long version without a platform suffix: `0.8.17+commit.8df45f5f`. */
  readonly longVersion: string;
  readonly kind: 'native' | 'wasm';
  readonly file: string;
}

/** Hardhat's cache directory: $PATCHPROOF_HARDHAT_CACHE, else where env-paths puts `hardhat-nodejs`. */
export function hardhatCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PATCHPROOF_HARDHAT_CACHE) return env.PATCHPROOF_HARDHAT_CACHE;
  const home = os.homedir();
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Caches', 'hardhat-nodejs');
  if (process.platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'hardhat-nodejs', 'Cache');
  return path.join(env.XDG_CACHE_HOME || path.join(home, '.cache'), 'hardhat-nodejs');
}

const NATIVE_PLATFORM: Partial<Record<string, string>> = { linux: 'linux-amd64', darwin: 'macosx-amd64', win32: 'windows-amd64' };

/** The compilers found in the cache, newest first; none when there is no cache. */
export function cachedCompilers(dir: string = hardhatCacheDir()): CachedCompiler[] {
  const found: CachedCompiler[] = [];
  const platform = NATIVE_PLATFORM[process.platform];
  for (const top of ['compilers-v2', 'compilers']) {
    const wasmDir = path.join(dir, top, 'wasm');
    for (const f of listDir(wasmDir)) {
      const m = /^soljson-v(\d+\.\d+\.\d+\+commit\.[0-9a-f]+)\.js$/.exec(f);
      if (m) found.push({ version: m[1]!.split('+')[0]!, longVersion: m[1]!, kind: 'wasm', file: path.join(wasmDir, f) });
    }
    // Native builds only for x86-64 (what Hardhat downloads for this platform) and only when executable.
    if (platform === undefined || process.arch !== 'x64') continue;
    const nativeDir = path.join(dir, top, platform);
    for (const f of listDir(nativeDir)) {
      const m = /^solc-[a-z0-9-]+-v(\d+\.\d+\.\d+\+commit\.[0-9a-f]+)(\.exe)?$/.exec(f);
      if (m && executable(path.join(nativeDir, f))) found.push({ version: m[1]!.split('+')[0]!, longVersion: m[1]!, kind: 'native', file: path.join(nativeDir, f) });
    }
  }
  // Newest first; for one version a wasm build first (it runs in process, like the bundled ones).
  return found.sort((a, b) => semver.rcompare(a.version, b.version) || (a.kind === b.kind ? 0 : a.kind === 'wasm' ? -1 : 1));
}

/** The part of solc-js's wrapper patchproof calls (the same shape as compilers.ts's Solc). */
interface SolcLike {
  version(): string;
  compile(input: string, callbacks: { import: (p: string) => { contents?: string; error?: string } }): string;
}

/** Loads a cached compiler, after checking its bytes against Hardhat's list.json and its reported version. */
export function loadCachedCompiler(c: CachedCompiler): SolcLike {
  checkPublishedHash(c);
  if (c.kind === 'wasm') {
    const require = createRequire(import.meta.url);
    const wrapper = require('solc/wrapper') as (soljson: unknown) => SolcLike;
    const solc = wrapper(require(c.file));
    checkVersion(c, solc.version());
    return solc;
  }
  const run = (args: string[], input?: string): string => {
    const r = spawnSync(c.file, args, { input, encoding: 'utf8', maxBuffer: 1 << 30 });
    if (r.error !== undefined || r.status !== 0) throw new PatchproofError('compile', `Hardhat's cached solc ${c.file} failed to run (${r.error?.message ?? `exit ${r.status}: ${(r.stderr ?? '').trim().split('\n')[0]}`}); delete it from the cache or use a bundled version`);
    return r.stdout;
  };
  const reported = /Version:\s*(\S+)/.exec(run(['--version']))?.[1] ?? '?';
  checkVersion(c, reported);
  // Every source is in the standard-JSON input (compile.ts refuses imports), so no paths need allowing.
  return { version: () => reported, compile: (input) => run(['--standard-json'], input) };
}

function checkVersion(c: CachedCompiler, reported: string): void {
  if (!reported.startsWith(c.longVersion)) throw new PatchproofError('compile', `Hardhat's cached compiler ${c.file} is named ${c.longVersion} but reports ${reported}; it is not used. Delete it from the cache`);
}

function checkPublishedHash(c: CachedCompiler): void {
  let list: { builds?: { path?: string; sha256?: string }[] };
  try {
    list = JSON.parse(readFileSync(path.join(path.dirname(c.file), 'list.json'), 'utf8')) as typeof list;
  } catch {
    return; // No list beside it: Hardhat always writes one; a hand-made cache is taken as it is.
  }
  const want = list.builds?.find((b) => b.path === path.basename(c.file))?.sha256?.replace(/^0x/, '').toLowerCase();
  if (want === undefined) return;
  const got = createHash('sha256').update(readFileSync(c.file)).digest('hex');
  if (got !== want) throw new PatchproofError('compile', `Hardhat's cached compiler ${c.file} has sha256 ${got}, but its list.json publishes ${want}; it is not used. Delete it from the cache`);
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
