import type { SrcLoc } from '../util/loc.ts';
import { assertNever } from '../util/assert.ts';

/**
 * The verdict for one entry point. Never a boolean: a proof, a refutation with its witness, or an honest
 * "could not decide" with the reason. Gas is never compared.
 */
export type Verdict =
  /** `through`: the state mappings (moved or retyped variables) storage was related through, with any assumption. */
  | { readonly kind: 'equivalent'; readonly how: EquivalenceProof; readonly bound?: LoopBound; readonly through?: readonly string[] }
  /**
   * `check --mode fix` (or an intended change): wherever the new version does not revert, it behaves
   * exactly like the old one (the old one does not revert there either). `intended`: the conditions of
   * `differs-only-when` specs it was proved with (inside them the new version reverts); `note`: why an
   * entry point proved equivalent is only claimed to refine (see check-relations.ts).
   */
  | { readonly kind: 'refines'; readonly how: EquivalenceProof; readonly bound?: LoopBound; readonly intended?: readonly string[]; readonly note?: string }
  | { readonly kind: 'different'; readonly reason: string; readonly counterexample?: Counterexample }
  | { readonly kind: 'unknown'; readonly reason: string; readonly counterexample?: Counterexample }
  | { readonly kind: 'unsupported'; readonly construct: string; readonly loc: SrcLoc }
  /**
   * The relation holds only because its assumptions are unsatisfiable: the new version reverts on every
   * input (fix mode), or an intended-change condition holds for no input. Inconclusive, never a proof.
   */
  | { readonly kind: 'vacuous'; readonly reason: string };

/**
 * Present on an `equivalent` that holds only up to the loop unrolling bound: no input on which both
 * versions finish within `loops` iterations of every loop tells them apart, but some input reaches the
 * bound (at `exhaustedAt`, in either version), and beyond it nothing was proved. Not a full proof.
 */
export interface LoopBound {
  readonly loops: number;
  readonly exhaustedAt: SrcLoc;
}

/** How an `equivalent` was established: the cheaper checks need no solver at all. */
export type EquivalenceProof = 'identical-ir' | 'identical-terms' | 'solver' | 'summaries' | 'loop-summaries';

export type VerdictKind = Verdict['kind'];

export type EntryKind = 'function' | 'getter' | 'fallback' | 'receive';

/** A value shown to a person: the Solidity type and its rendering (decimal for integers, 0x-hex otherwise). */
export interface ShownValue {
  readonly type: string;
  readonly value: string;
}

export interface StorageValue {
  /** Human name, e.g. `balances[0x00…01]` or `owner`; `slot 0x…` when no variable owns the slot. */
  readonly name: string;
  /** Slot as 0x-hex (the real EVM slot, keccak-derived for mappings). */
  readonly slot: string;
  readonly value: string;
}

export interface EmittedEvent {
  readonly signature: string;
  readonly topics: readonly string[];
  readonly data: readonly string[];
  readonly args: readonly ShownValue[];
}

/** One side's concrete execution of a counterexample, as computed by the IR's concrete evaluator. */
export interface Execution {
  readonly status: 'success' | 'revert';
  readonly returnValues: readonly ShownValue[];
  /** Revert data decoded (`Error("…")`, `Panic(0x11)`, `InsufficientBalance(3, 4)`, `empty`) and raw. */
  readonly revert?: { readonly description: string; readonly data: string };
  /** Storage words written by this execution (post-state values), in slot order. */
  readonly storageWrites: readonly StorageValue[];
  readonly events: readonly EmittedEvent[];
}

export interface Counterexample {
  readonly entryPoint: string;
  readonly args: readonly (ShownValue & { readonly name: string })[];
  /** msg.sender, msg.value, block.timestamp, block.number, calldatasize … */
  readonly env: Readonly<Record<string, string>>;
  /** Every pre-state word the executions read or overwrite (all other storage is irrelevant). */
  readonly preState: readonly StorageValue[];
  /** The exact calldata (selector, raw argument words, cut to the model's calldata size), 0x-hex. */
  readonly calldata: string;
  readonly old: Execution;
  readonly new: Execution;
  /** Which observable parts differ: success, revertData, returnData, storage, logs. */
  readonly differs: readonly string[];
  /** The counterexample executed on a real EVM (absent only when replay was switched off). */
  readonly replay?: Replay;
  /**
   * Set when the difference needs a re-entrant callee (`differs under reentrancy`). The inputs are then
   * replayed with callees that do not re-enter, which cannot show the difference: such a replay documents
   * both runs but never counts as confirming it.
   */
  readonly reentrancy?: { readonly at: string; readonly explanation: string };
  /**
   * Values the counterexample assumes for immutables (the same per name and type in both versions),
   * written into the runtime code for the replay. Absent when neither version reads one.
   */
  readonly immutables?: readonly { readonly name: string; readonly type: string; readonly value: string }[];
  /** The world's answers to the external calls, in call order per version (replayed by stub callees). */
  readonly calls?: { readonly old: readonly ShownCall[]; readonly new: readonly ShownCall[] };
  /**
   * Balances of other accounts the versions read (`a.balance`), as the contract starts running (the
   * sender's after msg.value left it), decimal; the replay funds the accounts with them.
   */
  readonly balances?: readonly { readonly address: string; readonly balance: string }[];
  /** The block hashes `blockhash(n)` read within the last 256 blocks (decimal number, 0x-hex hash); the replay sets them. */
  readonly blockhashes?: readonly { readonly number: string; readonly hash: string }[];
  /**
   * Set when the versions were compared through a state mapping (moved or retyped variables): `preState`
   * is the old version's storage, `newPreState` the words where the new version's differs (its mapped
   * image), and `places` each mapped variable's two places the post-states are compared at through the
   * mapping (same value) rather than byte for byte.
   */
  readonly stateMapping?: {
    readonly newPreState: readonly StorageValue[];
    readonly places: readonly { readonly variable: string; readonly old: MappedSlot; readonly new: MappedSlot }[];
  };
}

/** A mapped variable's place in one version: its slot (0x-hex), byte offset, size and signedness. */
export interface MappedSlot {
  readonly name: string;
  readonly slot: string;
  readonly offset: number;
  readonly bytes: number;
  readonly signed: boolean;
}

/** One external call of a counterexample and the answer the model gave it. */
export interface ShownCall {
  /** False for an address that was only checked for code (EXTCODESIZE) and found to have none. */
  readonly made: boolean;
  readonly to: string;
  readonly value: string;
  readonly data: string;
  readonly stipend: boolean;
  /** The `{gas: g}` option, decimal (absent: all remaining gas is passed). */
  readonly gas?: string;
  readonly kind: 'call' | 'staticcall';
  readonly hasCode: boolean;
  readonly success: boolean;
  /** Return data on success, revert data on failure, 0x-hex. */
  readonly output: string;
}

/** One side's execution of a counterexample on the EVM, as shown in reports. */
export interface ReplayedRun {
  readonly status: 'success' | 'revert';
  /** An exceptional halt other than REVERT (invalid opcode, out of gas…). */
  readonly halt?: string;
  /** One line: `success returning 0x…`, `revert with 0x…`, `exceptional halt (…)`. */
  readonly summary: string;
  /** Raw return or revert data, 0x-hex. */
  readonly output: string;
  /** Slots whose value after the call differs from the pre-state. */
  readonly storageChanges: readonly { readonly slot: string; readonly value: string }[];
  readonly logs: readonly { readonly topics: readonly string[]; readonly data: string }[];
}

/** A counterexample replayed on both versions' compiled code. */
export interface Replay {
  /** The EVM shows an observable difference between the versions. */
  readonly confirmed: boolean;
  /** Which observable parts differ on the EVM. */
  readonly differs: readonly string[];
  /** Each side's EVM run is exactly what the model predicted. */
  readonly matchesModel: { readonly old: boolean; readonly new: boolean };
  readonly old: ReplayedRun;
  readonly new: ReplayedRun;
  /** Every disagreement between model and EVM, one sentence each. */
  readonly notes: readonly string[];
}

/** One solver question (or solver-free check) behind a verdict. */
export interface ObligationRecord {
  readonly id: string;
  readonly kind: ObligationKind;
  readonly entryPoint: string;
  readonly verdict: ObligationVerdictKind;
  /** SHA-256 of the exact SMT-LIB2 text solved; absent when no solver call was needed. */
  readonly smtSha256?: string;
  readonly solver?: string;
  readonly durationMs: number;
}

/** An obligation's verdict: an entry point's relation verdict, or a property's. */
export type ObligationVerdictKind = VerdictKind | PropertyVerdict['kind'];

/** What an obligation asks (`equivalence` is the default mode's relation; the others see check-relations.ts). */
export type ObligationKind = 'equivalence' | 'refines' | 'differs-only-when' | 'blocks' | 'asserts';

/**
 * The verdict of a property: of one entry point (an exploit condition the new version must block, the new
 * version's asserts) or of one version (a spec's `#invariant`/`#if_succeeds`, src/spec): `proved` (up to
 * `bound` when loops were cut; `how` when one proof decided it), `violated` with a counterexample replayed
 * on the EVM (`entryPoint`: the one that violates a version's property), `vacuous` (it holds only because
 * its assumption is unsatisfiable, or nothing is left to check), or inconclusive.
 */
export type PropertyVerdict =
  | { readonly kind: 'proved'; readonly how?: EquivalenceProof; readonly bound?: LoopBound; readonly witness?: Counterexample }
  | { readonly kind: 'violated'; readonly reason: string; readonly entryPoint?: string; readonly at?: SrcLoc; readonly counterexample?: Counterexample }
  | { readonly kind: 'vacuous'; readonly reason: string }
  | { readonly kind: 'unknown'; readonly reason: string; readonly counterexample?: Counterexample }
  | { readonly kind: 'unsupported'; readonly construct: string; readonly loc: SrcLoc };

/** One property of an entry point and its verdict. */
export interface PropertyResult {
  readonly kind: 'blocks' | 'asserts';
  /** The condition (blocks) or a description (`no assert of the new version fails`). */
  readonly text: string;
  /** Where the property was stated: a CLI flag or a spec file, with the condition's line and column. */
  readonly origin?: { readonly source: string; readonly line: number; readonly col: number };
  readonly verdict: PropertyVerdict;
}

export interface EntryPointResult {
  /** 0x-prefixed 4-byte selector; null for fallback/receive. */
  readonly selector: string | null;
  readonly signature: string;
  readonly kind: EntryKind;
  readonly verdict: Verdict;
  /** Where the entry point is defined: in the new version, or in the old one when it exists only there. */
  readonly location?: SrcLoc;
  /** Where it is defined in the old version (absent when it is new); CI reports point back to it. */
  readonly oldLocation?: SrcLoc;
  /** Set when the entry point exists in one version only (added: `new`, removed: `old`). */
  readonly onlyIn?: 'old' | 'new';
  readonly durationMs: number;
  readonly solverCalls: number;
  /** Properties checked at this entry point (check --mode fix, --blocks, asserts); absent when none. */
  readonly properties?: readonly PropertyResult[];
  /**
   * An entry point only one version has whose addition or removal a spec declares intended: where
   * (`file:line:col`). Its verdict stays `different`; the overall verdict leaves it out.
   */
  readonly intendedBy?: string;
}

/** The verdicts of a run, worst first: a refutation, then the inconclusive kinds, then proofs. */
const RANK: readonly OverallVerdict[] = ['different', 'violated', 'unsupported', 'unknown', 'vacuous', 'bounded', 'refines', 'equivalent'];

/** A property's verdict as it counts towards the overall verdict. */
function propertyRank(p: PropertyVerdict): OverallVerdict {
  switch (p.kind) {
    case 'proved':
      return p.bound === undefined ? 'equivalent' : 'bounded';
    case 'violated':
      return 'violated';
    case 'vacuous':
    case 'unknown':
    case 'unsupported':
      return p.kind;
    default:
      return assertNever(p, 'property verdict');
  }
}

/**
 * The overall verdict of a run: the worst of every entry point's verdict and every property's, ranked
 * different > violated > unsupported > unknown > vacuous > bounded > refines > equivalent, where `bounded`
 * is a proof only up to the loop bound; `incompatible` (set by the caller) when the upgrade report is.
 */
export type OverallVerdict = 'equivalent' | 'refines' | 'bounded' | 'vacuous' | 'different' | 'violated' | 'unknown' | 'unsupported' | 'incompatible';

export function overallVerdict(verdicts: readonly Verdict[], properties: readonly PropertyVerdict[] = []): OverallVerdict {
  const kinds = new Set<OverallVerdict>([
    ...verdicts.map((v): OverallVerdict => ((v.kind === 'equivalent' || v.kind === 'refines') && v.bound !== undefined ? 'bounded' : v.kind)),
    ...properties.map(propertyRank),
  ]);
  return RANK.find((k) => kinds.has(k)) ?? 'equivalent';
}
