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
/** A model kept readable after its query, in the instance and context it lives in. */
interface Kept {
  readonly api: Z3Api;
  readonly ctx: Ptr;
  readonly model: Ptr;
}

/** The part of Emscripten's pthread runtime used here (not in z3-solver's typings). */
interface PThreadApi<W> {
  unusedWorkers: W[];
  runningWorkers: W[];
  loadWasmModuleToWorker(w: W): Promise<W>;
}
type LowLevel = Z3Api['Z3'];
// Z3's handles are pointers into the WASM heap; the typings brand them per kind.
type Ptr = number;

/**
 * Models kept readable after their query, each with its own context; older ones are freed (reading one is
 * a programming error).
 */
const MODELS_KEPT = 32;
/** How long past its own timeout a query may run before it is interrupted, then abandoned. */
const GRACE_MS = 10_000;

/**
 * Set once a Z3 thread in this process aborted or would not stop. Its worker can then no longer be
 * joined, so Node would wait for it forever after the work is done; the CLI ends the process explicitly
 * when this is set (`bin/patchproof.js`).
 */
let stuckThreads = false;
export const hasStuckSolverThreads = (): boolean => stuckThreads;

/**
 * The one place that talks to Z3 (the z3-solver WASM build). Start it once per process: init costs
 * ~0.3 s and starts worker threads, which `close()` terminates so the process can exit.
 *
 * It uses Z3's C API directly, with explicit reference counts, and never its high-level wrapper: that
 * wrapper frees Z3 objects from garbage-collection finalizers, which can run on the main thread while a
 * query is being solved on a worker thread, and Z3's term manager is not thread-safe. Under load that
 * corrupted the WASM heap and crashed or hung the process. Here every Z3 call is made on the main thread
 * while no query runs, and the query text is passed through the heap (not the stack, which is 20 MB).
 *
 * Every query gets a fresh Z3 context (a few milliseconds): a context that had solved many queries made
 * the same query text ~20 times slower than a fresh one, so verdicts depended on what ran before.
 */
export class Z3Solver {
  /** Models kept readable, each with the instance (and context) it lives in: a retired instance's stay readable. */
  private readonly models: Kept[] = [];
  private broken: string | undefined;
  /** Set when the instance must not be used again: the next query starts a fresh one. */
  private retired: string | undefined;
  /** Settles when a Z3 worker thread aborts (see `watchAborts`). */
  private aborted!: Promise<string>;
  /** Instances started over the solver's life (the first one included). */
  private starts = 0;

  private constructor(private api: Z3Api) {
    this.watchAborts();
  }

  static async start(): Promise<Z3Solver> {
    return new Z3Solver(await Z3Solver.instance());
  }

  private static async instance(): Promise<Z3Api> {
    // Z3's own messages (an abort's, for one) become the verdict's reason, not stderr noise.
    const api = await init({ printErr: () => undefined } as never);
    // The WASM heap is fixed at 2 GiB; past this limit Z3 answers "unknown" instead of aborting.
    api.Z3.global_param_set('memory_max_size', '1400');
    return api;
  }

  /**
   * A Z3 worker thread that aborts (an exception escaping a destructor after Z3 ran out of memory does)
   * reports it to the main thread through the worker's `onerror`, which Emscripten rethrows as an uncaught
   * exception: the process would die with a stack trace. Each worker's handler is replaced so that an
   * abort settles `aborted` instead; the instance is then retired (its heap may hold locks the dead thread
   * took) and the query answers "unknown". Workers are created lazily, so the loader is wrapped too.
   */
  private watchAborts(): void {
    this.starts++;
    let report!: (why: string) => void;
    this.aborted = new Promise<string>((resolve) => (report = resolve));
    type Worker = { onerror: (e: unknown) => void };
    const pt = (this.api.em as unknown as { PThread: PThreadApi<Worker> }).PThread;
    const watch = (w: Worker) => {
      w.onerror = (e: unknown) => report(`the solver aborted (${e instanceof Error ? e.message : String(e)})`);
    };
    for (const w of [...pt.unusedWorkers, ...pt.runningWorkers]) watch(w);
    const load = pt.loadWasmModuleToWorker.bind(pt);
    pt.loadWasmModuleToWorker = (w: Worker) => {
      const loaded = load(w);
      watch(w);
      return loaded;
    };
  }

  /**
   * Ends the current instance's threads; the next query starts a fresh one. Its models stay readable
   * (reading a model runs on the main thread) and are freed in turn, unless a thread aborted: its heap
   * may then hold locks the dead thread took, so its models are dropped (reading one throws).
   */
  private retire(why: string, aborted: boolean): void {
    this.retired = why;
    if (aborted) for (let i = this.models.length - 1; i >= 0; i--) if (this.models[i]!.api === this.api) this.models.splice(i, 1);
    const em = this.api.em;
    setTimeout(() => em.PThread.terminateAllThreads(), 50);
  }

  private async ready(): Promise<void> {
    if (this.retired === undefined) return;
    this.api = await Z3Solver.instance();
    this.retired = undefined;
    this.watchAborts();
  }

  private newContext(): Ptr {
    const cfg = this.Z3.mk_config();
    const ctx = this.Z3.mk_context_rc(cfg) as unknown as Ptr;
    this.Z3.del_config(cfg);
    return ctx;
  }

  get name(): string {
    const v = this.api.Z3.get_version();
    return `z3-wasm ${v.major}.${v.minor}.${v.build_number}`;
  }

  private get Z3(): LowLevel {
    return this.api.Z3;
  }

  /** Throws Z3's message when the last call on the context failed. */
  private checkError(ctx: Ptr): void {
    const c = ctx as never;
    const code = this.Z3.get_error_code(c);
    if (code !== 0) throw new Error(this.Z3.get_error_msg(c, code));
  }

  private symbol(ctx: Ptr, name: string): Ptr {
    return this.Z3.mk_string_symbol(ctx as never, name) as unknown as Ptr;
  }

  /** Solves an SMT-LIB2 script (declarations and assertions; no check-sat needed). */
  async solve(smtlib: string, timeoutMs: number): Promise<SolveResult> {
    const t0 = performance.now();
    if (this.broken) return { status: 'unknown', ms: 0, reason: this.broken };
    await this.ready();
    const Z3 = this.Z3;
    const ctx = this.newContext();
    const c = ctx as never;
    let kept = false;
    // A solver for the logic the encoder targets: measurably faster than the generic one on our queries.
    const s = Z3.mk_solver_for_logic(c, this.symbol(ctx, 'QF_UFBV') as never);
    Z3.solver_inc_ref(c, s);
    try {
      const p = Z3.mk_params(c);
      Z3.params_inc_ref(c, p);
      Z3.params_set_uint(c, p, this.symbol(ctx, 'timeout') as never, Math.max(1, Math.floor(timeoutMs)));
      Z3.solver_set_params(c, s, p);
      Z3.params_dec_ref(c, p);
      this.fromString(ctx, s as unknown as Ptr, smtlib);
      this.checkError(ctx);
      const r = await this.check(ctx, s as unknown as Ptr, timeoutMs);
      const ms = performance.now() - t0;
      if (typeof r === 'string') return { status: 'unknown', ms, reason: r };
      if (r === -1) return { status: 'unsat', ms };
      if (r === 0) {
        const reason = Z3.solver_get_reason_unknown(c, s) || 'solver gave up';
        // A Z3 that ran out of memory leaves its heap fragmented, and the next large query can abort while
        // unwinding: the next query gets a fresh instance.
        if (/memory/i.test(reason)) this.retire(reason, false);
        return { status: 'unknown', ms, reason };
      }
      const m = Z3.solver_get_model(c, s);
      this.checkError(ctx);
      Z3.model_inc_ref(c, m);
      const k = this.keep(ctx, m as unknown as Ptr);
      kept = true;
      return { status: 'sat', ms, model: this.wrapModel(k) };
    } catch (e) {
      return { status: 'unknown', ms: performance.now() - t0, reason: `solver error: ${(e as Error).message}` };
    } finally {
      // A broken solver's thread may still use the context, and a retired instance's heap is discarded whole.
      if (!this.broken && this.retired === undefined) {
        Z3.solver_dec_ref(c, s);
        if (!kept) Z3.del_context(c);
      }
    }
  }

  /** Parses the script into the solver; the text goes through a heap buffer, not the 20 MB stack. */
  private fromString(ctx: Ptr, s: Ptr, text: string): void {
    const em = this.api.em;
    const bytes = new TextEncoder().encode(text);
    const buf = em._malloc(bytes.length + 1) as number;
    if (!buf) throw new Error(`cannot allocate ${bytes.length} bytes for the query`);
    try {
      em.HEAPU8.set(bytes, buf);
      em.HEAPU8[buf + bytes.length] = 0;
      em._Z3_solver_from_string(ctx, s, buf);
    } finally {
      em._free(buf);
    }
  }

  /**
   * Runs check-sat on Z3's worker thread. Z3 enforces the timeout itself; should it not return, it is
   * interrupted, and should it still not return, the solver is marked broken: this query and every later
   * one answer "unknown", and the process is not left hanging.
   */
  private async check(ctx: Ptr, s: Ptr, timeoutMs: number): Promise<number | string> {
    const running = this.Z3.solver_check(ctx as never, s as never) as Promise<number>;
    let timer: NodeJS.Timeout | undefined;
    const overdue = new Promise<string>((resolve) => {
      timer = setTimeout(() => {
        this.Z3.interrupt(ctx as never);
        timer = setTimeout(() => resolve('the solver did not stop at its timeout'), GRACE_MS);
      }, timeoutMs + GRACE_MS);
    });
    const aborted = this.aborted.then((why) => ({ aborted: why }));
    try {
      const r = await Promise.race([running, overdue, aborted]);
      if (typeof r === 'object') {
        stuckThreads = true;
        this.retire(r.aborted, true);
        return r.aborted;
      }
      if (typeof r === 'string') {
        stuckThreads = true;
        this.broken = `solver unavailable: ${r}`;
      }
      return typeof r === 'string' ? this.broken! : r;
    } finally {
      clearTimeout(timer);
    }
  }

  private keep(ctx: Ptr, model: Ptr): Kept {
    const k: Kept = { api: this.api, ctx, model };
    this.models.push(k);
    while (this.models.length > MODELS_KEPT) this.free(this.models.shift()!);
    return k;
  }

  /** Frees a kept model through the instance it belongs to. */
  private free(k: Kept): void {
    k.api.Z3.model_dec_ref(k.ctx as never, k.model as never);
    k.api.Z3.del_context(k.ctx as never);
  }

  private wrapModel(k: Kept): SmtModel {
    // Every call goes to the model's own instance: after a retirement `this.api` is another heap.
    const Z3 = k.api.Z3;
    const ctx = k.ctx;
    const m = k.model;
    const c = ctx as never;
    const live = () => {
      if (this.broken) throw new Error(this.broken);
      if (!this.models.includes(k)) throw new Error('internal: a model was read after it was freed (or its solver aborted)');
    };
    const checkError = (): void => {
      const code = Z3.get_error_code(c);
      if (code !== 0) throw new Error(Z3.get_error_msg(c, code));
    };
    const sort = (s: SortSpec): Ptr => (s.k === 'bool' ? Z3.mk_bool_sort(c) : Z3.mk_bv_sort(c, s.w)) as unknown as Ptr;
    // Holds a term for the duration of `use`: in a reference-counted context an unreferenced term may be
    // reclaimed by the next call.
    const held = <T>(t: Ptr, use: (t: Ptr) => T): T => {
      Z3.inc_ref(c, t as never);
      try {
        return use(t);
      } finally {
        Z3.dec_ref(c, t as never);
      }
    };
    const evaluate = <T>(term: Ptr, read: (v: Ptr) => T): T =>
      held(term, (t) => {
        const v = Z3.model_eval(c, m as never, t as never, true);
        checkError();
        if (v === null) throw new Error('internal: the model cannot evaluate a term');
        return held(v as unknown as Ptr, read);
      });
    const asBool = (v: Ptr): boolean => Z3.get_bool_value(c, v as never) === 1;
    const asBv = (v: Ptr): bigint => BigInt(Z3.get_numeral_string(c, v as never));
    const constant = (name: string, s: SortSpec): Ptr => held(sort(s), (st) => Z3.mk_const(c, Z3.mk_string_symbol(c, name) as never, st as never) as unknown as Ptr);
    return {
      bool: (name) => {
        live();
        return evaluate(constant(name, { k: 'bool' }), asBool);
      },
      bv: (name, width) => {
        live();
        return evaluate(constant(name, { k: 'bv', w: width }), asBv);
      },
      app: (name, args, range) => {
        live();
        const domain = args.map((a) => sort({ k: 'bv', w: a.width }));
        domain.forEach((d) => Z3.inc_ref(c, d as never));
        const rangeSort = sort(range);
        Z3.inc_ref(c, rangeSort as never);
        const actuals: Ptr[] = [];
        try {
          const f = Z3.mk_func_decl(c, Z3.mk_string_symbol(c, name) as never, domain as never, rangeSort as never) as unknown as Ptr;
          return held(f, () => {
            for (const [i, a] of args.entries()) {
              const n = Z3.mk_numeral(c, a.value.toString(), domain[i] as never) as unknown as Ptr;
              Z3.inc_ref(c, n as never);
              actuals.push(n);
            }
            const call = Z3.mk_app(c, f as never, actuals as never) as unknown as Ptr;
            return range.k === 'bool' ? evaluate(call, asBool) : evaluate(call, asBv);
          });
        } finally {
          for (const n of actuals) Z3.dec_ref(c, n as never);
          Z3.dec_ref(c, rangeSort as never);
          domain.forEach((d) => Z3.dec_ref(c, d as never));
        }
      },
    };
  }

  /**
   * Frees what is left and ends Z3's worker threads. Termination waits a moment so that threads finishing
   * a query can report back first; terminating them mid-message makes the Emscripten runtime print a warning.
   */
  close(): void {
    if (!this.broken) for (const k of this.models.splice(0)) this.free(k);
    const em = this.api.em;
    setTimeout(() => em.PThread.terminateAllThreads(), 50);
  }

  /** How many Z3 instances this solver has started (a retired one is replaced by a fresh one). */
  get instances(): number {
    return this.starts;
  }
}
