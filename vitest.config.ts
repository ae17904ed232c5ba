import { defineConfig } from 'vitest/config';

// One worker: the solver-heavy files (the e2e fixture corpus, the differential harness) share a Z3
// instance per file, and under contention a query that overruns makes the following tests of that file
// fail too (the solver is still busy). Two workers on a 2-core machine made that happen; each file passes
// alone. Tests that solve get a minute: vitest's 5 s default measures the machine's load, not the product
// (speed targets live in bench/).
export default defineConfig({
  test: {
    maxWorkers: 1,
    testTimeout: 60_000,
  },
});
