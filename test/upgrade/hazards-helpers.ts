import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileFile, selectContract } from '../../src/frontend/compile.ts';
import type { Finding } from '../../src/upgrade/finding.ts';
import { analyzeHazards } from '../../src/upgrade/hazards/index.ts';
import type { UpgradeSide } from '../../src/upgrade/index.ts';
import { projectRoot } from '../cli/helpers.ts';

/** Shared with the e2e suites: solc output is cached by input hash, so a pair compiles once per machine. */
export const cacheDir = path.join(projectRoot, 'node_modules/.cache/patchproof-test');
export const upgradeFixtures = path.join(projectRoot, 'fixtures-upgrade');
/** The OpenZeppelin-like stand-ins every hazard pair imports (one copy per pair; this one for inline cases). */
export const ozStandIns = readFileSync(path.join(upgradeFixtures, 'hazard-uups-safe-upgrade', 'oz.sol'), 'utf8');

async function side(file: string, contract: string): Promise<UpgradeSide> {
  const compilation = await compileFile(file, { cacheDir });
  return { compilation, contract: selectContract(compilation, contract) };
}

/** The hazard analysis alone on a pair of files. */
export async function hazardsOf(oldFile: string, newFile: string, contract: string): Promise<readonly Finding[]> {
  return analyzeHazards({ old: await side(oldFile, contract), new: await side(newFile, contract) });
}

/** The hazard analysis on inline sources (each may `import "./oz.sol"`), written to a fresh directory. */
export async function hazardsOfSources(oldSource: string, newSource: string, contract: string): Promise<readonly Finding[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pp-hazards-'));
  writeFileSync(path.join(dir, 'oz.sol'), ozStandIns);
  writeFileSync(path.join(dir, 'old.sol'), oldSource);
  writeFileSync(path.join(dir, 'new.sol'), newSource);
  try {
    return await hazardsOf(path.join(dir, 'old.sol'), path.join(dir, 'new.sol'), contract);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function codes(findings: readonly Finding[]): string[] {
  return findings.map((f) => f.code).sort();
}
