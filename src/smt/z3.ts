import { init } from 'z3-solver';

export type SortSpec = { readonly k: 'bool' } | { readonly k: 'bv'; readonly w: number };

/** A satisfying assignment, read back by the names the encoder declared. */
export interface SmtModel {
  bool(name: string): boolean;
  bv(name: string, width: number): bigint;
  /** Value of an uninterpreted function at concrete bit-vector arguments (model completion on). */
  app(name: string, args: readonly { value: bigint; width: number }[], range: SortSpec): bigint | boolean;
}

export type SolveResult =
  | { readonly status: 'unsat'; readonly ms: number }
  | { readonly status: 'sat'; readonly ms: number; readonly model: SmtModel }
  | { readonly status: 'unknown'; readonly ms: number; readonly reason: string };

type Z3Api = Awaited<ReturnType<typeof init>>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Ctx = any;

/**
 * The one place that talks to Z3 (the z3-solver WASM build). Start it once per process: init costs
 * ~0.3 s and starts worker threads, which `close()` terminates so the process can exit.
 */
export class Z3Solver {
  private constructor(
    private readonly api: Z3Api,
    private readonly ctx: Ctx,
  ) {}

  static async start(): Promise<Z3Solver> {
    const api = await init();
    // The WASM heap is capped at 2 GiB; past this limit Z3 answers "unknown" instead of aborting.
    api.setParam('memory_max_size', 1400);
    return new Z3Solver(api, api.Context('patchproof') as Ctx);
  }

  get name(): string {
    const v = this.api.Z3.get_version();
    return `z3-wasm ${v.major}.${v.minor}.${v.build_number}`;
  }

  /** Solves an SMT-LIB2 script (declarations and assertions; no check-sat needed). */
  async solve(smtlib: string, timeoutMs: number): Promise<SolveResult> {
    // A solver for the logic the encoder targets: measurably faster than the generic one on our queries.
    const s = new this.ctx.Solver('QF_UFBV');
    s.set('timeout', Math.max(1, Math.floor(timeoutMs)));
    const t0 = performance.now();
    try {
      s.fromString(smtlib);
      const r = await s.check();
      const ms = performance.now() - t0;
      if (r === 'unsat') return { status: 'unsat', ms };
      if (r === 'unknown') return { status: 'unknown', ms, reason: s.reasonUnknown() || 'solver gave up' };
      return { status: 'sat', ms, model: this.wrapModel(s.model()) };
    } catch (e) {
      return { status: 'unknown', ms: performance.now() - t0, reason: `solver error: ${(e as Error).message}` };
    } finally {
      // Free the solver now rather than at garbage collection: a long run solves many queries.
      s.release();
    }
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private wrapModel(m: any): SmtModel {
    const ctx = this.ctx;
    // z3-solver's typings are generic over the context name; the model is read through `any` here only.
    const sortOf = (s: SortSpec) => (s.k === 'bool' ? ctx.Bool.sort() : ctx.BitVec.sort(s.w));
    const num = (x: unknown): bigint => {
      const v = x as { value?: () => bigint };
      if (typeof v.value === 'function') return BigInt(v.value());
      return BigInt(String(x));
    };
    return {
      bool: (name) => ctx.isTrue(m.eval(ctx.Bool.const(name), true)),
      bv: (name, width) => num(m.eval(ctx.BitVec.const(name, width), true)),
      app: (name, args, range) => {
        const f = ctx.Function.declare(name, ...args.map((a: { width: number }) => ctx.BitVec.sort(a.width)), sortOf(range) as never);
        const call = f.call(...args.map((a: { value: bigint; width: number }) => ctx.BitVec.val(a.value, a.width)));
        const v = m.eval(call as never, true);
        return range.k === 'bool' ? ctx.isTrue(v as never) : num(v);
      },
    };
  }

  /**
   * Ends Z3's worker threads. Termination waits a moment so that threads finishing a query can report
   * back first; terminating them mid-message makes the Emscripten runtime print a warning.
   */
  close(): void {
    setTimeout(() => this.api.em.PThread.terminateAllThreads(), 50);
  }
}
