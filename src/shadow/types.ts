/*
 * The values shadow replay works with and returns. Library code builds them; the CLI prints them.
 * Every 256-bit quantity is a bigint here and a string in the JSON report.
 */

export type Hex = `0x${string}`;

/** One transaction to replay, resolved to exact calldata. */
export interface ShadowTx {
  /** 1-based position in the transaction list. */
  readonly index: number;
  readonly label?: string;
  readonly from: bigint;
  readonly value: bigint;
  readonly timestamp: bigint;
  readonly number: bigint;
  readonly calldata: Hex;
  /** Canonical signature of the function called, when its selector is in either version's ABI. */
  readonly signature?: string;
  /** The call for people: `withdraw(30)`, `receive()`, or the raw calldata when it decodes nowhere. */
  readonly call: string;
}

/** The observable parts of a call, in the order in which "the first divergence" is picked. */
export const PARTS = ['success', 'revertData', 'returnData', 'storage', 'logs'] as const;
export type Part = (typeof PARTS)[number];

export interface SlotChange {
  readonly slot: bigint;
  /** Variable (and keys) stored there, when the layout and the keys seen so far tell. */
  readonly name?: string;
  readonly before: bigint;
  readonly after: bigint;
}

export interface ShownLog {
  readonly topics: readonly bigint[];
  readonly data: Hex;
  /** Decoded with that version's ABI, e.g. `Withdrawn(account=0x…, amount=30)`. */
  readonly event?: string;
}

/** What one version did with one transaction. */
export interface SideOutcome {
  readonly status: 'success' | 'revert';
  /** An exceptional halt other than REVERT (invalid opcode, out of gas, …). */
  readonly halt?: string;
  /** Return data on success, revert data on revert. */
  readonly output: Hex;
  /** Decoded return values, e.g. `(100)`. */
  readonly returned?: string;
  /** Decoded revert data, e.g. `Error("insufficient balance")`, `Panic(0x11: arithmetic overflow)`. */
  readonly revert?: string;
  readonly logs: readonly ShownLog[];
  /** Slots whose value this transaction changed on this side. */
  readonly changes: readonly SlotChange[];
}

export interface StorageDifference {
  readonly slot: bigint;
  readonly name?: string;
  readonly old: bigint;
  readonly new: bigint;
}

export interface TxOutcome {
  readonly tx: ShadowTx;
  readonly old: SideOutcome;
  readonly new: SideOutcome;
  /** Empty when the two versions are indistinguishable on this transaction. In PARTS order. */
  readonly differs: readonly Part[];
  /** Slots written by either side whose post-values differ (only when both succeeded). */
  readonly storageDiff: readonly StorageDifference[];
  /** The two storages already differed before this transaction (an earlier divergence carried over). */
  readonly stateDifferedBefore: boolean;
}

export interface ShadowSide {
  readonly file: string;
  readonly contract: string;
}

export interface FuzzInfo {
  readonly perEntryPoint: number;
  readonly seed: number;
  readonly entryPoints: readonly string[];
}

export interface ShadowResult {
  readonly mode: 'replay' | 'fuzz';
  readonly old: ShadowSide;
  readonly new: ShadowSide;
  /** The transaction file (replay) or undefined (fuzz). */
  readonly txsFile?: string;
  readonly stateFile?: string;
  /** Layout mismatches and other things worth knowing that did not stop the run. */
  readonly warnings: readonly string[];
  /** Every transaction, in order. */
  readonly outcomes: readonly TxOutcome[];
  readonly fuzz?: FuzzInfo;
}

export const diverges = (o: TxOutcome): boolean => o.differs.length > 0;
