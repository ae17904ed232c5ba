import { createHash } from 'node:crypto';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PatchproofError } from '../../src/frontend/errors.ts';
import { cachedCompilers, hardhatCacheDir, loadCachedCompiler } from '../../src/frontend/hhcache.ts';
import { runCli } from '../cli/helpers.ts';

/*
 * Hardhat's compiler cache: compilers Hardhat downloaded are used when no bundled one fits. Nothing can
 * be downloaded here, so the caches are made from bundled compilers: a solc-js build copied under its
 * own name, and a "native" build that is a script answering like solc (for a version nothing bundles).
 */

const require = createRequire(import.meta.url);
const soljson020 = require.resolve('solc-0.8.20').replace(/index\.js$/, 'soljson.js');
const sha256 = async (f: string) => createHash('sha256').update(await readFile(f)).digest('hex');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'patchproof-hhcache-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A cache with one wasm build: soljson-v<name>.js holding 0.8.20's bytes; list.json with `listed` as its sha256. */
async function wasmCache(name: string, listed?: string): Promise<string> {
  const root = path.join(dir, `wasm-${name}-${listed ?? 'none'}`);
  const wasm = path.join(root, 'compilers-v2', 'wasm');
  await mkdir(wasm, { recursive: true });
  const file = `soljson-v${name}.js`;
  await copyFile(soljson020, path.join(wasm, file));
  if (listed !== undefined) await writeFile(path.join(wasm, 'list.json'), JSON.stringify({ builds: [{ path: file, version: name.split('+')[0], longVersion: name, sha256: `0x${listed}` }] }));
  return root;
}

describe("Hardhat's compiler cache", () => {
  it('is where env-paths puts hardhat-nodejs, or PATCHPROOF_HARDHAT_CACHE', () => {
    expect(hardhatCacheDir({ PATCHPROOF_HARDHAT_CACHE: '/x' })).toBe('/x');
    if (process.platform === 'linux') {
      expect(hardhatCacheDir({ XDG_CACHE_HOME: '/c' })).toBe('/c/hardhat-nodejs');
      expect(hardhatCacheDir({})).toBe(path.join(os.homedir(), '.cache', 'hardhat-nodejs'));
    }
  });

  it('finds a wasm build, checks it against list.json and its own version, and loads it', async () => {
    const root = await wasmCache('0.8.20+commit.a1b79de6', await sha256(soljson020));
    const found = cachedCompilers(root);
    expect(found.map((c) => [c.version, c.longVersion, c.kind])).toEqual([['0.8.20', '0.8.20+commit.a1b79de6', 'wasm']]);
    expect(loadCachedCompiler(found[0]!).version()).toBe('0.8.20+commit.a1b79de6.Emscripten.clang');
    expect(cachedCompilers(path.join(dir, 'nothing-here'))).toEqual([]);
  });

  it('refuses a build whose bytes are not the published ones, or that reports another version', async () => {
    const bad = cachedCompilers(await wasmCache('0.8.20+commit.a1b79de6', 'ab'.repeat(32)))[0]!;
    expect(() => loadCachedCompiler(bad)).toThrow(PatchproofError);
    expect(() => loadCachedCompiler(bad)).toThrow(/has sha256 [0-9a-f]{64}, but its list.json publishes abab/);
    const renamed = cachedCompilers(await wasmCache('0.8.21+commit.d9974bed'))[0]!;
    expect(() => loadCachedCompiler(renamed)).toThrow(/is named 0\.8\.21\+commit\.d9974bed but reports 0\.8\.20\+commit\.a1b79de6/);
  });

  it.runIf(process.platform === 'linux' && process.arch === 'x64')('check compiles with a native build for a pragma no bundled compiler satisfies', async () => {
    // A stand-in for solc 0.8.18's native build: answers --version as solc does and compiles
    // --standard-json with the bundled 0.8.26, after relaxing the pragma 0.8.26 would refuse (the
    // version is what selection and reports see).
    const root = path.join(dir, 'native');
    const plat = path.join(root, 'compilers-v2', 'linux-amd64');
    await mkdir(plat, { recursive: true });
    const solc = path.join(plat, 'solc-linux-amd64-v0.8.18+commit.87f61d96');
    const js = `let s='';process.stdin.on('data',d=>s+=d).on('end',()=>process.stdout.write(require(${JSON.stringify(require.resolve('solc-0.8.26'))}).compile(s.split('=0.8.18').join('^0.8.0'))))`;
    await writeFile(solc, `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "solc, the solidity compiler commandline interface"; echo "Version: 0.8.18+commit.87f61d96.Linux.g++"; exit 0; fi\nexec ${JSON.stringify(process.execPath)} -e ${JSON.stringify(js)}\n`);
    await chmod(solc, 0o755);
    const src = (body: string) => `// SPDX-License-Identifier: MIT\npragma solidity =0.8.18;\ncontract C { uint256 x; function f(uint256 a) external { ${body} } }\n`;
    await writeFile(path.join(dir, 'old.sol'), src('x = a;'));
    await writeFile(path.join(dir, 'new.sol'), src('x = a + 0;'));
    const args = ['check', path.join(dir, 'old.sol'), path.join(dir, 'new.sol'), '--format', 'json', '--quiet'];
    const r = await runCli(args, { env: { PATCHPROOF_HARDHAT_CACHE: root } });
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { compiler: { version: string }; overall: string };
    expect([j.compiler.version, j.overall]).toEqual(['0.8.18+commit.87f61d96.Linux.g++', 'equivalent']);
    // Without the cache, the pragma is an error naming the bundled versions and the (empty) cache.
    const none = await runCli(args, { env: { PATCHPROOF_HARDHAT_CACHE: path.join(dir, 'empty') } });
    expect(none.code).toBe(3);
    expect(none.stderr).toMatch(/pragma solidity =0\.8\.18 is satisfied by no available compiler; bundled: 0\.8\.30, .*; in Hardhat's compiler cache \(.*empty\): none/);
  }, 120_000);
});
