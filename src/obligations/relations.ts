import { PatchproofError } from '../frontend/errors.ts';

/**
 * Relations between the two versions beyond equivalence, as plain data: what a spec (the CLI flags
 * today, the spec language of src/spec later) asks of one entry point. No parsing of spec files and no
 * solver here; check-relations.ts turns these into queries.
 */

/** `equivalence` (the default): every entry point behaves the same. `fix`: the new version refines the old one. */
export type CheckMode = 'equivalence' | 'fix';

/** Where a condition was written: a CLI flag (`--blocks`) or a spec file, and the condition's first character. */
export interface SpecOrigin {
  /** The flag (`--blocks`) or the spec file's path. */
  readonly source: string;
  /** 1-based line and column of the condition's first character in that source. */
  readonly line: number;
  readonly col: number;
}

/**
 * A Solidity boolean expression about one call of one entry point: over the entry point's parameters
 * (as named in `version`), `msg.sender`, `msg.value`, `block.*`, `tx.origin`, and the state variables of
 * `version` (those the checked contract can see: not a base contract's `private` ones), read in the
 * pre-state. It holds on an input when its evaluation succeeds and yields true; an evaluation that
 * reverts (an overflow, a division by zero) does not hold.
 */
export interface ConditionSpec {
  /** Canonical signature of the entry point (`withdraw(uint256)`), as in solc's method identifiers. */
  readonly entryPoint: string;
  readonly text: string;
  /** The version whose names the condition uses and in which it is evaluated (both share the pre-state). */
  readonly version: 'old' | 'new';
  readonly origin: SpecOrigin;
}

/**
 * - `blocks`: the new version reverts whenever the condition holds (an exploit's precondition), and the
 *   old version does not always revert under it (else the spec is `vacuous`).
 * - `differs-only-when`: where no such condition of the entry point holds, the versions are equivalent
 *   (refine, in fix mode); where one holds, `inside` must hold: the new version reverts (the only choice
 *   so far; postconditions come with the spec language).
 */
export type RelationSpec =
  | { readonly kind: 'blocks'; readonly condition: ConditionSpec }
  | { readonly kind: 'differs-only-when'; readonly condition: ConditionSpec; readonly inside: 'new-reverts' };

/**
 * The relation one entry point must have, overriding the check's mode for it: `equivalence` (it behaves
 * the same) or `fix` (the new version refines the old one). From a spec file's `relation equivalent;` /
 * `relation refines;`.
 */
export interface EntryRelation {
  readonly entryPoint: string;
  readonly mode: CheckMode;
  readonly origin: SpecOrigin;
}

/**
 * The canonical signature an entry point is named by: a signature is kept (without blanks), a bare name
 * must name exactly one function of `signatures` (an overloaded name needs its parameter types).
 * `where` prefixes the error.
 */
export function resolveEntryPoint(name: string, signatures: ReadonlySet<string>, where: string): string {
  const compact = name.replace(/\s+/g, '');
  if (compact.includes('(')) {
    if (signatures.has(compact)) return compact;
    throw new PatchproofError('usage', `${where}: neither version has an entry point ${compact}`);
  }
  const matches = [...signatures].filter((s) => s.slice(0, s.indexOf('(')) === compact).sort();
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) throw new PatchproofError('usage', `${where}: neither version has a function named ${compact}`);
  throw new PatchproofError('usage', `${where}: ${compact} is overloaded (${matches.join(', ')}); write the parameter types, e.g. ${matches[0]}`);
}

/** A spec file's `added f;` / `removed f;`: an entry point only one version has, on purpose. */
export interface IntendedChangeSpec {
  readonly kind: 'added' | 'removed';
  readonly entryPoint: string;
  readonly origin: SpecOrigin;
}

/** The relation specs of one entry point, by kind. */
export interface EntrySpecs {
  readonly blocks: readonly ConditionSpec[];
  readonly differsOnlyWhen: readonly ConditionSpec[];
}

export function specsFor(specs: readonly RelationSpec[], signature: string): EntrySpecs {
  const mine = specs.filter((s) => s.condition.entryPoint === signature);
  return {
    blocks: mine.filter((s) => s.kind === 'blocks').map((s) => s.condition),
    differsOnlyWhen: mine.filter((s) => s.kind === 'differs-only-when').map((s) => s.condition),
  };
}

/**
 * Parses one CLI relation flag: `[old:|new:]<signature>: <condition>`, e.g.
 * `withdraw(uint256): amount > balances[msg.sender]`. The version prefix says whose names the condition
 * uses (default `old`: an exploit is stated against the deployed code).
 */
export function parseRelationFlag(flag: '--blocks' | '--differs-only-when', value: string): RelationSpec {
  const bad = (what: string) => new PatchproofError('usage', `${flag} '${value}': ${what}; expected '[old:|new:]<function signature>: <Solidity boolean expression>', e.g. 'withdraw(uint256): amount > balances[msg.sender]'`);
  let at = 0;
  let version: 'old' | 'new' = 'old';
  const prefix = /^\s*(old|new)\s*:\s*/.exec(value);
  if (prefix && !/^\s*(old|new)\s*:\s*\(/.test(value) && /^[A-Za-z_$]/.test(value.slice(prefix[0].length))) {
    version = prefix[1] as 'old' | 'new';
    at = prefix[0].length;
  }
  while (value[at] === ' ') at++;
  const open = value.indexOf('(', at);
  if (open < 0) throw bad('no function signature');
  let depth = 0;
  let close = -1;
  for (let i = open; i < value.length; i++) {
    if (value[i] === '(') depth++;
    else if (value[i] === ')' && --depth === 0) {
      close = i;
      break;
    }
  }
  if (close < 0) throw bad('unbalanced parentheses in the signature');
  const signature = value.slice(at, close + 1).replace(/\s+/g, '');
  if (!/^[A-Za-z_$][A-Za-z0-9_$]*\(.*\)$/.test(signature)) throw bad(`"${signature}" is not a function signature`);
  let rest = close + 1;
  while (value[rest] === ' ') rest++;
  if (value[rest] !== ':') throw bad(`a ':' must follow the signature ${signature}`);
  rest++;
  while (value[rest] === ' ') rest++;
  const text = value.slice(rest).trimEnd();
  if (text === '') throw bad('the condition is empty');
  const condition: ConditionSpec = { entryPoint: signature, text, version, origin: { source: flag, line: 1, col: rest + 1 } };
  return flag === '--blocks' ? { kind: 'blocks', condition } : { kind: 'differs-only-when', condition, inside: 'new-reverts' };
}

/** How a condition is named in reports: its text with its origin. */
export function describeCondition(c: ConditionSpec): string {
  return `${c.origin.source} '${c.entryPoint}: ${c.text}'`;
}
