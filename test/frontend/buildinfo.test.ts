import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBuildInfo, parseContractRef } from '../../src/frontend/buildinfo.ts';
import { projectRoot, runCli } from '../cli/helpers.ts';

/* Build-info inputs, on the fixture projects scripts/build-info-fixtures.ts writes. */

const P = path.join(projectRoot, 'fixtures-projects');
const cacheDir = path.join(projectRoot, 'node_modules/.cache/patchproof-test');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'patchproof-buildinfo-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A copy of a fixture project's build-info directory with its (only) input file edited. */
async function edited(project: string, sub: string, edit: (j: { solcLongVersion: string; input: { settings: Record<string, unknown> }; output?: { contracts: Record<string, Record<string, { evm: { deployedBytecode: { object: string } } }>> } }) => void): Promise<string> {
  const to = path.join(dir, `${project.replace(/\W/g, '_')}-${Math.random().toString(36).slice(2)}`);
  await cp(path.join(P, project, sub), to, { recursive: true });
  const file = (await readdir(to)).find((n) => n.endsWith('.json') && !n.endsWith('.output.json'))!;
  const j = JSON.parse(await readFile(path.join(to, file), 'utf8'));
  edit(j);
  await writeFile(path.join(to, file), JSON.stringify(j));
  return to;
}

describe('build-info inputs', () => {
  it('parses --contract references', () => {
    expect(parseContractRef('src/A.sol:A')).toEqual({ unit: 'src/A.sol', name: 'A' });
    expect(parseContractRef('A')).toEqual({ name: 'A' });
    expect(parseContractRef('src/A.sol')).toEqual({ unit: 'src/A.sol' });
  });

  it('reads Foundry build-info with a storage layout as stored, remapped library included', async () => {
    const s = await loadBuildInfo(path.join(P, 'foundry/v1'), parseContractRef('src/Counter.sol:Counter'), { cacheDir });
    expect([s.format, s.recompiled, s.contract.name, s.comp.entry]).toEqual(['foundry', false, 'Counter', 'src/Counter.sol']);
    expect([...s.comp.sources.keys()].sort()).toEqual(['lib/mathlib/src/Ops.sol', 'src/Counter.sol']);
    expect(s.comp.root).toBe(path.join(P, 'foundry/v1'));
    expect(s.contract.storageLayout.storage.map((v: { label: string }) => v.label)).toEqual(['count', 'owner']);
  });

  it('recompiles Hardhat 2 and 3 build-info for the storage layout, with the same runtime code', async () => {
    const h2 = await loadBuildInfo(path.join(P, 'hardhat2/v1/artifacts/build-info'), parseContractRef('Vault'), { cacheDir });
    expect([h2.format, h2.recompiled, h2.comp.entry]).toEqual(['hardhat2', true, 'contracts/Vault.sol']);
    expect(h2.contract.storageLayout.storage.length).toBe(2);
    const h3 = await loadBuildInfo(path.join(P, 'hardhat3/v2'), parseContractRef('contracts/Vault.sol:Vault'), { cacheDir });
    expect([h3.format, h3.recompiled, h3.comp.entry]).toEqual(['hardhat3', true, 'project/contracts/Vault.sol']);
    expect(h3.comp.sources.get('project/contracts/Vault.sol')!.absPath).toBe(path.join(P, 'hardhat3/v2/contracts/Vault.sol'));
  });

  it('refuses what it cannot use soundly, saying why', async () => {
    const ref = parseContractRef('contracts/Vault.sol:Vault');
    const old = await edited('hardhat2/v1', 'artifacts/build-info', (j) => (j.solcLongVersion = '0.7.6+commit.7338295f'));
    await expect(loadBuildInfo(old, ref)).rejects.toThrow(/compiled by solc 0\.7\.6: code before 0\.8\.0 .* is not supported/);
    const via = await edited('hardhat2/v1', 'artifacts/build-info', (j) => (j.input.settings.viaIR = true));
    await expect(loadBuildInfo(via, ref)).rejects.toThrow(/viaIR/);
    const other = await edited('hardhat2/v1', 'artifacts/build-info', (j) => (j.solcLongVersion = '0.8.18+commit.87f61d96'));
    await expect(loadBuildInfo(other, ref)).rejects.toThrow(/lacks storageLayout of contracts\/Vault.sol:Vault .* made by solc 0\.8\.18\+commit\.87f61d96; .* the bundled ones are 0\.8\.30, 0\.8\.29/);
    // A bundled x.y.z with another commit is another compiler: refused too.
    const commit = await edited('hardhat2/v1', 'artifacts/build-info', (j) => (j.solcLongVersion = '0.8.24+commit.00000000'));
    await expect(loadBuildInfo(commit, ref)).rejects.toThrow(/made by solc 0\.8\.24\+commit\.00000000; recompiling needs that exact compiler/);
    const tampered = await edited('hardhat2/v1', 'artifacts/build-info', (j) => {
      const c = j.output!.contracts['contracts/Vault.sol']!['Vault']!;
      c.evm.deployedBytecode.object = c.evm.deployedBytecode.object.replace(/.$/, (x) => (x === '0' ? '1' : '0'));
    });
    await expect(loadBuildInfo(tampered, ref, { cacheDir })).rejects.toThrow(/gave different runtime code for contracts\/Vault.sol:Vault/);
    await expect(loadBuildInfo(path.join(P, 'hardhat2/v1'), parseContractRef('contracts/Nope.sol:Nope'))).rejects.toThrow(/no build-info .* compiled contracts\/Nope.sol/);
    await expect(loadBuildInfo(path.join(P, 'hardhat2/v1/contracts'), ref)).rejects.toThrow(/holds no build-info/);
  });
});

describe('check --old/--new build-info (CLI)', { timeout: 120_000 }, () => {
  it('checks Foundry builds: the refactor is equivalent, the dropped owner check differs', async () => {
    const r = await runCli(['check', '--old', 'fixtures-projects/foundry/v1', '--new', 'fixtures-projects/foundry/v2', '--contract', 'src/Counter.sol:Counter', '--format', 'json', '--cache-dir', cacheDir]);
    expect(r.code, r.stderr).toBe(1);
    const json = JSON.parse(r.stdout) as { entryPoints: { signature: string; verdict: string }[] };
    expect(Object.fromEntries(json.entryPoints.map((e) => [e.signature, e.verdict]))).toEqual({ 'count()': 'equivalent', 'increment(uint256)': 'equivalent', 'owner()': 'equivalent', 'reset()': 'different' });
  });

  it('checks Hardhat 3 builds and locates SARIF results in the project files', async () => {
    const r = await runCli(['check', 'fixtures-projects/hardhat3/v1', 'fixtures-projects/hardhat3/v2', '--contract', 'contracts/Vault.sol:Vault', '--format', 'sarif', '--cache-dir', cacheDir]);
    expect(r.code, r.stderr).toBe(1);
    const sarif = JSON.parse(r.stdout) as { runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[]; relatedLocations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    const [res] = sarif.runs[0]!.results;
    expect(res!.ruleId).toBe('PPV001');
    expect(res!.locations[0]!.physicalLocation.artifactLocation.uri).toBe('fixtures-projects/hardhat3/v2/contracts/Vault.sol');
    expect(res!.relatedLocations[0]!.physicalLocation.artifactLocation.uri).toBe('fixtures-projects/hardhat3/v1/contracts/Vault.sol');
  });

  it('refuses build-info for one version and a source file for the other', async () => {
    const r = await runCli(['check', 'fixtures-projects/hardhat2/v1', 'fixtures-projects/hardhat2/v2/contracts/Vault.sol', '--contract', 'Vault']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/is not build-info while .* is: pass build-info for both versions/);
  });
});
