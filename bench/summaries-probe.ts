import { checkPatch } from '../src/check.ts';
const name = process.argv[2]!;
for (const summaries of [true, false]) {
  const t = performance.now();
  const r = await checkPatch({ oldFile: `fixtures/${name}/old.sol`, newFile: `fixtures/${name}/new.sol`, summaries, timeoutMs: 60000 });
  console.log(`summaries=${summaries} ${(performance.now() - t).toFixed(0)}ms solve=${r.timings.solveMs.toFixed(0)}`);
  for (const e of r.entryPoints) console.log('  ', e.signature, e.verdict.kind, e.verdict.kind === 'equivalent' ? e.verdict.how : e.verdict.kind === 'unknown' || e.verdict.kind === 'different' ? e.verdict.reason : '', e.durationMs.toFixed(0), e.solverCalls);
}
