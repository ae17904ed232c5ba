import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFile } from '../../src/frontend/compile.ts';
import { applyRemappings, parseRemapping, readProject } from '../../src/frontend/project.ts';
import { upgradesFrom } from '../../src/frontend/upgradesfrom.ts';
import { projectRoot, runCli } from './helpers.ts';

/* Project directories: foundry.toml and Hardhat layouts, --old-ref, @custom:oz-upgrades-from. */

const P = path.join(projectRoot, 'fixtures-projects');
const cacheDir = path.join(projectRoot, 'node_modules/.cache/patchproof-test');
const git = promisify(execFile);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'patchproof-project-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('project configuration', () => {
  it('reads foundry.toml remappings, libs and remappings.txt', async () => {
    const p = await readProject(path.join(P, 'foundry/v1'));
    expect([p.kind, p.src]).toEqual(['foundry', 'src']);
    expect(p.remappings).toEqual([{ context: '', prefix: 'mathlib/', target: 'lib/mathlib/src/' }]);
    const root = path.join(dir, 'toml');
    await mkdir(path.join(root, 'deps/solmate/src'), { recursive: true });
    await mkdir(path.join(root, 'deps/plain'), { recursive: true });
    await writeFile(path.join(root, 'foundry.toml'), '[profile.default]\nsrc = "contracts" # where\nlibs = ["deps"]\nremappings = [\n  "a/=x/",\n  "ctx:b/=y/",\n]\noptimizer = true\noptimizer_runs = 10_000\nevm_version = "paris"\n[profile.ci]\nsrc = "other"\nvia_ir = true\n');
    await writeFile(path.join(root, 'remappings.txt'), 'c/=z/\n# comment\n');
    const q = await readProject(root);
    expect(q.src).toBe('contracts');
    expect(q.settings).toEqual({ optimizer: { enabled: true, runs: 10000 }, evmVersion: 'paris' });
    expect(q.viaIR).toBeUndefined();
    expect(p.settings).toEqual({ evmVersion: 'cancun' });
    expect(q.remappings.map((r) => `${r.context}:${r.prefix}=${r.target}`).sort()).toEqual([':a/=x/', ':c/=z/', ':plain/=deps/plain/', ':solmate/=deps/solmate/src/', 'ctx:b/=y/']);
  });

  it("compiles with the project's optimizer and refuses via_ir", async () => {
    const root = path.join(dir, 'opt');
    await mkdir(path.join(root, 'src'), { recursive: true });
    await writeFile(path.join(root, 'src/C.sol'), '// SPDX-License-Identifier: MIT\npragma solidity ^0.8.20;\ncontract C { uint256 x; function f(uint256 a) external { x = a * 2; } }\n');
    await writeFile(path.join(root, 'foundry.toml'), '[profile.default]\noptimizer = true\noptimizer_runs = 999\n');
    const comp = await compileFile(path.join(root, 'src/C.sol'), { root, cacheDir });
    expect((comp.settings as { optimizer: unknown }).optimizer).toEqual({ enabled: true, runs: 999 });
    await writeFile(path.join(root, 'foundry.toml'), '[profile.default]\nvia_ir = true\n');
    await expect(compileFile(path.join(root, 'src/C.sol'), { root, cacheDir })).rejects.toThrow(/foundry\.toml: via_ir = true: the IR-based code generator/);
  });

  it('applies remappings as solc does: longest context, then longest prefix', () => {
    const rs = ['a/=x/', 'a/b/=y/', 'src/:a/=z/'].map((s) => parseRemapping(s)!);
    expect(applyRemappings(rs, 'lib/L.sol', 'a/b/c.sol')).toBe('y/c.sol');
    expect(applyRemappings(rs, 'lib/L.sol', 'a/c.sol')).toBe('x/c.sol');
    expect(applyRemappings(rs, 'src/S.sol', 'a/b/c.sol')).toBe('z/b/c.sol');
    expect(applyRemappings(rs, 'src/S.sol', 'q/c.sol')).toBe('q/c.sol');
  });

  it('compiles a Foundry project with its remapped library', async () => {
    const comp = await compileFile(path.join(P, 'foundry/v1/src/Counter.sol'), { root: path.join(P, 'foundry/v1'), cacheDir });
    expect([...comp.sources.keys()].sort()).toEqual(['lib/mathlib/src/Ops.sol', 'src/Counter.sol']);
    expect((comp.settings as { remappings?: string[] }).remappings).toEqual(['mathlib/=lib/mathlib/src/']);
  });

  it('compiles a Hardhat project importing a package from node_modules, relative imports inside it too', async () => {
    const root = path.join(dir, 'hh');
    await mkdir(path.join(root, 'contracts'), { recursive: true });
    await mkdir(path.join(root, 'node_modules/@acme/math'), { recursive: true });
    await writeFile(path.join(root, 'hardhat.config.js'), 'module.exports = {};\n');
    await writeFile(path.join(root, 'node_modules/@acme/math/Base.sol'), '// SPDX-License-Identifier: MIT\npragma solidity ^0.8.0;\nlibrary Base { function one() internal pure returns (uint256) { return 1; } }\n');
    await writeFile(path.join(root, 'node_modules/@acme/math/Ops.sol'), '// SPDX-License-Identifier: MIT\npragma solidity ^0.8.0;\nimport "./Base.sol";\nlibrary Ops { function inc(uint256 a) internal pure returns (uint256) { return a + Base.one(); } }\n');
    await writeFile(path.join(root, 'contracts/C.sol'), '// SPDX-License-Identifier: MIT\npragma solidity ^0.8.0;\nimport {Ops} from "@acme/math/Ops.sol";\ncontract C { uint256 public n; function bump() external { n = Ops.inc(n); } }\n');
    const comp = await compileFile(path.join(root, 'contracts/C.sol'), { root, cacheDir });
    expect([...comp.sources.keys()].sort()).toEqual(['@acme/math/Base.sol', '@acme/math/Ops.sol', 'contracts/C.sol']);
    expect(comp.sources.get('@acme/math/Base.sol')!.absPath).toBe(path.join(await import('node:fs/promises').then((f) => f.realpath(root)), 'node_modules/@acme/math/Base.sol'));
  });

  it('finds @custom:oz-upgrades-from of the contract meant', () => {
    const src = '/// @title V2\n/// @custom:oz-upgrades-from src/V1.sol:Box\ncontract BoxV2 {}\n/**\n * @custom:oz-upgrades-from Other\n */\ncontract Last {}\ncontract Plain {}\n';
    expect(upgradesFrom(src, 'BoxV2')).toEqual({ unit: 'src/V1.sol', name: 'Box' });
    expect(upgradesFrom(src, 'Last')).toEqual({ name: 'Other' });
    expect(upgradesFrom(src, 'Plain')).toBeUndefined();
    expect(upgradesFrom(src, undefined)).toBeUndefined();
  });
});

describe('check --old-ref (CLI)', { timeout: 120_000 }, () => {
  it('checks the branch against a tag in a temporary worktree, finding the old contract by @custom:oz-upgrades-from', async () => {
    const repo = path.join(dir, 'repo');
    await cp(path.join(P, 'foundry/v1'), repo, { recursive: true, filter: (s) => !s.includes(`${path.sep}out`) });
    const g = (...args: string[]) => git('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: repo });
    await g('init', '-q');
    await g('add', '-A');
    await g('commit', '-qm', 'v1');
    await g('tag', 'v1.0.0');
    // The branch renames the contract and says where it comes from.
    const v2 = (await readFile(path.join(P, 'foundry/v2/src/Counter.sol'), 'utf8')).replace('contract Counter {', '/// @custom:oz-upgrades-from Counter\ncontract CounterV2 {');
    await writeFile(path.join(repo, 'src/Counter.sol'), v2);
    const r = await runCli(['check', '--old-ref', 'v1.0.0', '--contract', 'src/Counter.sol:CounterV2', '--format', 'sarif', '--cache-dir', cacheDir], { cwd: repo });
    expect(r.code, r.stderr).toBe(1);
    const res = (JSON.parse(r.stdout) as { runs: { results: { ruleId: string; properties: { entryPoint: string }; locations: { physicalLocation: { artifactLocation: { uri: string } } }[]; relatedLocations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] }).runs[0]!.results;
    // PP210: the constructor writes state (owner), an upgrade hazard the upgrade report finds.
    expect(res.map((x) => [x.ruleId, x.properties.entryPoint ?? ''])).toEqual([['PPV001', 'reset()'], ['PP210', '']]);
    expect(res[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe('src/Counter.sol');
    expect(res[0]!.relatedLocations[0]!.physicalLocation.artifactLocation.uri).toBe('src/Counter.sol');
    // The temporary worktree is gone again.
    expect((await g('worktree', 'list')).stdout.trim().split('\n')).toHaveLength(1);
    // layout takes the same version arguments.
    const lay = await runCli(['layout', '--old-ref', 'v1.0.0', '--contract', 'src/Counter.sol:CounterV2', '--format', 'json', '--cache-dir', cacheDir], { cwd: repo });
    // PP210 (the constructor writes state) is an error: incompatible, exit 1.
    expect(lay.code, lay.stderr).toBe(1);
    const lj = JSON.parse(lay.stdout) as { old: { contract: string }; new: { contract: string }; verdict: string; findings: { code: string }[] };
    expect([lj.old.contract, lj.new.contract, lj.verdict]).toEqual(['Counter', 'CounterV2', 'incompatible']);
    expect(lj.findings.map((f) => f.code)).toContain('PP210');
    expect((await g('worktree', 'list')).stdout.trim().split('\n')).toHaveLength(1);
    const bad = await runCli(['check', '--old-ref', 'no-such-tag', '--contract', 'src/Counter.sol:CounterV2'], { cwd: repo });
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('--old-ref no-such-tag names no commit');
    expect((await readdir(repo)).sort()).toEqual(['.git', 'foundry.toml', 'lib', 'src']);
  });
});

describe('layout, shadow and verify take build-info and project roots (CLI)', { timeout: 120_000 }, () => {
  it('reads Hardhat 3 build-info for layout and Foundry project roots for shadow', async () => {
    const lay = await runCli(['layout', path.join(P, 'hardhat3/v1'), path.join(P, 'hardhat3/v2'), '--contract', 'contracts/Vault.sol:Vault', '--format', 'json']);
    expect(lay.code, lay.stderr).toBe(0);
    expect((JSON.parse(lay.stdout) as { verdict: string }).verdict).toBe('compatible');
    const sh = await runCli(['shadow', '--old-root', path.join(P, 'foundry/v1'), '--new-root', path.join(P, 'foundry/v2'), '--contract', 'src/Counter.sol:Counter', '--fuzz', '2', '--format', 'json', '--cache-dir', cacheDir]);
    expect(sh.code, sh.stderr).toBeLessThan(2);
    expect((JSON.parse(sh.stdout) as { summary: { transactions: number } }).summary.transactions).toBe(8);
    // verify re-checks a certificate of a build-info run against the same build-info.
    const cert = path.join(dir, 'bi-cert.json');
    const chk = await runCli(['check', path.join(P, 'foundry/v1'), path.join(P, 'foundry/v2'), '--contract', 'src/Counter.sol:Counter', '--out', cert, '--quiet']);
    expect(chk.code, chk.stderr).toBe(1);
    const ver = await runCli(['verify', cert, '--old', path.join(P, 'foundry/v1'), '--new', path.join(P, 'foundry/v2'), '--rebuild']);
    expect(ver.code, ver.stdout + ver.stderr).toBe(0);
    expect(ver.stdout).toMatch(/source and code hashes: passed[\s\S]*rebuild: passed/);
    const none = await runCli(['shadow', '--fuzz', '2']);
    expect(none.code).toBe(3);
    expect(none.stderr).toContain('shadow needs both versions');
  });
});
