import { compileFile, selectContract } from '../frontend/compile.ts';
import { PatchproofError } from '../frontend/errors.ts';
import { collectProperties } from './collect.ts';
import type { ContractOutput } from '../frontend/compile.ts';
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
  const newComp = await compileFile(opts.newFile, { root: opts.newRoot, cacheDir: opts.cacheDir });
  const newContract = selectContract(newComp, opts.newContract ?? spec?.contract);
  const refused = assume === undefined ? undefined : untrustedAssumption(assume.expr, oldContract, newContract);
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
      return invariants.map((p, i): Property => ({ ...p, id: `migration#${i}`, kind: 'migration', fn: { name, signature: opts.migration }, ...(assume === undefined ? {} : { assume: { ...assume, ...(refused === undefined ? {} : { refused }) } }) }));
    },
  });
}

/** Names an invariant may use whose meaning does not depend on the contract's code. */
const GLOBALS = new Set(['msg', 'block', 'tx', 'this', 'type', 'abi', 'keccak256', 'sha256', 'ripemd160', 'ecrecover', 'addmod', 'mulmod', 'address', 'payable', 'bool', 'string', 'bytes', 'gasleft', 'blockhash', 'true', 'false']);

/**
 * The old invariants are assumed by evaluating them on the new version's state with the new version's
 * code. That means what they meant on the old version only when every name they use is a global, or a
 * state variable that both versions keep at the same slot, offset and type. A function, constant,
 * immutable or type of the contract may have changed, and a moved variable reads other storage: then
 * the assumption is not the old invariants, and the migration property is refused (unsupported).
 */
function untrustedAssumption(expr: SpecExpr, oldC: ContractOutput, newC: ContractOutput): string | undefined {
  type Entry = { label: string; slot: string; offset: number; type: string };
  const layout = (c: ContractOutput) => (c.storageLayout?.storage ?? []) as Entry[];
  const typeOf = (c: ContractOutput, t: string) => ((c.storageLayout?.types?.[t] as { label?: string } | undefined)?.label ?? t);
  const kept = new Set<string>();
  for (const o of layout(oldC)) {
    const n = layout(newC).filter((e) => e.label === o.label);
    if (layout(oldC).filter((e) => e.label === o.label).length === 1 && n.length === 1 && n[0]!.slot === o.slot && n[0]!.offset === o.offset && typeOf(oldC, o.type) === typeOf(newC, n[0]!.type)) kept.add(o.label);
  }
  const bad = new Set<string>();
  const walk = (e: SpecExpr, bound: ReadonlySet<string>): void => {
    switch (e.k) {
      case 'ident':
        if (!bound.has(e.name) && !GLOBALS.has(e.name) && !/^(u?int\d*|bytes\d+)$/.test(e.name) && !kept.has(e.name)) bad.add(e.name);
        return;
      case 'num': case 'str': case 'bool': case 'result': return;
      case 'unary': case 'old': return walk(e.arg, bound);
      case 'binary': walk(e.left, bound); return walk(e.right, bound);
      case 'cond': walk(e.cond, bound); walk(e.then, bound); return walk(e.else, bound);
      case 'call': walk(e.callee, bound); return e.args.forEach((a) => walk(a, bound));
      case 'member': return walk(e.base, bound);
      case 'index': walk(e.base, bound); return walk(e.index, bound);
      case 'tuple': return e.items.forEach((a) => walk(a, bound));
      case 'let': walk(e.value, bound); return walk(e.body, new Set([...bound, e.name]));
    }
  };
  walk(expr, new Set());
  if (bad.size === 0) return undefined;
  return `the old invariants use ${[...bad].sort().join(', ')}, which the new version does not keep as the same state variable (same slot, offset and type): evaluated on the new version they would not be the old invariants; restate them in a spec file over kept state variables`;
}
