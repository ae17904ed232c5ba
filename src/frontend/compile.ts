import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse } from '@solidity-parser/parser';
import { invariant } from '../util/assert.ts';
import { sha256Hex } from '../util/hash.ts';
import { LineIndex, type SrcLoc } from '../util/loc.ts';
import { applyRemappings, formatRemapping, readProject, type ProjectConfig } from './project.ts';
import { diagnostic, fromSolcError, PatchproofError, type Diagnostic, type SolcError } from './errors.ts';
import { BUNDLED_LIST, evmVersionFor, loadCompiler, pragmasOf, resolveVersion, type Solc } from './compilers.ts';

export interface CompileOptions {
  /** Project root; default: directory of the entry file. No import may resolve outside it. */
  root?: string;
  /** When set, solc output is cached here keyed by sha256 of (solc long version + standard JSON input). */
  cacheDir?: string;
  /** Source text to use instead of a file's content, by real absolute path (instrumented copies: obligations/conditions.ts, src/spec). */
  contents?: ReadonlyMap<string, string>;
}

export interface SourceUnit {
  /** Unit name: path relative to root, posix separators. Also solc's source unit name. */
  path: string;
  absPath: string;
  content: string;
  sha256: string;
  /** solc source id, the third field of every `src` attribute. */
  id: number;
  /** solc compact AST (SourceUnit). */
  ast: any;
  lines: LineIndex;
}

export interface ContractOutput {
  name: string;
  unit: string;
  abi: any[];
  methodIdentifiers: Record<string, string>;
  storageLayout: { storage: any[]; types: Record<string, any> | null };
  deployedBytecode: string;
  bytecode: string;
  immutableReferences: Record<string, { start: number; length: number }[]>;
  /** Where the runtime code calls external libraries: source unit → library name → placeholder byte ranges (see link.ts). */
  linkReferences: LinkReferences;
  metadata: string;
  /** The ContractDefinition node. */
  ast: any;
}

export interface Compilation {
  solcVersion: string;
  settings: object;
  input: object;
  inputSha256: string;
  root: string;
  entry: string;
  sources: Map<string, SourceUnit>;
  sourcesById: Map<number, SourceUnit>;
  /** Every contract of every unit, ordered by source id then position in the file. */
  contracts: ContractOutput[];
  warnings: Diagnostic[];
}

/** The parts of solc's standard JSON output we read. */
interface SolcContract {
  abi?: any[];
  metadata?: string;
  storageLayout?: ContractOutput['storageLayout'];
  evm?: {
    methodIdentifiers?: Record<string, string>;
    bytecode?: { object?: string };
    deployedBytecode?: { object?: string; immutableReferences?: ContractOutput['immutableReferences']; linkReferences?: LinkReferences };
  };
}

export type LinkReferences = Record<string, Record<string, readonly { readonly start: number; readonly length: number }[]>>;
export interface SolcOutput {
  errors?: SolcError[];
  sources?: Record<string, { id: number; ast: any }>;
  contracts?: Record<string, Record<string, SolcContract>>;
}
export type LoadedFile = { unit: string; absPath: string; content: string };

export const SETTINGS = {
  optimizer: { enabled: false },
  evmVersion: 'cancun',
  outputSelection: {
    '*': {
      '*': ['abi', 'evm.methodIdentifiers', 'evm.deployedBytecode.object', 'evm.deployedBytecode.immutableReferences',
        'evm.deployedBytecode.linkReferences', 'evm.bytecode.object', 'storageLayout', 'metadata'],
      '': ['ast'],
    },
  },
} as const;

const WIDEN_ROOT = 'pass --root <dir> to widen the project root';

export async function compileFile(file: string, opts: CompileOptions = {}): Promise<Compilation> {
  // Real paths, so a symlinked root or entry cannot make the containment checks disagree.
  const entryAbs = await realPath(file, 'file');
  const root = opts.root === undefined ? path.dirname(entryAbs) : await realPath(opts.root, 'root');
  const entry = unitName(root, entryAbs);
  if (entry === undefined) {
    throw new PatchproofError('input', `${file} is outside the project root ${root}; ${WIDEN_ROOT}`);
  }
  const readAt = async (abs: string) => opts.contents?.get(abs) ?? (await read(abs));
  // Only an explicit root is a project whose foundry.toml or Hardhat layout decides how imports resolve.
  const project = opts.root === undefined ? undefined : await readProject(root);
  const files = await loadImportGraph(root, { unit: entry, absPath: entryAbs, content: await readAt(entryAbs) }, readAt, project);

  const sortedUnits = [...files.keys()].sort();
  const sourcesJson = Object.fromEntries(sortedUnits.map((u) => [u, { content: files.get(u)!.content }]));
  const remappings = project?.remappings.map(formatRemapping) ?? [];
  // The newest bundled compiler every pragma of the import graph admits.
  const version = resolveVersion(sortedUnits.flatMap((u) => pragmasOf(u, files.get(u)!.content)));
  const compiler = loadCompiler(version);
  if (project?.viaIR === true) throw new PatchproofError('input', `${path.join(root, 'foundry.toml')}: via_ir = true: the IR-based code generator's semantics differ from the legacy pipeline's that patchproof models; check a profile without via_ir`);
  // The project's optimizer and EVM version, so the code compiled is the code it builds.
  const base = { ...structuredClone(SETTINGS), evmVersion: evmVersionFor(version), ...(project?.settings ?? {}) };
  const settings = (remappings.length ? { ...base, remappings } : base) as object;
  const input = { language: 'Solidity', sources: sourcesJson, settings };
  const inputJson = JSON.stringify(input);
  const solcVersion: string = compiler.version();
  const warnings: Diagnostic[] = [];
  const output = await runSolc(inputJson, compiler, files, opts.cacheDir, warnings);

  const problems = (output.errors ?? []).map((e) => fromSolcError(e, (unit) => files.get(unit)?.content));
  const errors = problems.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    const pragma = errors.some((d) => /requires different compiler version/i.test(d.message));
    const hint = pragma ? `; solc ${version} was chosen from the pragmas (bundled: ${BUNDLED_LIST}) and a pragma excludes it` : '';
    throw new PatchproofError('compile', `compilation of ${file} failed with ${errors.length} error(s)${hint}`, errors);
  }
  warnings.push(...problems);
  const { sources, sourcesById, contracts } = collect(output, files);
  const inputSha256 = sha256Hex(inputJson);
  return { solcVersion, settings, input, inputSha256, root, entry, sources, sourcesById, contracts, warnings };
}

type Collected = Pick<Compilation, 'sources' | 'sourcesById' | 'contracts'>;

export function collect(output: SolcOutput, files: Map<string, LoadedFile>): Collected {
  const sources = new Map<string, SourceUnit>();
  const sourcesById = new Map<number, SourceUnit>();
  for (const [unit, out] of Object.entries(output.sources ?? {})) {
    const f = files.get(unit);
    invariant(f, `solc returned a source unit ${unit} that was not loaded`);
    const { absPath, content } = f;
    const su: SourceUnit = { path: unit, absPath, content, sha256: sha256Hex(content),
      id: out.id, ast: out.ast, lines: LineIndex.of(content) };
    sources.set(unit, su);
    sourcesById.set(su.id, su);
  }
  const contracts: ContractOutput[] = [];
  for (const su of [...sourcesById.values()].sort((a, b) => a.id - b.id)) {
    for (const node of su.ast.nodes ?? []) {
      if (node.nodeType === 'ImportDirective') {
        // Our unit names must be solc's; a mismatch would compile one file twice under two names.
        invariant(sources.has(node.absolutePath), `import ${node.absolutePath} of ${su.path} is not a loaded unit`);
      }
      if (node.nodeType !== 'ContractDefinition') continue;
      const out = output.contracts?.[su.path]?.[node.name];
      invariant(out, `solc produced no output for contract ${su.path}:${node.name}`);
      contracts.push(contractOutput(su.path, node, out));
    }
  }
  return { sources, sourcesById, contracts };
}

/** Location of a solc `src` attribute ("start:length:sourceIndex"). */
export function locOf(comp: Compilation, src: string, astId: number): SrcLoc {
  const m = /^(\d+):(-?\d+):(-?\d+)$/.exec(src);
  invariant(m, `malformed solc src attribute "${src}"`);
  // Index -1 (or one we never saw, e.g. generated Yul) has no file to point into.
  const unit = comp.sourcesById.get(Number(m[3]));
  if (unit === undefined) return { file: '<unknown>', line: 0, col: 0, astId };
  const { line, col } = unit.lines.position(Number(m[1]));
  return { file: unit.path, line, col, astId };
}

/** Pick the contract by name, else the last deployable `contract` defined in the entry file. */
export function selectContract(comp: Compilation, name?: string): ContractOutput {
  const inEntry = comp.contracts.filter((c) => c.unit === comp.entry);
  const available = inEntry.map(describe).join(', ') || 'none';
  if (name !== undefined) {
    const own = inEntry.find((c) => c.name === name);
    if (own) return own;
    // A contract from an imported file is fine as long as its name is unambiguous.
    const elsewhere = comp.contracts.filter((c) => c.name === name);
    if (elsewhere.length === 1) return elsewhere[0]!;
    const units = elsewhere.map((c) => c.unit).join(', ');
    const where = elsewhere.length > 1 ? ` (defined in several imported files: ${units})` : '';
    throw new PatchproofError('usage', `no contract named ${name} in ${comp.entry}${where}; available: ${available}`);
  }
  const deployable = inEntry.filter((c) => c.ast.contractKind === 'contract' && !c.ast.abstract);
  const last = deployable[deployable.length - 1];
  if (last === undefined) {
    const msg = `${comp.entry} defines no deployable contract (found: ${available}); pass --contract <Name>`;
    throw new PatchproofError('input', msg);
  }
  return last;
}

/** All contract definitions (AST nodes) of the compilation keyed by AST id. */
export function contractDefinitions(comp: Compilation): Map<number, any> {
  const defs = new Map<number, any>();
  for (const su of comp.sources.values()) {
    for (const node of su.ast.nodes ?? []) if (node.nodeType === 'ContractDefinition') defs.set(node.id, node);
  }
  return defs;
}

function describe(c: ContractOutput): string {
  const kind: string = c.ast.abstract ? 'abstract contract' : c.ast.contractKind;
  return kind === 'contract' ? c.name : `${c.name} (${kind})`;
}

function contractOutput(unit: string, node: any, out: SolcContract): ContractOutput {
  return {
    name: node.name,
    unit,
    abi: out.abi ?? [],
    methodIdentifiers: out.evm?.methodIdentifiers ?? {},
    storageLayout: out.storageLayout ?? { storage: [], types: null },
    deployedBytecode: '0x' + (out.evm?.deployedBytecode?.object ?? ''),
    bytecode: '0x' + (out.evm?.bytecode?.object ?? ''),
    immutableReferences: out.evm?.deployedBytecode?.immutableReferences ?? {},
    linkReferences: out.evm?.deployedBytecode?.linkReferences ?? {},
    metadata: out.metadata ?? '',
    ast: node,
  };
}

export async function runSolc(
  inputJson: string,
  compiler: Solc,
  files: Map<string, LoadedFile>,
  cacheDir: string | undefined,
  warnings: Diagnostic[],
): Promise<SolcOutput> {
  // The long version is part of the key: one input compiled by two compilers gives two entries.
  const key = sha256Hex(compiler.version() + '\n' + inputJson);
  const cacheFile = cacheDir === undefined ? undefined : path.join(cacheDir, `${key}.json`);
  if (cacheFile !== undefined) {
    const hit = await fs.readFile(cacheFile, 'utf8').then((t) => JSON.parse(t) as SolcOutput, () => undefined);
    // A corrupt or foreign entry is simply recompiled and overwritten.
    if (hit && typeof hit === 'object' && hit.sources) return hit;
  }
  // Every import was pre-loaded; anything solc asks for beyond that is a resolution mismatch.
  const loaded = [...files.keys()].join(', ');
  const refuse = (p: string) => ({ error: `patchproof: ${p} was not pre-loaded (loaded: ${loaded})` });
  const raw: string = compiler.compile(inputJson, { import: refuse });
  const output = JSON.parse(raw) as SolcOutput;
  const failed = (output.errors ?? []).some((e) => e.severity === 'error');
  if (cacheFile !== undefined && !failed) {
    const tmp = `${cacheFile}.${process.pid}.${randomUUID()}.tmp`;
    try {
      await fs.mkdir(path.dirname(cacheFile), { recursive: true });
      await fs.writeFile(tmp, raw);
      await fs.rename(tmp, cacheFile);
    } catch (err) {
      await fs.rm(tmp, { force: true }).catch(() => undefined);
      const message = `could not write solc cache ${cacheFile}: ${(err as Error).message}`;
      warnings.push(diagnostic({ severity: 'warning', code: 'cache-write', message }));
    }
  }
  return output;
}

/** Walks the import graph from the entry so every unit is handed to solc with its content. */
async function loadImportGraph(root: string, entry: LoadedFile, readAt: (abs: string) => Promise<string>, project?: ProjectConfig): Promise<Map<string, LoadedFile>> {
  const files = new Map<string, LoadedFile>([[entry.unit, entry]]);
  const queue = [entry];
  const problems: Diagnostic[] = [];
  for (let f = queue.shift(); f !== undefined; f = queue.shift()) {
    for (const imp of importsOf(f.content)) {
      const relative = imp.path.startsWith('./') || imp.path.startsWith('../');
      const at = `import "${imp.path}"`;
      const fail = (code: string, message: string) =>
        problems.push(diagnostic({ severity: 'error', code, message, file: f!.unit, line: imp.line, col: imp.col }));
      const fromPackage = project === undefined ? undefined : await projectImport(root, project, f, imp.path, relative);
      if (fromPackage !== undefined) {
        if (!files.has(fromPackage.unit)) {
          const loaded = { ...fromPackage, content: await readAt(fromPackage.absPath) };
          files.set(loaded.unit, loaded);
          queue.push(loaded);
        }
        continue;
      }
      // solc names a relative import after the importer's unit name and a direct one as written.
      const abs = relative ? path.resolve(path.dirname(f.absPath), imp.path) : path.join(root, imp.path);
      const unit = unitName(root, abs);
      if (unit === undefined) {
        fail('import-outside-root', `${at} resolves to ${abs}, outside the project root ${root}; ${WIDEN_ROOT}`);
        continue;
      }
      if (!relative && unit !== imp.path) {
        const fix = `write "${unit}" or a relative "./" import`;
        fail('import-not-normalized', `${at} is not a normalized root-relative path (resolves to ${abs}); ${fix}`);
        continue;
      }
      if (files.has(unit)) continue;
      const stat = await fs.stat(abs).catch(() => undefined);
      if (!stat?.isFile()) {
        const base = relative ? `the directory of ${f.unit}` : `the project root ${root}`;
        const fix = `fix the import or ${WIDEN_ROOT}`;
        fail('import-missing', `${at} resolves to ${abs} (against ${base}), which is not a file; ${fix}`);
        continue;
      }
      const loaded = { unit, absPath: abs, content: await readAt(abs) };
      files.set(unit, loaded);
      queue.push(loaded);
    }
  }
  const first = problems[0];
  if (first !== undefined) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more import problem(s))` : '';
    throw new PatchproofError('input', `${first.file}:${first.line}: ${first.message}${more}`, problems);
  }
  return files;
}

function importsOf(content: string): { path: string; line: number; col: number }[] {
  let ast;
  try {
    ast = parse(content, { loc: true, tolerant: true });
  } catch {
    return []; // Unparseable: solc reports the syntax error with a better message.
  }
  // The parser's columns are 0-based.
  return ast.children.flatMap((n) => {
    if (n.type !== 'ImportDirective') return [];
    return [{ path: n.path, line: n.loc?.start.line ?? 0, col: (n.loc?.start.column ?? 0) + 1 }];
  });
}

/**
 * An import the project's configuration resolves: a remapped direct import (unit: the remapped path,
 * as solc names it), a Hardhat package import from node_modules (unit: the import path, as Hardhat
 * names it), or a relative import inside such a package (unit: relative to the importer's unit).
 * Undefined: resolve as a plain root-relative import.
 */
async function projectImport(root: string, project: ProjectConfig, from: LoadedFile, imp: string, relative: boolean): Promise<{ unit: string; absPath: string } | undefined> {
  const isFile = (abs: string) => fs.stat(abs).then((s) => s.isFile(), () => false);
  const inside = (abs: string) => unitName(root, abs) !== undefined;
  if (relative) {
    // Only units not named by their path under the root (package imports) need their own rule.
    if (unitName(root, from.absPath) === from.unit) return undefined;
    const unit = path.posix.normalize(path.posix.join(path.posix.dirname(from.unit), imp));
    const abs = path.resolve(path.dirname(from.absPath), imp);
    return inside(abs) && (await isFile(abs)) ? { unit, absPath: abs } : undefined;
  }
  const remapped = applyRemappings(project.remappings, from.unit, imp);
  if (remapped !== imp) {
    const unit = path.posix.normalize(remapped);
    const abs = path.join(root, unit);
    return inside(abs) && (await isFile(abs)) ? { unit, absPath: abs } : undefined;
  }
  if (!project.nodeModules || (await isFile(path.join(root, imp)))) return undefined;
  const abs = path.join(root, 'node_modules', imp);
  return inside(abs) && (await isFile(abs)) ? { unit: imp, absPath: abs } : undefined;
}

/** Root-relative posix path, or undefined when `abs` lies outside `root`. */
function unitName(root: string, abs: string): string | undefined {
  const rel = path.relative(root, abs);
  if (rel === '' || rel === '..' || rel.startsWith('..' + path.sep) || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}

async function realPath(p: string, what: 'file' | 'root'): Promise<string> {
  const real = await fs.realpath(p).catch(() => undefined);
  if (real === undefined) throw new PatchproofError('input', `${what} not found: ${p}`);
  const isDir = (await fs.stat(real)).isDirectory();
  if (what === 'file' && isDir) throw new PatchproofError('input', `${p} is a directory; pass a .sol file`);
  if (what === 'root' && !isDir) throw new PatchproofError('input', `root ${p} is not a directory`);
  return real;
}

async function read(abs: string): Promise<string> {
  return fs.readFile(abs, 'utf8').catch((err: Error) => {
    throw new PatchproofError('input', `cannot read ${abs}: ${err.message}`);
  });
}
