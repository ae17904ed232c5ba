#!/usr/bin/env node
// Runs the TypeScript CLI in place: tsx compiles src/ on the fly, so there is no build step.
import { register } from 'tsx/esm/api';

register();
try {
  // Imported after register(): a static import would be evaluated before the .ts loader exists.
  const { main } = await import('../src/cli/main.ts');
  process.exitCode = await main(process.argv.slice(2));
  // A Z3 thread that aborted or hung cannot be joined, and Node would wait for it forever: once the output
  // is flushed the process ends here instead.
  const { hasStuckSolverThreads } = await import('../src/smt/z3.ts');
  if (hasStuckSolverThreads()) process.stdout.write('', () => process.stderr.write('', () => process.exit()));
} catch (e) {
  // Only a failure to load the CLI itself gets here; main() reports everything else.
  process.stderr.write(`internal error: cannot start patchproof: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 70;
}
