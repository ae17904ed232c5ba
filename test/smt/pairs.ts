import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { checkPatch } from '../../src/check.ts';
import { Z3Solver } from '../../src/smt/z3.ts';
import type { Verdict } from '../../src/verdicts/types.ts';
import { projectRoot } from '../cli/helpers.ts';

export interface PairBody {
  readonly old: string;
  readonly new: string;
}

/**
 * Checks small inline pairs: each body is wrapped in `contract C { <preamble> <body> }`, written to a
 * temporary directory and run through `checkPatch` with one solver for the whole file. Registers its own
 * beforeAll/afterAll, so call it at the top level of a test file.
 */
export function pairChecker(prefix: string, preamble = ''): (name: string, body: PairBody, fn: string, summaries?: boolean) => Promise<Verdict> {
  let solver: Z3Solver;
  let dir: string;
  beforeAll(async () => {
    solver = await Z3Solver.start();
    dir = await mkdtemp(path.join(os.tmpdir(), `patchproof-${prefix}-`));
  });
  afterAll(async () => {
    solver.close();
    await rm(dir, { recursive: true, force: true });
  });
  return async (name, body, fn, summaries = true) => {
    const wrap = (b: string) => `// SPDX-License-Identifier: MIT\npragma solidity ^0.8.20;\ncontract C {\n${preamble}${b}\n}\n`;
    const oldFile = path.join(dir, `${name}.old.sol`);
    const newFile = path.join(dir, `${name}.new.sol`);
    await writeFile(oldFile, wrap(body.old));
    await writeFile(newFile, wrap(body.new));
    const r = await checkPatch({ oldFile, newFile, solver, summaries, cacheDir: path.join(projectRoot, 'node_modules/.cache/patchproof-test'), timeoutMs: 30000 });
    const e = r.entryPoints.find((x) => x.signature === fn);
    expect(e, `${fn} in ${r.entryPoints.map((x) => x.signature)}`).toBeDefined();
    return e!.verdict;
  };
}
