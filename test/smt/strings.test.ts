import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPatch } from '../../src/check.ts';
import { Z3Solver } from '../../src/smt/z3.ts';
import type { Verdict } from '../../src/verdicts/types.ts';
import { projectRoot } from '../cli/helpers.ts';

/**
 * Known answers for written byte strings and their hashes: a stored string read back after writes at
 * keys that may be equal, through merged paths, and a hash that equals a literal's only for that literal.
 */
let solver: Z3Solver;
let dir: string;
beforeAll(async () => {
  solver = await Z3Solver.start();
  dir = await mkdtemp(path.join(os.tmpdir(), 'patchproof-strings-'));
});
afterAll(async () => {
  solver.close();
  await rm(dir, { recursive: true, force: true });
});

const T = 120_000;

async function verdictOf(name: string, body: { old: string; new: string }, fn: string): Promise<Verdict> {
  const wrap = (b: string) => `// SPDX-License-Identifier: MIT\npragma solidity ^0.8.20;\ncontract C {\nevent E(string s);\n${b}\n}\n`;
  await writeFile(path.join(dir, `${name}.old.sol`), wrap(body.old));
  await writeFile(path.join(dir, `${name}.new.sol`), wrap(body.new));
  const r = await checkPatch({ oldFile: path.join(dir, `${name}.old.sol`), newFile: path.join(dir, `${name}.new.sol`), solver, cacheDir: path.join(projectRoot, 'node_modules/.cache/patchproof-test'), timeoutMs: 30000 });
  const e = r.entryPoints.find((x) => x.signature === fn);
  expect(e, `${fn} in ${r.entryPoints.map((x) => x.signature)}`).toBeDefined();
  return e!.verdict;
}

describe('string/bytes writes and hashes', () => {
  it('a string read back after a write at a key that may be the same', { timeout: T }, async () => {
    const v = await verdictOf('str-alias', {
      old: 'mapping(uint256 => string) uris; function f(uint256 a, uint256 b, string calldata x) external { emit E(uris[a]); uris[b] = x; }',
      new: 'mapping(uint256 => string) uris; function f(uint256 a, uint256 b, string calldata x) external { uris[b] = x; emit E(uris[a]); }',
    }, 'f(uint256,uint256,string)');
    expect(v.kind).toBe('different');
    if (v.kind === 'different') {
      expect(v.counterexample?.args[0]?.value).toBe(v.counterexample?.args[1]?.value);
      expect(v.counterexample?.replay?.confirmed).toBe(true);
    }
  });

  it('a string written on either branch and read after the join', { timeout: T }, async () => {
    const v = await verdictOf('str-join', {
      old: 'string s; function f(bool c, string calldata a) external { if (c) s = a; else s = "fallback"; emit E(s); }',
      new: 'string s; function f(bool c, string calldata a) external { if (!c) s = "fallback"; else s = a; emit E(s); }',
    }, 'f(bool,string)');
    expect(v.kind).toBe('equivalent');
  });

  it('a hash equal to a literal\'s only for that literal', { timeout: T }, async () => {
    const v = await verdictOf('str-hash', {
      old: 'function f(string calldata s) external pure returns (bool) { return keccak256(bytes(s)) == keccak256("hello"); }',
      new: 'function f(string calldata s) external pure returns (bool) { return false; }',
    }, 'f(string)');
    expect(v.kind).toBe('different');
    if (v.kind === 'different') {
      expect(v.counterexample?.args[0]?.value).toBe('"hello"');
      expect(v.counterexample?.replay?.confirmed).toBe(true);
    }
  });
});
