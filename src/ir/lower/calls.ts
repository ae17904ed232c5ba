import type { SrcLoc } from '../../util/loc.ts';
import type { BlockId, InlinedCall } from '../types.ts';
import type { CfgBuilder } from './builder.ts';
import type { Val } from './function.ts';

/**
 * Brackets an inlined internal call with block boundaries so the encoder can find (and, when the callee
 * is identical in both versions, summarise) it: the callee's code gets blocks of its own, entered by a
 * jump to a fresh block and left by a jump to another fresh block whose single-incoming phis carry the
 * results. The interpreter and the EVM comparison see ordinary inlined code.
 */
export function beginInlinedCall(b: CfgBuilder, loc: SrcLoc): BlockId | null {
  if (b.dead) return null;
  const entry = b.newBlock();
  const env = b.env;
  b.terminate({ kind: 'jmp', target: entry, loc });
  b.resume(entry, env);
  return entry;
}

export function endInlinedCall(b: CfgBuilder, calls: InlinedCall[], entry: BlockId | null, callee: string, out: Val[], loc: SrcLoc): Val[] {
  if (entry === null || b.current === null) return out;
  const from = b.current;
  const exit = b.newBlock();
  const env = b.env;
  b.terminate({ kind: 'jmp', target: exit, loc });
  b.resume(exit, env);
  const results = out.map((r) => ({ v: b.def({ kind: 'phi', type: r.t, incoming: [{ block: from, value: r.v }], loc }), t: r.t }));
  calls.push({ callee, entry, exit, results: results.map((r) => r.v), loc });
  return results;
}
