import type { SrcLoc } from '../util/loc.ts';

/**
 * The verdict for one entry point. Never a boolean: a proof, a refutation with its witness, or an honest
 * "could not decide" with the reason. Gas is never compared.
 */
export type Verdict =
  | { readonly kind: 'equivalent'; readonly how: EquivalenceProof; readonly bound?: LoopBound }
  | { readonly kind: 'different'; readonly reason: string; readonly counterexample?: Counterexample }
  | { readonly kind: 'unknown'; readonly reason: string; readonly counterexample?: Counterexample }
  | { readonly kind: 'unsupported'; readonly construct: string; readonly loc: SrcLoc };

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
  /** The world's answers to the external calls, in call order per version (replayed by stub callees). */
  readonly calls?: { readonly old: readonly ShownCall[]; readonly new: readonly ShownCall[] };
  /**
   * Balances of other accounts the versions read (`a.balance`), as the contract starts running (the
   * sender's after msg.value left it), decimal; the replay funds the accounts with them.
   */
  readonly balances?: readonly { readonly address: string; readonly balance: string }[];
  /** The block hashes `blockhash(n)` read within the last 256 blocks (decimal number, 0x-hex hash); the replay sets them. */
  readonly blockhashes?: readonly { readonly number: string; readonly hash: string }[];
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
  readonly kind: 'equivalence';
  readonly entryPoint: string;
  readonly verdict: VerdictKind;
  /** SHA-256 of the exact SMT-LIB2 text solved; absent when no solver call was needed. */
  readonly smtSha256?: string;
  readonly solver?: string;
  readonly durationMs: number;
}

export interface EntryPointResult {
  /** 0x-prefixed 4-byte selector; null for fallback/receive. */
  readonly selector: string | null;
  readonly signature: string;
  readonly kind: EntryKind;
  readonly verdict: Verdict;
  readonly location?: SrcLoc;
  readonly durationMs: number;
  readonly solverCalls: number;
}

/** different > unknown/unsupported > equivalent. */
export function worstVerdict(kinds: readonly VerdictKind[]): 'equivalent' | 'different' | 'unknown' | 'unsupported' {
  if (kinds.includes('different')) return 'different';
  if (kinds.includes('unsupported')) return 'unsupported';
  if (kinds.includes('unknown')) return 'unknown';
  return 'equivalent';
}

/**
 * The overall verdict of a run: `bounded` when every entry point is equivalent but some only up to the loop bound;
 * `incompatible` when the upgrade report is (storage layout or proxy hazards), whatever the entry points say.
 */
export type OverallVerdict = 'equivalent' | 'bounded' | 'different' | 'unknown' | 'unsupported' | 'incompatible';

/** different > unsupported > unknown > bounded > equivalent. */
export function overallVerdict(verdicts: readonly Verdict[]): OverallVerdict {
  const worst = worstVerdict(verdicts.map((v) => v.kind));
  return worst === 'equivalent' && verdicts.some((v) => v.kind === 'equivalent' && v.bound !== undefined) ? 'bounded' : worst;
}
