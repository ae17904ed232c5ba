import { formatLoc, type SrcLoc } from '../util/loc.ts';
import type { PropertyVerdict } from '../verdicts/types.ts';
import type { SpecExpr } from './expr.ts';

/** A mistake in a spec (annotation or spec file): where, and what was expected. Thrown by the parsers. */
export class SpecError extends Error {
  override readonly name = 'SpecError';
  constructor(readonly loc: SrcLoc, readonly detail: string) {
    super(`${formatLoc(loc)}: ${detail}`);
  }
}

/**
 * One single-version property: a contract invariant, a function postcondition, or (`migration`) one of
 * the new version's invariants established by the upgrade's migration call from any state satisfying the
 * old version's invariants (`assume`).
 */
export interface Property {
  /** Stable within a run: `inv#0`, `if_succeeds#1`…, numbered in order of appearance. */
  readonly id: string;
  readonly kind: 'invariant' | 'if_succeeds' | 'migration';
  /** The expression as written (trimmed, on one line). */
  readonly source: string;
  readonly expr: SpecExpr;
  readonly msg?: string;
  /** Where the annotation (or spec file entry) starts. */
  readonly loc: SrcLoc;
  /** if_succeeds only: the function it is attached to (name, and its AST id when annotated in code). */
  readonly fn?: { readonly name: string; readonly astId?: number; readonly signature?: string };
  /** migration only: the old version's invariants (their conjunction), assumed before the call; absent: none. */
  readonly assume?: { readonly expr: SpecExpr; readonly source: string; readonly refused?: string };
  /** Where it came from: a `///` annotation in the code, or a spec file. */
  readonly origin: 'annotation' | 'spec-file';
}

/** A Scribble annotation we recognise but do not check (`#assert`, `#if_updated`, a quantifier…). */
export interface UnsupportedProperty {
  readonly kind: 'unsupported';
  readonly what: string;
  readonly loc: SrcLoc;
}

/** A condition written as Solidity expression text, kept as text with its location for the relations. */
export interface ConditionText {
  readonly text: string;
  readonly loc: SrcLoc;
}

export type RelationKind = 'equivalent' | 'refines' | 'blocks' | 'differs-only-when';

/**
 * The relation an entry point must have between the two versions (spec file `relation …`). Maps onto the
 * relation obligations (src/obligations/relations.ts, another branch): entry point, relation, condition.
 */
export interface RelationEntry {
  /** Function name as written, optionally with a parameter type list: `withdraw` or `withdraw(uint256)`. */
  readonly entryPoint: string;
  readonly relation: RelationKind;
  /** `blocks` and `differs-only-when` only. */
  readonly condition?: ConditionText;
  readonly loc: SrcLoc;
}

/** `rename old -> new;` in a spec: a state variable intentionally renamed or moved. */
export interface StateMapping {
  readonly oldName: string;
  readonly newName: string;
  readonly loc: SrcLoc;
}

/** `added f;` / `removed f;`: an entry point whose addition or removal is intended. */
export interface IntendedChange {
  readonly kind: 'added' | 'removed';
  readonly entryPoint: string;
  readonly loc: SrcLoc;
}

/** A parsed spec file. */
export interface SpecFile {
  readonly file: string;
  /** `contract Name;` at the top: the contract the spec is about (default: the selected one). */
  readonly contract?: string;
  readonly properties: readonly Property[];
  readonly unsupported: readonly UnsupportedProperty[];
  readonly relations: readonly RelationEntry[];
  readonly stateMappings: readonly StateMapping[];
  readonly intended: readonly IntendedChange[];
}

/**
 * The verdict on one property for one version: the one property verdict type (src/verdicts/types.ts).
 * `vacuous`: proved only because nothing to check exists (no input on which the function succeeds, or
 * no state satisfies the invariant) — never a proof. A violation names its entry point.
 */
export type { PropertyVerdict } from '../verdicts/types.ts';

/** One entry point's part of a property's proof (every non-view entry point of an invariant). */
export interface PropertyEntry {
  readonly entryPoint: string;
  readonly verdict: PropertyVerdict;
  readonly solverCalls: number;
  readonly durationMs: number;
}

export interface PropertyResult {
  readonly id: string;
  readonly kind: Property['kind'] | 'unsupported';
  readonly expression: string;
  readonly msg?: string;
  readonly loc: SrcLoc;
  readonly fn?: string;
  readonly verdict: PropertyVerdict;
  readonly entries: readonly PropertyEntry[];
}
