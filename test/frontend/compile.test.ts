import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import solc from 'solc';
import { describe, expect, it, vi } from 'vitest';
import { compileFile, contractDefinitions, locOf, selectContract } from '../../src/frontend/compile.ts';
import { PatchproofError } from '../../src/frontend/errors.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const input = (p: string) => path.join(here, 'inputs', p);
// Shared cache keeps reruns fast; failures are never cached so error tests always run solc.
const cacheRoot = path.resolve(here, '../../node_modules/.cache/patchproof-test');
const opts = { cacheDir: cacheRoot };

async function failure(p: Promise<unknown>): Promise<PatchproofError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PatchproofError);
  return err as PatchproofError;
}

describe('compileFile', () => {
  it('compiles a project with relative and root-relative imports under consistent unit names', async () => {
    const comp = await compileFile(input('proj/Main.sol'), opts);
    expect(comp.entry).toBe('Main.sol');
    expect([...comp.sources.keys()].sort()).toEqual(['Main.sol', 'lib/Base.sol', 'lib/MathLib.sol']);
    expect(comp.solcVersion).toMatch(/^0\.8\.30\+commit\./);
    const main = selectContract(comp);
    expect(main.name).toBe('Main');
    expect(main.deployedBytecode).toMatch(/^0x[0-9a-f]{100,}$/);
    expect(Object.values(main.methodIdentifiers)).toContain('1003e2d2'); // add(uint256)
    expect(main.storageLayout.storage.map((s) => s.label)).toEqual(['owner', 'total']);
    const defs = contractDefinitions(comp);
    const bases = main.ast.linearizedBaseContracts.map((id: number) => defs.get(id)?.name);
    expect(bases).toEqual(['Main', 'Base']);
    for (const [id, su] of comp.sourcesById) expect(su.id).toBe(id);
  });

  it('reports a syntax error as a compile failure with line and column', async () => {
    const err = await failure(compileFile(input('syntax_error.sol'), opts));
    expect(err.kind).toBe('compile');
    expect(err.message).toMatch(/failed with 1 error\(s\)/);
    const [d] = err.diagnostics;
    expect(d).toMatchObject({ severity: 'error', file: 'syntax_error.sol', line: 6, col: 5, code: '2314' });
    expect(d?.formatted).toMatch(/^syntax_error\.sol:6:5: ParserError: Expected ';'/);
  });

  it('compiles with the newest bundled compiler the pragma admits', async () => {
    const comp = await compileFile(input('old_pragma.sol'), opts);
    expect(comp.solcVersion).toMatch(/^0\.7\.6\+commit\./);
    expect((comp.settings as { evmVersion: string }).evmVersion).toBe('istanbul');
  });

  it('names the file, the pragma and the bundled compilers when no bundled compiler fits', async () => {
    const err = await failure(compileFile(input('unbundled_pragma.sol'), opts));
    expect(err.kind).toBe('input');
    expect(err.message).toBe('unbundled_pragma.sol:2:1: pragma solidity ^0.5.0 is satisfied by no available compiler; bundled: 0.8.30, 0.8.29, 0.8.28, 0.8.27, 0.8.26, 0.8.25, 0.8.24, 0.8.23, 0.8.22, 0.8.21, 0.8.20, 0.8.19, 0.7.6, 0.6.12; in Hardhat\'s compiler cache (/nonexistent/patchproof-test-hardhat-cache): none (patchproof never downloads compilers)');
  });

  it('rejects a missing entry file and a directory', async () => {
    const missing = await failure(compileFile(input('nope.sol'), opts));
    expect(missing.kind).toBe('input');
    expect(missing.message).toBe(`file not found: ${input('nope.sol')}`);
    const dir = await failure(compileFile(input('proj'), opts));
    expect(dir.kind).toBe('input');
    expect(dir.message).toMatch(/is a directory/);
  });

  it('rejects an import outside the root, naming the importing file and line', async () => {
    const err = await failure(compileFile(input('escape/sub/Entry.sol'), opts));
    expect(err.kind).toBe('input');
    expect(err.message).toContain('Entry.sol:4: import "../Outside.sol"');
    expect(err.message).toContain(path.join(here, 'inputs/escape/Outside.sol'));
    expect(err.message).toContain('--root');
    expect(err.diagnostics[0]).toMatchObject({ file: 'Entry.sol', line: 4, col: 1, code: 'import-outside-root' });
    // Widening the root makes the same file compile.
    const comp = await compileFile(input('escape/sub/Entry.sol'), { ...opts, root: input('escape') });
    expect(comp.entry).toBe('sub/Entry.sol');
    expect(comp.sources.has('Outside.sol')).toBe(true);
  });

  it('reports every missing or non-normalized import before running solc', async () => {
    const err = await failure(compileFile(input('badimports/Entry.sol'), opts));
    expect(err.kind).toBe('input');
    expect(err.message).toMatch(/^Entry\.sol:4: import "\.\/missing\.sol" resolves to .*missing\.sol .*not a file/);
    expect(err.message).toContain('and 1 more');
    expect(err.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ['import-missing', 4],
      ['import-not-normalized', 5],
    ]);
    expect(err.diagnostics[1]?.message).toContain('write "Other.sol"');
  });
});

describe('selectContract', () => {
  it('picks the last deployable contract and lists the available ones for an unknown name', async () => {
    const comp = await compileFile(input('multi.sol'), opts);
    expect(selectContract(comp).name).toBe('Second');
    expect(selectContract(comp, 'First').name).toBe('First');
    const err = await failure(Promise.resolve().then(() => selectContract(comp, 'Missing')));
    expect(err.kind).toBe('usage');
    expect(err.message).toContain('no contract named Missing in multi.sol');
    expect(err.message).toContain('First, Second, Third (abstract contract), IFourth (interface), Fifth (library)');
  });
});

describe('locOf', () => {
  it('maps byte offsets to character columns past multi-byte characters', async () => {
    const comp = await compileFile(input('unicode.sol'), opts);
    const c = selectContract(comp);
    const fn = c.ast.nodes.find((n: any) => n.nodeType === 'FunctionDefinition');
    expect(locOf(comp, fn.src, fn.id)).toEqual({ file: 'unicode.sol', line: 6, col: 19, astId: fn.id });
    expect(locOf(comp, c.ast.src, c.ast.id)).toMatchObject({ line: 5, col: 1 });
    expect(locOf(comp, '0:0:-1', 7)).toEqual({ file: '<unknown>', line: 0, col: 0, astId: 7 });
  });
});

describe('cache', () => {
  it('returns equal output on a hit without calling solc again', async () => {
    await mkdir(cacheRoot, { recursive: true });
    const dir = await mkdtemp(path.join(cacheRoot, 'hit-'));
    const spy = vi.spyOn(solc, 'compile');
    try {
      const first = await compileFile(input('multi.sol'), { cacheDir: dir });
      const second = await compileFile(input('multi.sol'), { cacheDir: dir });
      expect(spy).toHaveBeenCalledTimes(1);
      expect(second.contracts).toEqual(first.contracts);
      expect(second.inputSha256).toBe(first.inputSha256);
      expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      // Failures are not cached: a broken file runs solc every time.
      await failure(compileFile(input('syntax_error.sol'), { cacheDir: dir }));
      await failure(compileFile(input('syntax_error.sol'), { cacheDir: dir }));
      expect(spy).toHaveBeenCalledTimes(3);
    } finally {
      spy.mockRestore();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

