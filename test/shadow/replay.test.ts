import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/helpers.ts';
import { cacheDir, fixture, runMain } from './helpers.ts';

/** The documented example: fixtures/shadow/{txs,state}.json against the fixtures/example Vault pair. */
const example = [
  'shadow',
  fixture('example', 'old.sol'),
  fixture('example', 'new.sol'),
  '--txs',
  fixture('shadow', 'txs.json'),
  '--state',
  fixture('shadow', 'state.json'),
  '--cache-dir',
  cacheDir,
];

interface TxJson {
  index: number;
  call: string;
  diverges: boolean;
  differs: string[];
  stateDifferedBefore: boolean;
  firstDivergence?: { part: string; description: string };
  storageDiff: { slot: string; name?: string; old: string; new: string }[];
  old: { status: string; returned?: string; revert?: string; storageChanges: { slot: string; name?: string; before: string; after: string }[] };
  new: { status: string; returned?: string; revert?: string; storageChanges: { slot: string; name?: string; before: string; after: string }[] };
}
interface ReportJson {
  command: string;
  mode: string;
  summary: { transactions: number; diverging: number; firstDivergence: number | null; message: string };
  transactions: TxJson[];
  warnings: string[];
  exitCode: number;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'patchproof-shadow-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('shadow replay of the example', () => {
  it('finds the divergence on the withdrawal and names the slot (real binary)', { timeout: 60_000 }, async () => {
    const r = await runCli(example, { timeoutMs: 55_000 });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/#3 withdraw\(30\) from 0x0+a11ce0 {2}DIVERGES: storage/);
    expect(r.stdout).toContain('first divergence (storage): totalDeposits (slot 0x1): old 650, new 620');
    expect(r.stdout).toMatch(/#1 deposit\(\) .* same: success/);
    expect(r.stdout).toMatch(/#5 withdraw\(80\) .* same: revert: Error\("insufficient balance"\)/);
    expect(r.stdout).toContain('divergence: 2 of 6 transactions diverge, the first is #3 withdraw(30) (storage)');
  });

  it('reports every transaction in JSON, with the first divergence and the carried-over state', { timeout: 30_000 }, async () => {
    const r = await runMain([...example, '--format', 'json']);
    expect(r.code, r.stderr).toBe(1);
    const json = JSON.parse(r.stdout) as ReportJson;
    expect(json.command).toBe('shadow');
    expect(json.mode).toBe('replay');
    expect(json.exitCode).toBe(1);
    expect(json.summary).toMatchObject({ transactions: 6, diverging: 2, firstDivergence: 3 });
    expect(json.transactions.map((t) => t.differs)).toEqual([[], [], ['storage'], ['returnData'], [], []]);

    const [deposit, , withdraw, total, overdraw, balance] = json.transactions;
    // The state file's starting values are where the old layout puts them.
    expect(deposit!.old.storageChanges).toContainEqual({ slot: '0x1', name: 'totalDeposits', before: '0x1f4', after: '0x258' });
    expect(withdraw!.firstDivergence).toEqual({ part: 'storage', description: 'totalDeposits (slot 0x1): old 650, new 620' });
    expect(withdraw!.storageDiff).toEqual([{ slot: '0x1', name: 'totalDeposits', old: '0x28a', new: '0x26c' }]);
    expect(withdraw!.stateDifferedBefore).toBe(false);
    const aliceSlot = withdraw!.old.storageChanges.find((c) => c.name === 'balances[0x0000000000000000000000000000000000a11ce0]');
    expect(aliceSlot).toMatchObject({ before: '0x64', after: '0x46' });
    // Each side keeps its own post-state: the getter sees 650 on the old side and 620 on the new one.
    expect(total!.old.returned).toBe('(650)');
    expect(total!.new.returned).toBe('(620)');
    expect(total!.stateDifferedBefore).toBe(true);
    // A revert is an outcome like any other, decoded from the revert data.
    expect(overdraw!.old).toMatchObject({ status: 'revert', revert: 'Error("insufficient balance")' });
    expect(overdraw!.diverges).toBe(false);
    expect(balance!.call).toBe('balanceOf(0x0000000000000000000000000000000000a11ce0)');
    expect(balance!.old.returned).toBe('(70)');
  });

  it('exits 0 when no transaction diverges', { timeout: 30_000 }, async () => {
    const txs = path.join(dir, 'deposits.json');
    await writeFile(txs, JSON.stringify({
      transactions: [
        { from: '0x00000000000000000000000000000000000000a1', value: '5', function: 'deposit' },
        { from: '0x00000000000000000000000000000000000000a1', function: 'balanceOf', args: ['0x00000000000000000000000000000000000000a1'] },
        { from: '0x00000000000000000000000000000000000000a1', function: 'withdraw', args: [6] },
        { from: '0x00000000000000000000000000000000000000a1', function: 'totalDeposits' },
      ],
    }));
    const r = await runMain(['shadow', fixture('example', 'old.sol'), fixture('example', 'new.sol'), '--txs', txs, '--cache-dir', cacheDir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('#2 balanceOf(0x00000000000000000000000000000000000000a1) from 0x00000000000000000000000000000000000000a1  same: success returning (5)');
    expect(r.stdout).toContain('#3 withdraw(6) from 0x00000000000000000000000000000000000000a1  same: revert: Error("insufficient balance")');
    expect(r.stdout).toContain('no divergence: both versions behaved the same on all 4 transactions');
    expect(r.stdout).not.toContain('DIVERGES');
  });

  it('warns when the new layout puts a state variable elsewhere, and replays the consequence', { timeout: 30_000 }, async () => {
    const state = path.join(dir, 'reserves-state.json');
    const txs = path.join(dir, 'reserves-txs.json');
    await writeFile(state, JSON.stringify({ storage: { reserve0: 1, reserve1: '2', lastUpdate: '0x10' } }));
    await writeFile(txs, JSON.stringify({ transactions: [{ from: '0x0000000000000000000000000000000000000001', function: 'reserve0' }] }));
    const pair = 'packed-slot-declaration-swap';
    const r = await runMain(['shadow', fixture(pair, 'old.sol'), fixture(pair, 'new.sol'), '--txs', txs, '--state', state, '--cache-dir', cacheDir]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain(
      "warning: " + state + ": reserve0 is at slot 0 offset 0 (uint128) in the old version but at slot 0 offset 16 (uint128) in the new version; the state was laid out by the old version's layout",
    );
    expect(r.stdout).not.toMatch(/lastUpdate is at/);
    expect(r.stdout).toContain('first divergence (returnData): old success returning (1); new success returning (2)');
  });
});
