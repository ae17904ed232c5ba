import { promises as fs } from 'node:fs';
import path from 'node:path';
import { sha256Hex } from '../util/hash.ts';
import { collect, runSolc, selectContract, SETTINGS, type Compilation, type ContractOutput, type LoadedFile, type SolcOutput } from './compile.ts';
import { fromSolcError, PatchproofError, type Diagnostic } from './errors.ts';
import { BUNDLED, BUNDLED_LIST, hardhatCompilers, loadCompiler, shortVersion } from './compilers.ts';

/**
 * Build-info inputs: the solc standard JSON input and output a build tool stored, read instead of
 * compiling the sources again. Formats (see scripts/build-info-fixtures.ts, which writes each):
 * Foundry `out/build-info/<id>.json` (`_format` ethers-rs-sol-build-info-1), Hardhat 2
 * `artifacts/build-info/<id>.json` (hh-sol-build-info-1), Hardhat 3 `artifacts/build-info/<id>.json`
 * (hh3-sol-build-info-1, input only) beside `<id>.output.json` (hh3-sol-build-info-output-1).
 *
 * The stored output is used as it is when it has everything the checker reads (the AST, ABI, method
 * identifiers, runtime code with its immutable and link references, storage layout). Build tools leave
 * the storage layout out by default; then the stored input is compiled again with the extra output, by
 * the bundled compiler when it is the exact version that made the build, and every contract's runtime
 * code must come out byte for byte as stored, or the build-info is refused.
 */

export interface ContractRef {
  /** Source unit as the user names it (`src/Vault.sol`, or Hardhat 3's `contracts/Vault.sol`); absent: search by name. */
  readonly unit?: string;
  readonly name?: string;
}

/** `path/File.sol:Name`, `Name` or `path/File.sol`. */
export function parseContractRef(s: string | undefined): ContractRef {
  if (s === undefined) return {};
  const i = s.lastIndexOf(':');
  if (i < 0) return s.endsWith('.sol') ? { unit: s } : { name: s };
  return { unit: s.slice(0, i), name: s.slice(i + 1) };
}

export interface BuildInfoSide {
  readonly comp: Compilation;
  readonly contract: ContractOutput;
  /** The build-info file read. */
  readonly file: string;
  readonly format: BuildInfoFormat;
  /** Whether the stored input had to be compiled again (for the storage layout, say). */
  readonly recompiled: boolean;
}

export type BuildInfoFormat = 'foundry' | 'hardhat2' | 'hardhat3';

const FORMATS: Readonly<Record<string, BuildInfoFormat>> = {
  'ethers-rs-sol-build-info-1': 'foundry',
  'hh-sol-build-info-1': 'hardhat2',
  'hh3-sol-build-info-1': 'hardhat3',
};

interface Stored {
  readonly file: string;
  readonly format: BuildInfoFormat;
  readonly solcLongVersion: string;
  readonly input: { sources: Record<string, { content?: string }>; settings?: Record<string, unknown> };
  readonly output: () => Promise<SolcOutput>;
  /** Hardhat 3: user source name → input source name. */
  readonly userSourceNameMap: Readonly<Record<string, string>>;
}

/** Whether a path holds build-info: a .json file, or a directory with build-info files in it or below (build-info/, out/build-info/, artifacts/build-info/). */
export async function buildInfoDir(p: string): Promise<string | undefined> {
  const st = await fs.stat(p).catch(() => undefined);
  if (st === undefined) return undefined;
  if (st.isFile()) return p.endsWith('.json') ? p : undefined;
  for (const sub of ['.', 'build-info', 'out/build-info', 'artifacts/build-info']) {
    const d = path.join(p, sub);
    const names = await fs.readdir(d).catch(() => [] as string[]);
    if (names.some((n) => n.endsWith('.json') && !n.endsWith('.output.json'))) return d;
  }
  return undefined;
}

/** The project root of a build-info file: the directory above `out/` or `artifacts/`, else the file's directory. */
export function buildInfoRoot(file: string): string {
  const dir = path.dirname(path.resolve(file));
  return path.basename(dir) === 'build-info' ? path.dirname(path.dirname(dir)) : dir;
}

export async function loadBuildInfo(arg: string, ref: ContractRef, opts: { root?: string; cacheDir?: string } = {}): Promise<BuildInfoSide> {
  const where = await buildInfoDir(arg);
  if (where === undefined) throw new PatchproofError('input', `${arg} holds no build-info (a .json file, or a directory with build-info/, out/build-info/ or artifacts/build-info/)`);
  const files = where.endsWith('.json') ? [where.replace(/\.output\.json$/, '.json')] : (await fs.readdir(where)).filter((n) => n.endsWith('.json') && !n.endsWith('.output.json')).sort().map((n) => path.join(where, n));
  const stored = (await Promise.all(files.map(readStored))).filter((s): s is Stored => s !== undefined);
  if (stored.length === 0) throw new PatchproofError('input', `${arg}: no build-info file of a known format (${Object.keys(FORMATS).join(', ')})`);
  const picked = await pick(arg, stored, ref);
  const unit = picked.unit;
  const s = picked.stored;
  const root = opts.root === undefined ? buildInfoRoot(s.file) : path.resolve(opts.root);
  refuseUnsupported(s);
  const loaded = new Map<string, LoadedFile>();
  for (const [u, src] of Object.entries(s.input.sources)) {
    if (typeof src.content !== 'string') throw new PatchproofError('input', `${s.file}: source ${u} is stored without its content (urls only); rebuild with the sources embedded`);
    loaded.set(u, { unit: u, absPath: path.join(root, s.format === 'hardhat3' ? u.replace(/^project\//, '') : u), content: src.content });
  }
  let output = await s.output();
  const missing = missingOutputs(output);
  const recompiled = missing.length > 0;
  if (recompiled) output = await recompile(s, output, missing, loaded, opts.cacheDir);
  const { sources, sourcesById, contracts } = collect(output, loaded);
  const inputJson = JSON.stringify(s.input);
  const comp: Compilation = {
    solcVersion: s.solcLongVersion,
    settings: s.input.settings ?? {},
    input: s.input,
    inputSha256: sha256Hex(inputJson),
    root,
    entry: unit,
    sources,
    sourcesById,
    contracts,
    warnings: [],
  };
  return { comp, contract: selectContract(comp, ref.name), file: s.file, format: s.format, recompiled };
}

async function readStored(file: string): Promise<Stored | undefined> {
  const json = await fs.readFile(file, 'utf8').then((t) => JSON.parse(t) as Record<string, unknown>, (e: Error) => {
    throw new PatchproofError('input', `cannot read build-info ${file}: ${e.message}`);
  });
  const format = typeof json._format === 'string' ? FORMATS[json._format] : undefined;
  const input = json.input as Stored['input'] | undefined;
  if (format === undefined || typeof input !== 'object' || input === null || typeof input.sources !== 'object') return undefined;
  const solcLongVersion = typeof json.solcLongVersion === 'string' ? json.solcLongVersion : '';
  const output = async (): Promise<SolcOutput> => {
    if (format !== 'hardhat3') return (json.output ?? {}) as SolcOutput;
    const outFile = file.replace(/\.json$/, '.output.json');
    const o = await fs.readFile(outFile, 'utf8').then((t) => JSON.parse(t) as { _format?: string; id?: string; output?: SolcOutput }, () => undefined);
    if (o?._format !== 'hh3-sol-build-info-output-1' || o.id !== json.id) throw new PatchproofError('input', `${file}: its output file ${outFile} is missing or belongs to another build`);
    return o.output ?? {};
  };
  const map = (format === 'hardhat3' ? json.userSourceNameMap : undefined) as Record<string, string> | undefined;
  return { file, format, solcLongVersion, input, output, userSourceNameMap: map ?? {} };
}

/** The one build-info that compiled the contract; several that agree on sources and settings count as one. */
async function pick(arg: string, stored: readonly Stored[], ref: ContractRef): Promise<{ stored: Stored; unit: string }> {
  const hits: { stored: Stored; unit: string }[] = [];
  for (const s of stored) {
    const unitOf = (u: string) => s.userSourceNameMap[u] ?? u;
    if (ref.unit !== undefined) {
      const u = unitOf(ref.unit);
      if (s.input.sources[u] !== undefined) hits.push({ stored: s, unit: u });
      continue;
    }
    if (ref.name === undefined) throw new PatchproofError('usage', `with build-info, name the contract: --contract path/File.sol:Name`);
    const out = await s.output();
    const units = Object.entries(out.contracts ?? {}).filter(([, cs]) => ref.name! in cs).map(([u]) => u);
    if (units.length > 1) throw new PatchproofError('usage', `several contracts named ${ref.name} in ${s.file} (${units.join(', ')}): pass --contract path/File.sol:${ref.name}`);
    if (units[0] !== undefined) hits.push({ stored: s, unit: units[0] });
  }
  const what = ref.unit ?? ref.name ?? '';
  if (hits.length === 0) throw new PatchproofError('input', `no build-info in ${arg} compiled ${what} (${stored.length} file(s) read); rebuild, or check the --contract path`);
  const key = (h: { stored: Stored; unit: string }) => JSON.stringify([h.stored.solcLongVersion, h.stored.input.sources, h.stored.input.settings]);
  if (hits.some((h) => key(h) !== key(hits[0]!))) {
    throw new PatchproofError('input', `several build-info files in ${arg} compiled ${what} differently (${hits.map((h) => path.basename(h.stored.file)).join(', ')}); pass the one to use, or clean and rebuild`);
  }
  return hits[0]!;
}

function refuseUnsupported(s: Stored): void {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(s.solcLongVersion);
  if (m === null) throw new PatchproofError('input', `${s.file}: no solcLongVersion`);
  // The lowering models 0.8 semantics (checked arithmetic, 0.8 AST shapes); older code would be guessed.
  if (Number(m[1]) === 0 && Number(m[2]) < 8) throw new PatchproofError('input', `${s.file} was compiled by solc ${m[0]}: code before 0.8.0 (wrapping arithmetic, older AST) is not supported`);
  // The IR-based pipeline orders some evaluations differently; the lowering models the legacy pipeline.
  if (s.input.settings?.viaIR === true) throw new PatchproofError('input', `${s.file} was compiled with viaIR: the IR-based code generator's semantics differ from the legacy pipeline's that patchproof models; build without viaIR`);
}

/** What the checker reads that the stored output lacks, e.g. `storageLayout of src/A.sol:A`. */
function missingOutputs(o: SolcOutput): string[] {
  const missing: string[] = [];
  for (const [u, src] of Object.entries(o.sources ?? {})) if (src.ast === undefined) missing.push(`ast of ${u}`);
  if (o.sources === undefined) missing.push('sources');
  for (const [u, cs] of Object.entries(o.contracts ?? {})) {
    for (const [n, c] of Object.entries(cs)) {
      const at = `${u}:${n}`;
      if (c.storageLayout === undefined) missing.push(`storageLayout of ${at}`);
      if (c.abi === undefined) missing.push(`abi of ${at}`);
      if (c.evm?.methodIdentifiers === undefined) missing.push(`evm.methodIdentifiers of ${at}`);
      const d = c.evm?.deployedBytecode;
      if (d?.object === undefined || d.immutableReferences === undefined || d.linkReferences === undefined) missing.push(`evm.deployedBytecode of ${at}`);
    }
  }
  return missing;
}

async function recompile(s: Stored, stored: SolcOutput, missing: readonly string[], files: Map<string, LoadedFile>, cacheDir: string | undefined): Promise<SolcOutput> {
  const strip = (v: string) => v.replace(/\.Emscripten\.clang$/, '');
  const want = strip(s.solcLongVersion);
  const short = shortVersion(want);
  const compiler = short !== undefined && (BUNDLED.some((b) => b.version === short) || hardhatCompilers().some((c) => c.version === short)) ? loadCompiler(short) : undefined;
  // Exact match, commit included: another build of the same x.y.z is another compiler.
  if (compiler === undefined || strip(compiler.version()) !== want) {
    throw new PatchproofError('input', `${s.file} lacks ${missing[0]}${missing.length > 1 ? ` (and ${missing.length - 1} more)` : ''} and was made by solc ${want}; recompiling needs that exact compiler, and the bundled ones are ${BUNDLED_LIST} (Hardhat's compiler cache is searched too). Add storageLayout to the build's output selection (Foundry: extra_output = ["storageLayout"]; Hardhat: outputSelection) and rebuild`);
  }
  const input = { ...s.input, settings: { ...(s.input.settings ?? {}), outputSelection: structuredClone(SETTINGS.outputSelection) } };
  const warnings: Diagnostic[] = [];
  const output = await runSolc(JSON.stringify(input), compiler, files, cacheDir, warnings);
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length > 0) throw new PatchproofError('compile', `recompiling the stored input of ${s.file} failed`, errors.map((e) => fromSolcError(e, (u) => files.get(u)?.content)));
  // The recompiled code must be the code that was built, or we would prove things about other code.
  for (const [u, cs] of Object.entries(stored.contracts ?? {})) {
    for (const [n, c] of Object.entries(cs)) {
      const was = c.evm?.deployedBytecode?.object;
      const now = output.contracts?.[u]?.[n]?.evm?.deployedBytecode?.object;
      if (was !== undefined && was !== now) throw new PatchproofError('input', `recompiling ${s.file} for ${missing[0]} gave different runtime code for ${u}:${n} than the build stored; the build-info cannot be reproduced`);
    }
  }
  return output;
}
