import type { ShownCall } from '../verdicts/types.ts';
import { Evaluator, type Assignment, type CValue } from './eval.ts';
import { CALLEE_REVERT_SELECTOR, SHOWN_RETURN_WORDS, type Outcome } from './symexec.ts';
import type { Term, TermFactory } from './term.ts';

/* Reading models: the calls a model makes, and a concrete search near a model (split from equivalence.ts). */

const hexWord = (w: bigint): string => w.toString(16).padStart(64, '0');

/** The calls one version makes under a model, with the model's answers, in order. */
export function shownCalls(F: TermFactory, ev: Evaluator, x: Outcome): ShownCall[] {
  const out: ShownCall[] = [];
  const noCode = new Set<bigint>();
  for (const r of x.callRecords) {
    if (ev.word(r.pc) !== 1n) continue;
    if (r.kind === 'code') {
      if (ev.word(r.has) === 0n) noCode.add(ev.word(r.to));
      continue;
    }
    // Forwarded bytes (header bit 48) end in a token that stands for all their data words.
    const fwd = ((ev.word(r.words[0]!) >> 48n) & 1n) === 1n;
    const w = r.words.map((t, k) => (fwd && k === r.words.length - 1 ? 0n : ev.word(t)));
    const header = w[0]!;
    const to = w[1]!;
    const ok = ev.word(r.ok) === 1n;
    // Return data (and the revert data of a failed call whose returned bytes assembly re-raises): the
    // model's words, cut to its returndatasize (capped: only the first words are ever read). A failed
    // call solc itself re-raises reverts with the model's selector and word. A call that could not be paid for has none.
    let output = '0x';
    if (ok || (r.raw && ev.word(r.afford) === 1n)) {
      const rds = Number(ev.word(r.rds) > 4096n ? 4096n : ev.word(r.rds));
      let hex = '';
      for (let i = 0; i * 32 < rds; i++) hex += hexWord(i < SHOWN_RETURN_WORDS ? ev.word(F.uf(`call.ret.${i}`, { k: 'bv', w: 256 }, [r.key])) : 0n);
      output = '0x' + hex.slice(0, rds * 2);
    } else if (ev.word(r.afford) === 1n) {
      output = '0x' + CALLEE_REVERT_SELECTOR.toString(16).padStart(8, '0') + hexWord(ev.word(F.uf('call.rev', { k: 'bv', w: 256 }, [r.key])));
    }
    const gas = (header >> 40n) & 1n ? w[3]! : undefined;
    out.push({
      made: true,
      to: '0x' + to.toString(16).padStart(40, '0'),
      value: w[2]!.toString(),
      data: fwd ? forwardedHex(header, w, ev.eval(r.words[r.words.length - 1]!)) : calldataHex(header, w),
      // What the EVM sees as a stipend call: a gas operand of at most 2300.
      stipend: ((header >> 32n) & 1n) === 1n || (gas !== undefined && gas <= 2300n),
      ...(gas === undefined ? {} : { gas: gas.toString() }),
      kind: header >> 64n === 2n ? 'staticcall' : 'call',
      hasCode: !noCode.has(to),
      success: ok,
      output,
    });
  }
  for (const to of noCode) if (!out.some((c) => BigInt(c.to) === to)) out.push({ made: false, to: '0x' + to.toString(16).padStart(40, '0'), value: '0', data: '0x', stipend: false, kind: 'call', hasCode: false, success: false, output: '0x' });
  return out;
}

/**
 * The calldata bytes of one call record [header, to, value, gas?, chunks…] (see Encoder.calldata): the
 * selector chunk holds min(4, length) bytes, the others 32, cut to the length in the header.
 */
function calldataHex(header: bigint, w: readonly bigint[]): string {
  const bytes = Number(header & 0xffffffffn);
  const chunks = w.slice((header >> 40n) & 1n ? 4 : 3);
  if (bytes === 0) return '0x';
  const head = Math.min(4, bytes);
  const text = chunks[0]!.toString(16).padStart(2 * head, '0') + chunks.slice(1).map(hexWord).join('');
  return '0x' + text.slice(0, 2 * bytes);
}

/**
 * Forwarded calldata: `len` bytes of the token's data words; with a head (header bit 49), the head's
 * bytes, the length word and the data words zero-padded (an ABI-encoded byte-string argument).
 */
function forwardedHex(header: bigint, w: readonly bigint[], data: CValue): string {
  const words = typeof data === 'bigint' ? [] : data.words;
  const len = w[w.length - 2]!;
  if ((header >> 49n) & 1n) return calldataHex(header, w.slice(0, -2)) + hexWord(len) + words.map(hexWord).join('').padEnd(64 * Math.ceil(Number(len) / 32), '0');
  const n = 2 * Number(len);
  return '0x' + words.map(hexWord).join('').padEnd(n, '0').slice(0, n);
}

/**
 * Deterministic search for inputs on which the exact difference predicate holds: the solver's values
 * first, then boundary values and pseudo-random words. Finding one is a proof of difference (it is
 * re-run through exact evaluation); finding none proves nothing.
 */
export function concreteSearch(goal: Term, base: Assignment, tries = 400): Assignment | null {
  let seed = 0x9e3779b9n;
  const M64 = (1n << 64n) - 1n;
  // splitmix64: an LCG's low bits cycle with a short period, which would correlate the choices below.
  const rand = (): bigint => {
    seed = (seed + 0x9e3779b97f4a7c15n) & M64;
    let z = seed;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64;
    return z ^ (z >> 31n);
  };
  const max = (1n << 256n) - 1n;
  const pool = [0n, 1n, 2n, 3n, 7n, 10n, 100n, 1000n, 9999n, 10000n, 10n ** 18n, 1n << 128n, 1n << 255n, max, max - 1n];
  for (let i = 0; i < tries; i++) {
    const memo = new Map<string, bigint>();
    const pick = (key: string, width: number | 'bool', fallback: () => bigint): bigint => {
      let v = memo.get(key);
      if (v === undefined) {
        const r = rand();
        const choice = Number(r % 4n);
        v = choice === 0 ? fallback() : choice === 1 ? pool[Number((r >> 8n) % BigInt(pool.length))]! : choice === 2 ? rand() * rand() * rand() * rand() : (r >> 8n) % 1000n;
        v = width === 'bool' ? v & 1n : v & ((1n << BigInt(width)) - 1n);
        memo.set(key, v);
      }
      return v;
    };
    const a: Assignment = {
      var: (name, width) => pick(name, width, () => base.var(name, width)),
      uf: (name, args, widths) => pick(`${name}(${args.join(',')})`, 256, () => base.uf(name, args, widths)),
    };
    try {
      if (new Evaluator(a).word(goal) === 1n) return a;
    } catch {
      // Evaluation failures are bugs elsewhere; the search just proves nothing with this assignment.
    }
  }
  return null;
}

/** How many times a query is re-asked with facts learned from a model exact evaluation refuted. */
const MAX_REFINEMENTS = 4;

/** One query of a refinement: the abstraction, the exact query, or the exact query with learned facts. */
export interface RefinementStage {
  readonly abstractNonlinear: boolean;
  /** Inputs fixed to a refuted model's: a search hint, so an unsat or unknown answer proves nothing. */
  readonly pins?: readonly Term[];
  /** `#exact#refined2-pinned`: appended to the query id. */
  readonly suffix: string;
}

/**
 * The queries asked for one goal: the abstraction (nonlinear operations uninterpreted), the exact query,
 * then, each time exact evaluation refutes a model because the solver chose what keccak256 or a
 * precompile answers, the exact query again with the real answers at that model's inputs (exactFacts),
 * first with the inputs pinned. Used by the equivalence search and the vacuity witnesses alike.
 */
export class Refinement {
  static readonly ROUNDS = MAX_REFINEMENTS;
  readonly stages: RefinementStage[] = [{ abstractNonlinear: true, suffix: '' }, { abstractNonlinear: false, suffix: '#exact' }];
  private readonly facts: Term[] = [];
  private readonly known = new Set<string>();
  /**
   * Why the last refuted model was not followed by more stages: 'limit' when there were new facts but the
   * rounds were used up, 'no-facts' when exact evaluation refuted it for a reason these facts do not
   * cover. Undefined while stages remain.
   */
  stoppedBy: 'limit' | 'no-facts' | undefined;

  constructor(private readonly F: TermFactory, private readonly goal: Term) {}

  /** What stage `s` solves: the goal, the facts learned so far, and the stage's pins. */
  query(s: RefinementStage): Term {
    return this.F.and(this.goal, ...this.facts, ...(s.pins ?? []));
  }

  /** After a model exact evaluation refuted: learn the real answers at its inputs and queue two more stages. */
  learn(model: Assignment): void {
    const learned = exactFacts(this.F, this.goal, model, this.known);
    this.stoppedBy = learned.facts.length === 0 ? 'no-facts' : this.stages.length >= 2 + 2 * MAX_REFINEMENTS ? 'limit' : undefined;
    if (this.stoppedBy !== undefined) return;
    this.facts.push(...learned.facts);
    const k = (this.stages.length - 2) / 2 + 1;
    this.stages.push({ abstractNonlinear: false, pins: learned.pins, suffix: `#exact#refined${k}-pinned` }, { abstractNonlinear: false, suffix: `#exact#refined${k}` });
  }
}

/** Fixed-length hashes and precompiles the Evaluator runs for real (smt/eval.ts). */
const EXACT_FN = /^(keccak256|sha256|ripemd160|ecrecover)\.\d+$/;

/**
 * Facts about keccak256 and the precompiles at the inputs a model gave them: `f(c) = real f(c)` for each
 * application `f(x)` in `goal`, `c` being x's value under exact evaluation of the model. Each fact holds
 * of the real functions, so adding it to a query changes no verdict; it only stops the solver from
 * choosing an output the real function does not give (an ecrecover answering the owner for any
 * signature). A model that failed exact evaluation for that reason is not found again. `known` (the
 * facts already added, by text) keeps the result to new ones. `pins` fix each input to the model's
 * value: a search hint only (the rest of the model may then be adjusted to the real outputs), never
 * part of a query whose unsat answer means anything.
 */
function exactFacts(F: TermFactory, goal: Term, model: Assignment, known: Set<string>, limit = 16): { facts: Term[]; pins: Term[] } {
  const ev = new Evaluator(model);
  const out: Term[] = [];
  const pins: Term[] = [];
  const seen = new Set<number>();
  const stack: Term[] = [goal];
  while (stack.length > 0 && out.length < limit) {
    const t = stack.pop()!;
    if (seen.has(t.id)) continue;
    seen.add(t.id);
    if (t.tag === 'app' || t.tag === 'uf') stack.push(...t.args);
    if (t.tag !== 'uf' || t.args.length !== 1 || t.sort.k !== 'bv' || !EXACT_FN.test(t.name)) continue;
    const arg = t.args[0]!;
    if (arg.sort.k !== 'bv') continue;
    let c: bigint;
    let real: bigint;
    try {
      c = ev.word(arg);
      real = ev.word(t);
    } catch {
      continue; // Not evaluable under this model (an invariant of exact evaluation): no fact.
    }
    pins.push(F.eq(arg, F.bv(arg.sort.w, c)));
    const key = `${t.name}(${c})`;
    if (known.has(key)) continue;
    known.add(key);
    out.push(F.eq(F.uf(t.name, t.sort, [F.bv(arg.sort.w, c)]), F.bv(t.sort.w, real)));
  }
  return { facts: out, pins };
}

/** Whether `t` applies an uninterpreted function whose name starts with `prefix`. */
export function mentionsUf(t: Term, prefix: string): boolean {
  const seen = new Set<number>();
  const stack: Term[] = [t];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (seen.has(x.id)) continue;
    seen.add(x.id);
    if (x.tag === 'uf' && x.name.startsWith(prefix)) return true;
    if (x.tag === 'app' || x.tag === 'uf') stack.push(...x.args);
  }
  return false;
}
