import { bv, type Term, type TermFactory } from './term.ts';

/**
 * The balances of accounts other than the contract's own (`a.balance`), along one path. A callee that
 * runs code (a CALL with more than the stipend, re-entered in the model's sense: it ran and may have done
 * anything) can move ether between any accounts, so after it every balance is the world's answer anew:
 * an uninterpreted function of the address and that call's history key (`epoch`), shared by both versions.
 * Otherwise balances move only by what the contract itself sends: STATICCALL sends nothing, a stipend
 * callee cannot make a call with value (9000 gas), and a callee that does not re-enter keeps what it gets.
 * So a balance is the world's answer at the last such epoch (0: at entry) plus the value sent to the
 * address by successful calls since — exactly what the replay's stub callees do when nothing re-enters.
 */
export interface Accounts {
  readonly epoch: Term;
  /** Value sent since the epoch: `amount` to `to` when `cond` holds (the call succeeded on this path). */
  readonly sent: readonly Sent[];
}

interface Sent {
  readonly cond: Term;
  readonly to: Term;
  readonly amount: Term;
}

/** The world's balance of an address other than the contract's, at a history key (0: at entry). */
export const ACCOUNT_BALANCE = 'acct.balance';

export function entryAccounts(F: TermFactory): Accounts {
  return { epoch: F.bv(256, 0n), sent: [] };
}

/**
 * Accounts at a join. Entries every incoming path carries (made before the paths split) stay as they are;
 * the others hold only on their own path.
 */
export function mergeAccounts(F: TermFactory, edges: readonly { readonly pc: Term; readonly acct: Accounts }[], ite: (xs: { pc: Term; value: Term }[]) => Term): Accounts {
  const first = edges[0];
  if (edges.length === 1 && first) return first.acct;
  const everywhere = new Set(first?.acct.sent.filter((s) => edges.every((e) => e.acct.sent.includes(s))));
  const sent: Sent[] = [...everywhere];
  for (const e of edges) for (const s of e.acct.sent) if (!everywhere.has(s)) sent.push({ ...s, cond: F.and(e.pc, s.cond) });
  return { epoch: ite(edges.map((e) => ({ pc: e.pc, value: e.acct.epoch }))), sent };
}

/**
 * After a call: `ok` its success, `sentTo` whether its value left the contract (not to itself), `ran` when
 * the callee may have moved ether (null for STATICCALL and stipend calls), `key` the call's history key.
 */
export function accountsAfterCall(F: TermFactory, a: Accounts, c: { ok: Term; to: Term; amount: Term; sentTo: Term; ran: Term | null; key: Term }): Accounts {
  const own: Sent = { cond: F.and(c.ok, c.sentTo), to: c.to, amount: c.amount };
  if (c.ran === null) return { epoch: a.epoch, sent: [...a.sent, own] };
  const stays = F.not(c.ran);
  return { epoch: F.ite(c.ran, c.key, a.epoch), sent: [...a.sent, own].map((s) => ({ ...s, cond: F.and(s.cond, stays) })) };
}

/** The balance of `to` (160 bits), known not to be the contract's own address. */
export function otherBalance(F: TermFactory, a: Accounts, to: Term): Term {
  const w = bv(256);
  const base = F.uf(ACCOUNT_BALANCE, w, [a.epoch, F.zext(96, to)]);
  return a.sent.reduce((acc: Term, s) => F.op('bvadd', acc, F.ite(F.and(s.cond, F.eq(s.to, to)), s.amount, F.bv(256, 0n))), base);
}
