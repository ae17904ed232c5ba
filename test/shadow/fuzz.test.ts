import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheDir, fixture, runMain } from './helpers.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'patchproof-shadow-fuzz-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const pair = (name: string) => [fixture(name, 'old.sol'), fixture(name, 'new.sol')];

describe('shadow --fuzz', { timeout: 40_000 }, () => {
  it('observes no divergence on an equivalent pair and never calls that a proof', async () => {
    const r = await runMain(['shadow', ...pair('refactor-rename-locals'), '--fuzz', '30', '--cache-dir', cacheDir]);
    expect(r.code, r.stderr).toBe(0);
    // FEE_BPS(), collectedFees(), credit(address,uint256), credits(address), previewFee(uint256).
    expect(r.stdout).toContain('shadow fuzz: 5 entry point(s) x 30 = 150 random transactions (seed 1)');
    expect(r.stdout).toContain('no divergence observed in 150 transactions (this is testing, not a proof)');
    expect(r.stdout).not.toMatch(/equivalen/i);
  });

  it('runs code linked against external libraries, with the libraries deployed', async () => {
    // Unlinked code (library placeholders in the bytecode) used to crash the replay.
    const r = await runMain(['shadow', ...pair('calls-vault-external-mathlib'), '--fuzz', '3', '--cache-dir', cacheDir]);
    expect(r.stderr).not.toContain('internal error');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('no divergence observed in 21 transactions');
  });

  it('finds the example divergence, reports it per entry point, and saves a replayable transaction list', async () => {
    const saved = path.join(dir, 'fuzzed.json');
    const r = await runMain(['shadow', ...pair('example'), '--fuzz', '20', '--seed', '7', '--format', 'json', '--save-txs', saved, '--cache-dir', cacheDir]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(`transactions written to ${saved}`);
    const json = JSON.parse(r.stdout) as {
      mode: string;
      fuzz: { perEntryPoint: number; seed: number; entryPoints: string[] };
      summary: { transactions: number; diverging: number; firstDivergence: number; message: string };
      transactions: { index: number; signature?: string; differs: string[]; stateDifferedBefore: boolean; storageDiff: { name?: string }[] }[];
    };
    expect(json.mode).toBe('fuzz');
    expect(json.fuzz).toEqual({ perEntryPoint: 20, seed: 7, entryPoints: ['balanceOf(address)', 'balances(address)', 'deposit()', 'totalDeposits()', 'withdraw(uint256)'] });
    expect(json.summary.transactions).toBe(100);
    expect(json.summary.message).toMatch(/^divergence found: \d+ of 100 random transactions diverge, the first is #\d+ withdraw\(\d+\) \(storage\)$/);
    // The first divergence is a withdrawal that lowers totalDeposits on the new side only.
    const first = json.transactions[0]!;
    expect(first.index).toBe(json.summary.firstDivergence);
    expect(first).toMatchObject({ signature: 'withdraw(uint256)', differs: ['storage'], stateDifferedBefore: false });
    expect(first.storageDiff.map((d) => d.name)).toEqual(['totalDeposits']);
    // At most one reported divergence per entry point.
    const sigs = json.transactions.map((t) => t.signature);
    expect(new Set(sigs).size).toBe(sigs.length);

    // The saved list replays to the same first divergence.
    const savedJson = JSON.parse(await readFile(saved, 'utf8')) as { transactions: unknown[] };
    expect(savedJson.transactions).toHaveLength(100);
    const replay = await runMain(['shadow', ...pair('example'), '--txs', saved, '--format', 'json', '--cache-dir', cacheDir]);
    expect(replay.code, replay.stderr).toBe(1);
    const again = JSON.parse(replay.stdout) as { summary: { firstDivergence: number; diverging: number } };
    expect(again.summary).toMatchObject({ firstDivergence: json.summary.firstDivergence, diverging: json.summary.diverging });
  });

  it('with --state reaches code behind an access check and finds a logs divergence', async () => {
    // The arbiter is one of the fuzz senders, so refund() gets past onlyArbiter.
    const state = path.join(dir, 'arbiter.json');
    await writeFile(state, JSON.stringify({ storage: { arbiter: '0x5eed5000000000000000000000000000000a11ce' } }));
    const r = await runMain(['shadow', ...pair('event-argument-changed'), '--fuzz', '10', '--state', state, '--cache-dir', cacheDir]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/first divergence \(logs\): log #1: old Refunded\(payee=0x[0-9a-f]{40}, amount=[1-9]\d*\); new Refunded\(payee=0x[0-9a-f]{40}, amount=0\)/);
    expect(r.stdout).toMatch(/^divergence found: \d+ of 40 random transactions diverge, the first is #\d+ refund\(0x[0-9a-f]{40}\) \(logs\)$/m);
  });

  it('is deterministic for a seed', async () => {
    const args = ['shadow', ...pair('example'), '--fuzz', '5', '--seed', '42', '--cache-dir', cacheDir];
    const a = await runMain(args);
    const b = await runMain(args);
    expect(a.stdout).toBe(b.stdout);
  });
});
