import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  getContractVersion,
  getStorageLayout,
  getStorageUpgradeReport,
  makeNamespacedInput,
  solcInputOutputDecoder,
  validate,
  withValidationDefaults,
  type SolcInput,
  type SolcOutput,
} from '@openzeppelin/upgrades-core';
import solc from 'solc';
import { describe, expect, it } from 'vitest';
import { analyzeUpgrade } from '../../src/upgrade/index.ts';
import { sha256Hex } from '../../src/util/hash.ts';
import { cacheDir, compilePair, expectedOf, upgradeFixtureNames, type CompiledSide } from './corpus.ts';

/*
 * Reference check: OpenZeppelin's upgrades-core storage layout comparison beside patchproof on every
 * layout pair. They must agree on compatible/incompatible except where expected.json records
 * `upgradesCore` (every such divergence is explained in the README, "Divergences from upgrades-core").
 */

const OUTPUTS = ['abi', 'storageLayout', 'evm.bytecode.object', 'evm.bytecode.linkReferences', 'evm.deployedBytecode.object', 'evm.methodIdentifiers'];

/** solc standard JSON with everything upgrades-core reads, cached on disk like the frontend's cache. */
function compileForOz(input: object): SolcOutput {
  const settings = { ...(input as { settings: object }).settings, outputSelection: { '*': { '*': OUTPUTS, '': ['ast'] } } };
  const json = JSON.stringify({ ...input, settings });
  const file = path.join(cacheDir, `oz-${sha256Hex(solc.version() + json)}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as SolcOutput;
  const out = solc.compile(json);
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(file, out);
  return JSON.parse(out) as SolcOutput;
}

function ozLayout(side: CompiledSide) {
  const input = { ...(side.compilation.input as object), settings: { ...((side.compilation.input as { settings: object }).settings) } } as unknown as SolcInput;
  const output = compileForOz(input);
  const solcVersion = solc.version().split('+')[0]!;
  const hasNamespaces = Object.values(input.sources).some((s) => (s as { content?: string }).content?.includes('@custom:storage-location') === true);
  const namespaced = hasNamespaces ? compileForOz(makeNamespacedInput(input, output, solcVersion)) : undefined;
  const validation = validate(output, solcInputOutputDecoder(input, output), solcVersion, input, namespaced);
  return getStorageLayout(validation, getContractVersion(validation, `${side.contract.unit}:${side.contract.name}`));
}

describe('upgrades-core reference check (storage layout)', () => {
  const layoutPairs = upgradeFixtureNames.filter((n) => expectedOf(n).findings.every((c) => c.startsWith('PP1')));
  it('covers every layout pair', () => {
    expect(layoutPairs.length).toBeGreaterThanOrEqual(20);
  });
  for (const name of layoutPairs) {
    it(name, { timeout: 60_000 }, async () => {
      const exp = expectedOf(name);
      const pair = await compilePair(name);
      const ours = analyzeUpgrade(pair).verdict;
      const report = getStorageUpgradeReport(ozLayout(pair.old), ozLayout(pair.new), withValidationDefaults({}));
      const theirs = report.ok ? 'compatible' : 'incompatible';
      expect(ours).toBe(exp.verdict);
      expect(theirs, report.ok ? 'upgrades-core: ok' : report.explain(false)).toBe(exp.upgradesCore ?? exp.verdict);
    });
  }
});
