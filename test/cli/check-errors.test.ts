import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, runCli, type CliRun } from './helpers.ts';

/** Bad input through the real CLI: exit 3, a message naming the file and what is wrong, no stack trace. */
const cache = ['--cache-dir', path.join(projectRoot, 'node_modules/.cache/patchproof-test')];
const example = (side: string) => path.join(projectRoot, 'fixtures/example', `${side}.sol`);
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'patchproof-errors-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function clean(r: CliRun): void {
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr).not.toContain('internal error');
}

const CONTRACT = (body: string) => `// SPDX-License-Identifier: MIT\npragma solidity ^0.8.20;\ncontract C {\n${body}\n}\n`;

describe('check: bad input', () => {
  it('a syntax error names file:line:col and exits 3', { timeout: 60_000 }, async () => {
    await writeFile(path.join(dir, 'bad.sol'), CONTRACT('  uint x\n  function f() external {}'));
    await writeFile(path.join(dir, 'good.sol'), CONTRACT('  uint x;'));
    const r = await runCli(['check', path.join(dir, 'good.sol'), path.join(dir, 'bad.sol'), ...cache]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/bad\.sol:5:\d+/);
    clean(r);
  });

  it('a missing file', { timeout: 60_000 }, async () => {
    const r = await runCli(['check', path.join(dir, 'nope.sol'), example('new'), ...cache]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('nope.sol');
    clean(r);
  });

  it('an unknown contract name lists the available ones', { timeout: 60_000 }, async () => {
    const r = await runCli(['check', example('old'), example('new'), '--contract', 'Nope', ...cache]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('Nope');
    expect(r.stderr).toContain('Vault');
    clean(r);
  });

  it('an import outside the root names the importing file and line', { timeout: 60_000 }, async () => {
    await mkdir(path.join(dir, 'proj'), { recursive: true });
    await writeFile(path.join(dir, 'outside.sol'), CONTRACT(''));
    await writeFile(path.join(dir, 'proj', 'a.sol'), `// SPDX-License-Identifier: MIT\npragma solidity ^0.8.20;\nimport "../outside.sol";\ncontract A {}\n`);
    const r = await runCli(['check', path.join(dir, 'proj', 'a.sol'), path.join(dir, 'proj', 'a.sol'), ...cache]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/a\.sol:3/);
    expect(r.stderr).toContain('outside');
    clean(r);
  });

  it('an unsupported construct gives exit 2 with the construct and its location', { timeout: 60_000 }, async () => {
    const src = CONTRACT('  function f() external pure returns (uint r) {\n    assembly { r := 1 }\n  }');
    await writeFile(path.join(dir, 'asm.sol'), src);
    const r = await runCli(['check', path.join(dir, 'asm.sol'), path.join(dir, 'asm.sol'), ...cache]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('inline assembly');
    expect(r.stdout).toMatch(/asm\.sol:5:5/);
    clean(r);
  });
});

describe('verify: certificates', () => {
  it('verifies a fresh certificate and rejects every tampering precisely', { timeout: 240_000 }, async () => {
    const cert = path.join(dir, 'cert.json');
    const made = await runCli(['check', example('old'), example('new'), '--out', cert, ...cache]);
    expect(made.code).toBe(1);
    const verify = (file: string, extra: string[] = []) => runCli(['verify', file, '--old', example('old'), '--new', example('new'), ...cache, ...extra]);
    const ok = await verify(cert);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain('certificate verified');

    const original = JSON.parse(await readFile(cert, 'utf8'));
    const tamper = async (name: string, edit: (c: any) => void, expectText: RegExp) => {
      const c = structuredClone(original);
      edit(c);
      const file = path.join(dir, `${name}.json`);
      await writeFile(file, JSON.stringify(c, null, 2));
      const r = await verify(file);
      expect(r.code, `${name}: ${r.stdout}${r.stderr}`).toBe(1);
      expect(r.stdout + r.stderr, name).toMatch(expectText);
    };
    await tamper('verdict', (c) => { c.entryPoints.find((e: any) => e.signature === 'withdraw(uint256)').verdict = 'equivalent'; }, /withdraw/);
    await tamper('query', (c) => { const o = c.obligations.find((x: any) => x.smtSha256); o.smtSha256 = '0'.repeat(64); }, /smt|query|hash/i);
    await tamper('dropped', (c) => { c.obligations.pop(); }, /obligation/i);
    await tamper('code', (c) => { c.new.runtimeKeccak = '0x' + '1'.repeat(64); }, /keccak|runtime/i);
    await tamper('source', (c) => { c.old.sources[0].sha256 = 'a'.repeat(64); }, /source|sha/i);

    // A different new source than the one certified.
    const changed = path.join(dir, 'new-changed.sol');
    await writeFile(changed, (await readFile(example('new'), 'utf8')) + '\n// changed\n');
    const r = await runCli(['verify', cert, '--old', example('old'), '--new', changed, ...cache]);
    expect(r.code).toBe(1);
  });
});
