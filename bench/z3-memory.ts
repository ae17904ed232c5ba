/**
 * Z3 memory bench: a query that exhausts Z3's 2 GiB WASM heap (an exact 512-bit mulmod difference), asked
 * three times in one process. Before src/smt/z3.ts retired an instance after "out of memory", the second
 * ask aborted Z3 on its worker thread and killed the process with a stack trace. Expected now: each run
 * answers `unknown (out of memory)` in about 15 s, the solver starts a fresh Z3 instance for each, a small
 * query afterwards is answered, and the process exits by itself.
 *
 *   npm run bench:z3-memory     (~1 min, ~2 GiB of memory)
 */
import { readFileSync } from 'node:fs';
import { Z3Solver } from '../src/smt/z3.ts';

const query = readFileSync(new URL('./queries/out-of-memory-mulmod.smt2', import.meta.url), 'utf8');
const solver = await Z3Solver.start();
let ok = true;
for (let i = 1; i <= 3; i++) {
  const r = await solver.solve(query, 20_000);
  const rss = Math.round(process.memoryUsage().rss / 2 ** 20);
  console.log(`run ${i}: ${r.status}${r.status === 'unknown' ? ` (${r.reason})` : ''} in ${(r.ms / 1000).toFixed(1)} s, rss ${rss} MiB, Z3 instances so far ${solver.instances}`);
  if (r.status === 'unknown' && /aborted/.test(r.reason)) ok = false;
}
const small = await solver.solve('(declare-const b (_ BitVec 8))\n(assert (= (bvmul b b) #x19))', 5_000);
console.log(`small query afterwards: ${small.status}`);
if (small.status !== 'sat') ok = false;
solver.close();
console.log(ok ? 'target met: no abort, solver usable after out-of-memory answers' : 'TARGET MISSED: Z3 aborted or the solver was unusable afterwards');
