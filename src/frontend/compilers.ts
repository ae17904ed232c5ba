import { createRequire } from 'node:module';
import { parse } from '@solidity-parser/parser';
import semver from 'semver';
import { PatchproofError } from './errors.ts';
import { cachedCompilers, hardhatCacheDir, loadCachedCompiler, type CachedCompiler } from './hhcache.ts';

/**
 * The solc-js compilers patchproof bundles, newest first: `solc` (0.8.30) plus exact-pinned npm aliases
 * (package.json). Compilers are never downloaded (solc-js's loadRemoteVersion is never called): a
 * version not listed here is refused with the list.
 */
export const BUNDLED: readonly { readonly version: string; readonly pkg: string }[] = [
  { version: '0.8.30', pkg: 'solc' },
  { version: '0.8.29', pkg: 'solc-0.8.29' },
  { version: '0.8.28', pkg: 'solc-0.8.28' },
  { version: '0.8.27', pkg: 'solc-0.8.27' },
  { version: '0.8.26', pkg: 'solc-0.8.26' },
  { version: '0.8.25', pkg: 'solc-0.8.25' },
  { version: '0.8.24', pkg: 'solc-0.8.24' },
  { version: '0.8.23', pkg: 'solc-0.8.23' },
  { version: '0.8.22', pkg: 'solc-0.8.22' },
  { version: '0.8.21', pkg: 'solc-0.8.21' },
  { version: '0.8.20', pkg: 'solc-0.8.20' },
  { version: '0.8.19', pkg: 'solc-0.8.19' },
  { version: '0.7.6', pkg: 'solc-0.7.6' },
  { version: '0.6.12', pkg: 'solc-0.6.12' },
];

export const BUNDLED_LIST = BUNDLED.map((b) => b.version).join(', ');

/** The part of solc-js's wrapper patchproof calls. */
export interface Solc {
  version(): string;
  compile(input: string, callbacks: { import: (p: string) => { contents?: string; error?: string } }): string;
}

const require = createRequire(import.meta.url);
const loaded = new Map<string, Solc>();

/**
 * The compiler of exactly `version` (x.y.z), loaded on first use (each is a ~9-25 MB wasm): a bundled
 * one, else one Hardhat has downloaded into its cache (src/frontend/hhcache.ts).
 */
export function loadCompiler(version: string): Solc {
  let s = loaded.get(version);
  if (s !== undefined) return s;
  const b = BUNDLED.find((x) => x.version === version);
  const cached = b === undefined ? hardhatCompilers().find((c) => c.version === version) : undefined;
  if (b === undefined && cached === undefined) throw new PatchproofError('input', `solc ${version} is neither bundled (${BUNDLED_LIST}) nor in Hardhat's compiler cache (${hardhatCacheDir()}${cachedList()}); patchproof never downloads compilers`);
  s = b !== undefined ? (require(b.pkg) as Solc) : loadCachedCompiler(cached!);
  loaded.set(version, s);
  return s;
}

let cache: readonly CachedCompiler[] | undefined;

/** What Hardhat's compiler cache holds, read once per process. */
export function hardhatCompilers(): readonly CachedCompiler[] {
  cache ??= cachedCompilers();
  return cache;
}

function cachedList(): string {
  const all = hardhatCompilers();
  return all.length === 0 ? ': none' : `: ${[...new Set(all.map((c) => c.version))].join(', ')}`;
}

/**
 * The file a compiler was loaded from, for the certificate's hash of it: the bundled package's
 * soljson.js, or the cached Hardhat download. The main `solc` package when neither has that version
 * (build-info used as stored, without compiling).
 */
export function compilerFile(longVersion: string): string {
  const short = shortVersion(longVersion);
  const pkg = BUNDLED.find((b) => b.version === short)?.pkg;
  const cached = pkg === undefined ? hardhatCompilers().find((c) => c.version === short) : undefined;
  if (cached !== undefined) return cached.file;
  return require.resolve(pkg ?? 'solc').replace(/index\.js$/, 'soljson.js');
}

/** x.y.z of a long version (`0.8.24+commit.e11b9ed9.Emscripten.clang`), or undefined. */
export function shortVersion(long: string): string | undefined {
  return /^v?(\d+\.\d+\.\d+)/.exec(long)?.[1];
}

/** True for code compiled by solc before 0.8.0, whose semantics (wrapping arithmetic, older AST) are not modelled. */
export function isPre08(long: string): boolean {
  const m = /^v?(\d+)\.(\d+)\./.exec(long);
  return m !== null && Number(m[1]) === 0 && Number(m[2]) < 8;
}

/**
 * The evmVersion setting for a compiler: cancun where it is known (0.8.24+), else the newest that
 * compiler knows, since older compilers reject names they do not know. Code for an older EVM runs
 * unchanged on the cancun EVM that replay and the differential harness use.
 */
export function evmVersionFor(version: string): string {
  if (semver.satisfies(version, '>=0.8.24')) return 'cancun';
  if (semver.satisfies(version, '>=0.8.20')) return 'shanghai';
  if (semver.satisfies(version, '>=0.8.18')) return 'paris';
  if (semver.satisfies(version, '>=0.8.7')) return 'london';
  if (semver.satisfies(version, '>=0.8.5')) return 'berlin';
  return 'istanbul';
}

export interface Pragma {
  readonly unit: string;
  readonly range: string;
  readonly line: number;
  /** 1-based, as solc's diagnostics. */
  readonly col: number;
}

/** The `pragma solidity` ranges of a source file (comments ignored, by parsing). */
export function pragmasOf(unit: string, content: string): Pragma[] {
  let ast;
  try {
    ast = parse(content, { loc: true, tolerant: true });
  } catch {
    return []; // Unparseable: solc reports the syntax error with a better message.
  }
  return ast.children.flatMap((n) => (n.type === 'PragmaDirective' && n.name === 'solidity' ? [{ unit, range: n.value, line: n.loc?.start.line ?? 0, col: (n.loc?.start.column ?? 0) + 1 }] : []));
}

/**
 * The newest bundled compiler satisfying every pragma (the entry file's and its imports'). Files
 * without a pragma constrain nothing; with none at all, the newest bundled compiler is used.
 */
export function resolveVersion(pragmas: readonly Pragma[]): string {
  for (const p of pragmas) {
    if (semver.validRange(p.range) === null) throw new PatchproofError('input', `${p.unit}:${p.line}:${p.col}: pragma solidity ${p.range} is not a version range patchproof understands`);
  }
  // Bundled compilers first (the same on every machine); then what Hardhat has downloaded.
  const versions = [...BUNDLED.map((b) => b.version), ...hardhatCompilers().map((c) => c.version)];
  const fits = versions.find((v) => pragmas.every((p) => semver.satisfies(v, p.range)));
  if (fits !== undefined) return fits;
  const alone = pragmas.find((p) => !versions.some((v) => semver.satisfies(v, p.range)));
  const what = alone !== undefined
    ? `${alone.unit}:${alone.line}:${alone.col}: pragma solidity ${alone.range} is satisfied by no available compiler`
    : `no available compiler satisfies all of the pragmas together (${pragmas.map((p) => `${p.unit}:${p.line}:${p.col} ${p.range}`).join('; ')})`;
  throw new PatchproofError('input', `${what}; bundled: ${BUNDLED_LIST}; in Hardhat's compiler cache (${hardhatCacheDir()})${cachedList()} (patchproof never downloads compilers)`);
}
