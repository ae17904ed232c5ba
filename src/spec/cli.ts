import { checkStateMappings, type MappingResult } from './mapping.ts';
import type { SpecFile } from './types.ts';
import type { CheckOptions } from '../api.ts';
import { TOOL_VERSION } from '../check.ts';
import { isPatchproofError, PatchproofError } from '../frontend/errors.ts';
import { loadSpec, proveProperties, type ProveOptions, type ProveResult } from './prove.ts';
import { formatComparisonText, formatPropertiesText, propertiesExitCode, propertiesJson, specJson } from './report.ts';

/*
 * The spec commands as the CLI calls them: `prove <file> [--spec]` and the property part of
 * `check <old> <new> --spec`. Values in, text and exit codes out; printing stays in src/cli.
 */

export async function proveCommand(opts: ProveOptions, format: 'text' | 'json'): Promise<{ text: string; exitCode: number }> {
  const r = await proveProperties(opts);
  if (r.properties.length === 0) {
    throw new PatchproofError('input', `no properties to prove in ${r.contract}: annotate it with /// #invariant <expr>; or /// #if_succeeds <expr>;, or pass --spec <file> with invariant/if_succeeds entries (specs/README.md)`);
  }
  const exitCode = propertiesExitCode(r.overall);
  const text = format === 'json'
    ? JSON.stringify({ schemaVersion: 1, tool: { name: 'patchproof', version: TOOL_VERSION }, ...propertiesJson(r), exitCode, spec: specJson(r.spec) }, null, 2) + '\n'
    : formatPropertiesText(r);
  return { text, exitCode };
}

export interface SpecCheck {
  readonly text: string;
  readonly json: { readonly properties: object; readonly spec: object | null };
  readonly exitCode: number;
}

/**
 * Properties of both versions for `check --spec`. The new version's verdicts decide the exit code; the
 * old version's are reported so a fix can be shown to restore a property. A spec that does not fit the
 * old version (a function it names was added by the patch) leaves the old side unchecked, with the reason.
 */
export async function checkSpecs(opts: CheckOptions, specPath: string): Promise<SpecCheck> {
  const spec = await loadSpec(specPath);
  const common = { cacheDir: opts.cacheDir, spec, timeoutMs: opts.timeoutMs, loopBound: opts.loopBound, solver: opts.solver };
  const newR = await proveProperties({ ...common, file: opts.newFile, contract: opts.newContract ?? opts.contract, root: opts.newRoot });
  let oldR: ProveResult | undefined;
  let oldError = '';
  try {
    oldR = await proveProperties({ ...common, file: opts.oldFile, contract: opts.oldContract ?? opts.contract, root: opts.oldRoot, lenient: true });
  } catch (e) {
    if (!isPatchproofError(e)) throw e;
    oldError = e.message;
  }
  // `relation`, `added` and `removed` entries are checked with the entry points (the caller passed them on);
  // state mappings against both storage layouts: a rename in place is covered by the slot-wise proofs, a
  // supported move or retype by the proofs through the mapping (check passes them to the entry points).
  const mappings = spec.stateMappings.length === 0 ? [] : await mappingsOf(opts, spec.stateMappings);
  const unchecked = mappings.some((m) => !m.inPlace && m.through === undefined);
  const exit = propertiesExitCode(newR.overall === 'none' ? 'proved' : newR.overall);
  const text = oldR !== undefined ? formatComparisonText(oldR, newR, mappings) : `${formatPropertiesText(newR)}old version: properties not checked (${oldError})\n`;
  return {
    text,
    json: {
      properties: { old: oldR === undefined ? { error: oldError } : propertiesJson(oldR), new: propertiesJson(newR) },
      spec: { ...(specJson(spec) as object), stateMappingChecks: mappings.map((m) => ({ old: m.mapping.oldName, new: m.mapping.newName, inPlace: m.inPlace, provedThrough: m.inPlace || m.through !== undefined, detail: m.detail })) },
    },
    // Two-version entries the tool does not check yet cannot pass as proved.
    exitCode: exit === 0 && unchecked ? 2 : exit,
  };
}

/**
 * `check --migration f`: the upgrade step, proved on the new version from the old version's invariants
 * (src/spec/migration.ts). Its exit code counts like the properties' (1 violated, 2 inconclusive).
 */
export async function checkMigration(opts: CheckOptions, migration: string, specPath: string | undefined): Promise<SpecCheck> {
  const { proveMigration } = await import('./migration.ts');
  const r = await proveMigration({
    oldFile: opts.oldFile, newFile: opts.newFile, oldContract: opts.oldContract ?? opts.contract, newContract: opts.newContract ?? opts.contract,
    oldRoot: opts.oldRoot, newRoot: opts.newRoot, cacheDir: opts.cacheDir, timeoutMs: opts.timeoutMs, loopBound: opts.loopBound, solver: opts.solver, migration,
    ...(specPath === undefined ? {} : { spec: await loadSpec(specPath) }),
  });
  return {
    text: `migration ${migration} (from any state satisfying the old version's invariants, a successful call leaves each new invariant true):\n${formatPropertiesText(r)}`,
    json: { properties: { migration: { function: migration, ...propertiesJson(r) } }, spec: null },
    exitCode: propertiesExitCode(r.overall === 'none' ? 'proved' : r.overall),
  };
}

/** Each `rename` of the spec against both versions' storage layouts (compilations are cached by check). */
async function mappingsOf(opts: CheckOptions, mappings: SpecFile['stateMappings']): Promise<MappingResult[]> {
  const { compileFile, selectContract } = await import('../frontend/compile.ts');
  const side = async (file: string, contract: string | undefined, root: string | undefined) => selectContract(await compileFile(file, { root, cacheDir: opts.cacheDir }), contract);
  const oldC = await side(opts.oldFile, opts.oldContract ?? opts.contract, opts.oldRoot);
  const newC = await side(opts.newFile, opts.newContract ?? opts.contract, opts.newRoot);
  return checkStateMappings(mappings, oldC, newC);
}
