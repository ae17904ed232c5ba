import { compileFile, selectContract } from '../frontend/compile.ts';
import { PatchproofError } from '../frontend/errors.ts';
import { collectProperties } from './collect.ts';
import type { SpecExpr } from './expr.ts';
import { loadSpec, proveProperties, type ProveOptions, type ProveResult } from './prove.ts';
import type { Property } from './types.ts';

/**
 * The upgrade step (issue 6): from any state satisfying the old version's invariants, a successful call
 * of the migration (the initializer or reinitializer that `upgradeToAndCall` makes, with symbolic
 * arguments) leaves every invariant of the new version true. One `migration` property per new invariant,
 * proved on the new version with the same instrumentation as `#invariant` (assume before the call, check
 * after, vacuity of the assumption and of the call). The old invariants are evaluated on the new version's
 * state, by the new version's names: an old invariant over a variable the new version renamed or removed
 * is reported at its position (restate it in a spec file in the new names).
 */
export interface MigrationOptions extends Omit<ProveOptions, 'file' | 'contract' | 'root' | 'properties' | 'lenient'> {
  readonly oldFile: string;
  readonly newFile: string;
  readonly oldContract?: string;
  readonly newContract?: string;
  readonly oldRoot?: string;
  readonly newRoot?: string;
  /** The migration function of the new version: a signature, or a name that is not overloaded. */
  readonly migration: string;
}

export async function proveMigration(opts: MigrationOptions): Promise<ProveResult> {
  const spec = opts.spec ?? (opts.specFile !== undefined ? await loadSpec(opts.specFile) : undefined);
  const oldComp = await compileFile(opts.oldFile, { root: opts.oldRoot, cacheDir: opts.cacheDir });
  const oldContract = selectContract(oldComp, opts.oldContract ?? spec?.contract);
  // The old version's invariants: its annotations, and the spec file's (which are about both versions).
  const oldInvariants = collectProperties(oldComp, oldContract, spec, true).properties.filter((p) => p.kind === 'invariant');
  const assume = oldInvariants.length === 0
    ? undefined
    : {
        expr: oldInvariants.map((p) => p.expr).reduce((a, b): SpecExpr => ({ k: 'binary', op: '&&', left: a, right: b, loc: a.loc })),
        source: oldInvariants.map((p) => `(${p.source})`).join(' && '),
      };
  const name = opts.migration.replace(/\(.*$/, '').trim();
  return proveProperties({
    ...opts,
    file: opts.newFile,
    contract: opts.newContract ?? spec?.contract,
    root: opts.newRoot,
    spec,
    properties: (collected) => {
      const invariants = collected.filter((p) => p.kind === 'invariant');
      if (invariants.length === 0) {
        throw new PatchproofError('input', `${opts.newFile}: the new version has no invariant for the migration ${opts.migration} to establish; annotate the contract with /// #invariant <expr>; or pass --spec with invariant entries (specs/README.md)`);
      }
      return invariants.map((p, i): Property => ({ ...p, id: `migration#${i}`, kind: 'migration', fn: { name, signature: opts.migration }, ...(assume === undefined ? {} : { assume }) }));
    },
  });
}
