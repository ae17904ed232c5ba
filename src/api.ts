import type { EntryPointResult, ObligationRecord } from './verdicts/types.ts';

/** The two versions to compare: files, contract names, project roots. Shared by `check` and `shadow`. */
export interface PairInput {
  readonly oldFile: string;
  readonly newFile: string;
  /** Contract name in both files, unless oldContract/newContract are given. */
  readonly contract?: string;
  readonly oldContract?: string;
  readonly newContract?: string;
  /** Project roots (imports must stay inside); default: each file's directory. */
  readonly oldRoot?: string;
  readonly newRoot?: string;
  /** Cache solc output on disk here (tests); off by default. */
  readonly cacheDir?: string;
  /**
   * Compilations to use instead of compiling oldFile/newFile (build-info inputs, src/frontend/buildinfo.ts);
   * the files then only name the versions in reports.
   */
  readonly prebuilt?: {
    readonly old: { readonly comp: import('./frontend/compile.ts').Compilation; readonly contract: import('./frontend/compile.ts').ContractOutput };
    readonly new: { readonly comp: import('./frontend/compile.ts').Compilation; readonly contract: import('./frontend/compile.ts').ContractOutput };
  };
}

/** Options of one `check` run. Built by the CLI (or a library caller) and passed down; no globals. */
export interface CheckOptions extends PairInput {
  /** Per-query solver timeout in milliseconds (default 20000). */
  readonly timeoutMs?: number;
  /** Write every SMT-LIB2 query here as <obligation id>.smt2. */
  readonly dumpSmtDir?: string;
  /** Iterations each loop is unrolled to (default DEFAULT_LOOP_BOUND = 5); see src/ir/lower/loops.ts. */
  readonly loopBound?: number;
  /** A started solver to reuse (Z3 init costs ~0.3 s); created and closed by checkPatch when absent. */
  readonly solver?: import('./smt/z3.ts').Z3Solver;
  /** Abstract internal calls identical in both versions by shared summaries before inlining (default true). */
  readonly summaries?: boolean;
  /** `equivalence` (default) or `fix`: every entry point must refine (revert, or behave like the old version). */
  readonly mode?: import('./obligations/relations.ts').CheckMode;
  /** Exploit conditions and intended changes per entry point (src/obligations/relations.ts). */
  readonly relations?: readonly import('./obligations/relations.ts').RelationSpec[];
  /**
   * Variables renamed, moved or retyped on purpose (a spec file's `rename a -> b`): storage is related
   * through them (src/spec/mapping.ts, src/obligations/statemap.ts).
   */
  readonly stateMappings?: readonly import('./spec/types.ts').StateMapping[];
  /** Entry points whose addition or removal is intended (a spec file's `added`/`removed`). */
  readonly intended?: readonly import('./obligations/relations.ts').IntendedChangeSpec[];
  /** Per entry point, the relation overriding `mode` for it (a spec file's `relation equivalent|refines`). */
  readonly entryRelations?: readonly import('./obligations/relations.ts').EntryRelation[];
  /** Check that no `assert` of the new version fails (default: in fix mode only). */
  readonly asserts?: boolean;
  /** Told as the run goes (the CLI's progress display on stderr); never changes a verdict. */
  readonly onProgress?: (e: ProgressEvent) => void;
}

/** What a long `check` run reports while it goes: both versions compiled, each entry point begun and decided. */
export type ProgressEvent =
  | { readonly kind: 'compiled'; readonly oldMs: number; readonly newMs: number }
  | { readonly kind: 'entry-start'; readonly index: number; readonly total: number; readonly signature: string }
  | {
      readonly kind: 'entry-done';
      readonly index: number;
      readonly total: number;
      readonly signature: string;
      readonly verdict: import('./verdicts/types.ts').VerdictKind;
      readonly ms: number;
      readonly solverCalls: number;
    };

export interface SideInfo {
  readonly file: string;
  readonly contract: string;
  readonly sources: readonly { readonly path: string; readonly sha256: string }[];
  /** keccak256 of the runtime bytecode (= EXTCODEHASH once deployed), 0x-hex. */
  readonly runtimeKeccak: string;
  readonly runtimeBytecode: string;
  /** sha256 of the exact standard-JSON input given to solc (the certificate binds it). */
  readonly inputSha256?: string;
  /** Byte ranges of the runtime code that hold immutables (filled at deployment), from solc. */
  readonly immutableRanges?: readonly { readonly start: number; readonly length: number }[];
  /**
   * The immutables the model reads, by name, with where solc left room for them in the runtime code: a
   * replay of a counterexample writes its values there. Absent when they cannot be keyed by name.
   */
  readonly immutableSlots?: readonly { readonly name: string; readonly type: import('./ir/types.ts').ValueType; readonly starts: readonly number[] }[];
  /**
   * External libraries the runtime code is linked against (at patchproof's addresses, see
   * frontend/link.ts): their runtime code, which replays deploy. Absent when there are none.
   */
  readonly libraries?: readonly { readonly address: string; readonly runtimeBytecode: string }[];
  /** The solc long version that compiled this version (the two may differ: a 0.7 old and a 0.8 new). */
  readonly compilerVersion?: string;
  /**
   * solc's known bugs that affect that compiler under its settings (src/ir/lower/solcbugs.ts): the
   * constructs they can reach are unsupported. Absent when there are none.
   */
  readonly compilerBugs?: readonly string[];
  readonly compileMs: number;
}

export interface CheckResult {
  readonly tool: { readonly name: 'patchproof'; readonly version: string };
  readonly compiler: { readonly version: string; readonly settings: object };
  readonly old: SideInfo;
  readonly new: SideInfo;
  /** The relation checked (absent: equivalence). */
  readonly mode?: import('./obligations/relations.ts').CheckMode;
  /** `bounded`: everything equivalent, some entry point only up to the loop bound (not a full proof). */
  readonly overall: import('./verdicts/types.ts').OverallVerdict;
  readonly entryPoints: readonly EntryPointResult[];
  readonly obligations: readonly ObligationRecord[];
  /** SMT-LIB2 text of every solved query by obligation id (hashed in `obligations`). */
  readonly queries: ReadonlyMap<string, string>;
  readonly timings: { readonly compileMs: number; readonly encodeMs: number; readonly solveMs: number; readonly totalMs: number };
  /** Assumptions every verdict rests on, stated once for reports and the certificate. */
  readonly assumptions: readonly string[];
  /** Upgrade safety of old -> new behind a proxy (storage layout, proxy hazards); `incompatible` makes `overall` so. */
  readonly upgrade: import('./upgrade/index.ts').UpgradeReport;
}
