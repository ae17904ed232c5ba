/*
 * Writes the build-info files of the fixture projects in fixtures-projects/ as Foundry, Hardhat 2 and
 * Hardhat 3 write them, compiling with the bundled solc-js (neither forge nor Hardhat's compiler download
 * works where the tests run). Run it after changing a fixture project's sources:
 *
 *   npx tsx scripts/build-info-fixtures.ts
 *
 * The formats, as each tool documents and writes them:
 * - Foundry (`out/build-info/<id>.json`, foundry-compilers' Hardhat-compatible BuildInfo):
 *   { id, _format: "ethers-rs-sol-build-info-1", solcVersion, solcLongVersion, input, output }, the
 *   output selection Foundry asks for plus foundry.toml's `extra_output` (here storageLayout), and the
 *   foundry.toml remappings in `input.settings.remappings`. Source unit names are project-relative.
 * - Hardhat 2 (`artifacts/build-info/<id>.json`): { _format: "hh-sol-build-info-1", id, solcVersion,
 *   solcLongVersion, input, output } with Hardhat's default output selection (no storageLayout), id the
 *   md5 of the JSON of { _format, solcVersion, solcLongVersion, input } as Hardhat 2 computes it.
 * - Hardhat 3 (`artifacts/build-info/<id>.json` and `<id>.output.json`): the input file
 *   { _format: "hh3-sol-build-info-1", id, solcVersion, solcLongVersion, userSourceNameMap, input } and
 *   the output file { _format: "hh3-sol-build-info-output-1", id, output }; source unit names carry the
 *   `project/` prefix and userSourceNameMap maps `contracts/X.sol` to them.
 * Every project compiles with evmVersion cancun and the optimizer off, as its config file says.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import solc from 'solc';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures-projects');

const SOLC_VERSION = solc.version().replace(/\.Emscripten\.clang$/, '');
const SHORT_VERSION = SOLC_VERSION.split('+')[0]!;

const FOUNDRY_OUTPUT = [
  'abi', 'evm.bytecode.object', 'evm.bytecode.sourceMap', 'evm.bytecode.linkReferences',
  'evm.deployedBytecode.object', 'evm.deployedBytecode.sourceMap', 'evm.deployedBytecode.linkReferences',
  'evm.deployedBytecode.immutableReferences', 'evm.methodIdentifiers', 'metadata',
];
const HARDHAT_OUTPUT = ['abi', 'evm.bytecode', 'evm.deployedBytecode', 'evm.methodIdentifiers', 'metadata'];

interface Source {
  readonly unit: string;
  readonly content: string;
}

async function solFiles(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel === '' ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory()) out.push(...(await solFiles(dir, r)));
    else if (e.name.endsWith('.sol')) out.push(r);
  }
  return out.sort();
}

async function sources(project: string, dirs: readonly string[], prefix = ''): Promise<Source[]> {
  const out: Source[] = [];
  for (const d of dirs) {
    for (const f of await solFiles(path.join(project, d))) out.push({ unit: `${prefix}${d}/${f}`, content: await readFile(path.join(project, d, f), 'utf8') });
  }
  return out;
}

function compile(input: object): object {
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as { errors?: { severity: string; formattedMessage: string }[] };
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((e) => e.formattedMessage).join('\n'));
  return output;
}

function standardInput(srcs: readonly Source[], selection: readonly string[], extra: object = {}): object {
  return {
    language: 'Solidity',
    sources: Object.fromEntries(srcs.map((s) => [s.unit, { content: s.content }])),
    settings: { ...extra, optimizer: { enabled: false, runs: 200 }, evmVersion: 'cancun', outputSelection: { '*': { '*': [...selection], '': ['ast'] } } },
  };
}

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

async function writeJson(file: string, value: object): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(value) + '\n');
}

async function foundry(project: string): Promise<void> {
  const input = standardInput(await sources(project, ['src', 'lib']), [...FOUNDRY_OUTPUT, 'storageLayout'], { remappings: ['mathlib/=lib/mathlib/src/'] });
  const id = md5(JSON.stringify(input));
  await rm(path.join(project, 'out'), { recursive: true, force: true });
  const info = { id, _format: 'ethers-rs-sol-build-info-1', solcVersion: SHORT_VERSION, solcLongVersion: SOLC_VERSION, input, output: compile(input) };
  await writeJson(path.join(project, 'out/build-info', `${id}.json`), info);
}

async function hardhat2(project: string): Promise<void> {
  const input = standardInput(await sources(project, ['contracts']), HARDHAT_OUTPUT);
  const head = { _format: 'hh-sol-build-info-1', solcVersion: SHORT_VERSION, solcLongVersion: SOLC_VERSION, input };
  const id = md5(JSON.stringify(head));
  await rm(path.join(project, 'artifacts'), { recursive: true, force: true });
  await writeJson(path.join(project, 'artifacts/build-info', `${id}.json`), { ...head, id, output: compile(input) });
}

async function hardhat3(project: string): Promise<void> {
  const srcs = await sources(project, ['contracts'], 'project/');
  const input = standardInput(srcs, HARDHAT_OUTPUT);
  const id = `solc-${SHORT_VERSION.replace(/\./g, '_')}-${createHash('sha256').update(JSON.stringify(input)).digest('hex').slice(0, 40)}`;
  const userSourceNameMap = Object.fromEntries(srcs.map((s) => [s.unit.slice('project/'.length), s.unit]));
  await rm(path.join(project, 'artifacts'), { recursive: true, force: true });
  await writeJson(path.join(project, 'artifacts/build-info', `${id}.json`), { _format: 'hh3-sol-build-info-1', id, solcVersion: SHORT_VERSION, solcLongVersion: SOLC_VERSION, userSourceNameMap, input });
  await writeJson(path.join(project, 'artifacts/build-info', `${id}.output.json`), { _format: 'hh3-sol-build-info-output-1', id, output: compile(input) });
}

for (const v of ['v1', 'v2']) {
  await foundry(path.join(ROOT, 'foundry', v));
  await hardhat2(path.join(ROOT, 'hardhat2', v));
  await hardhat3(path.join(ROOT, 'hardhat3', v));
}
process.stdout.write(`wrote build-info of fixtures-projects/{foundry,hardhat2,hardhat3}/{v1,v2} with solc ${SOLC_VERSION}\n`);
