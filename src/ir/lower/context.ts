import type { SrcLoc } from '../../util/loc.ts';

/** Thrown inside lowering when a construct is not modelled; caught per entry point, which becomes `unsupported`. */
export class UnsupportedConstruct {
  constructor(
    readonly construct: string,
    readonly loc: SrcLoc,
  ) {}
}

/** Read-only facts about the contract being lowered that every function needs. */
export interface LowerContext {
  /** Any AST node by id (every source unit of the compilation). */
  readonly node: (id: number) => AstNode | undefined;
  /** The selected contract's linearization, most derived first (solc's linearizedBaseContracts). */
  readonly linearization: readonly AstNode[];
  readonly loc: (n: AstNode) => SrcLoc;
  /** Storage slot and offset of a state variable by declaration id, from solc's storageLayout. */
  readonly storageOf: (declId: number) => { slot: bigint; offset: number } | undefined;
  /** How many iterations of each loop are unrolled (see loops.ts); DEFAULT_LOOP_BOUND when absent. */
  readonly loopBound?: number;
  /**
   * Set for code compiled by solc <0.8 (see pre08.ts): arithmetic wraps, checks that panic in 0.8 execute
   * INVALID, and parameters are decoded by ABI coder v1 (cleaned, not validated).
   */
  readonly pre08?: { readonly solc: string; /** The ABI coder v2 pragma of some source unit (not modelled). */ readonly abiCoderV2?: AstNode };
}

/** Iterations unrolled per loop when no bound is given (CheckOptions.loopBound, `--loop-bound`). */
export const DEFAULT_LOOP_BOUND = 5;

/** solc's compact JSON AST is untyped; this names what lowering reads from it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AstNode = any;

export function unsupported(construct: string, loc: SrcLoc): never {
  throw new UnsupportedConstruct(construct, loc);
}

/** solc marks built-in names (msg, require, keccak256 …) with reserved declaration ids (negative or ≥ 2^31). */
export function isBuiltinRef(id: number | undefined | null): boolean {
  return typeof id === 'number' && (id < 0 || id > 0x7fffffff);
}
