import type { TermFactory } from './term.ts';
import { Evaluator, type Assignment } from './eval.ts';
import { NAMES } from './names.ts';
import { ACCOUNT_BALANCE } from './accounts.ts';
import type { Outcome } from './symexec.ts';

/**
 * The entry balances (the world's answers before any callee ran) of the other accounts whose balance
 * either version reads on the counterexample's path: the replay funds the accounts with them.
 */
export function entryBalances(F: TermFactory, outcomes: readonly Outcome[], a: Assignment): Map<bigint, bigint> {
  const ev = new Evaluator(a);
  const out = new Map<bigint, bigint>();
  const self = ev.word(F.var(NAMES.env('address(this)'), { k: 'bv', w: 160 }));
  for (const x of outcomes) {
    for (const b of x.balanceReads) {
      try {
        if (ev.word(b.pc) !== 1n) continue;
        const to = ev.word(b.to);
        if (to !== self) out.set(to, a.uf(ACCOUNT_BALANCE, [0n, to], [256, 256]));
      } catch {
        // A read that cannot be evaluated is not on the counterexample's path.
      }
    }
  }
  return out;
}
