import { existsSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

it('package.json main and exports name a module that exports the library API', async () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { main: string; exports: { '.': string } };
  for (const p of [pkg.main, pkg.exports['.']]) expect(existsSync(new URL(`../../${p}`, import.meta.url))).toBe(true);
  const lib = (await import(new URL(`../../${pkg.main}`, import.meta.url).href)) as Record<string, unknown>;
  for (const name of ['checkPatch', 'proveProperties', 'loadSpec', 'Z3Solver', 'hasStuckSolverThreads']) expect(typeof lib[name]).toBe('function');
});
