import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot, runCli } from './helpers.ts';

/** `patchproof layout`: the upgrade report alone, with its exit codes (0 compatible, 1 incompatible, 3 bad input). */
const pair = (name: string) => ['old', 'new'].map((s) => path.join(projectRoot, 'fixtures-upgrade', name, `${s}.sol`));
const cacheDir = path.join(projectRoot, 'node_modules/.cache/patchproof-test');

describe('patchproof layout', () => {
  it('exits 0 on a compatible upgrade and lists info findings', { timeout: 60_000 }, async () => {
    const r = await runCli(['layout', ...pair('layout-gap-shrinks'), '--cache-dir', cacheDir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^upgrade: compatible/);
    expect(r.stdout).toContain('PP120');
  });

  it('exits 1 on an incompatible one, with codes, locations and slots in JSON', { timeout: 60_000 }, async () => {
    const r = await runCli(['layout', ...pair('layout-insert-before'), '--contract', 'Vault', '--format', 'json', '--cache-dir', cacheDir]);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as { verdict: string; old: { contract: string }; findings: { code: string; severity: string; slot?: { slot: string }; newLocation?: { line: number } }[] };
    expect(j.verdict).toBe('incompatible');
    expect(j.old.contract).toBe('Vault');
    expect(j.findings).toEqual([expect.objectContaining({ code: 'PP101', severity: 'error', slot: { slot: '0x1', offset: 0 }, newLocation: { file: 'new.sol', line: 6, col: 5 } })]);
  });

  it('exits 3 on bad input', { timeout: 60_000 }, async () => {
    const [oldFile, newFile] = pair('layout-insert-before');
    const missing = await runCli(['layout', oldFile!, path.join(projectRoot, 'no-such.sol')]);
    expect(missing.code).toBe(3);
    const wrong = await runCli(['layout', oldFile!, newFile!, '--contract', 'Nope', '--cache-dir', cacheDir]);
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toContain('no contract named Nope');
  });
});
