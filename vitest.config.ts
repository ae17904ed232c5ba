import { defineConfig } from 'vitest/config';

// Two workers: CI machines have two cores, and vitest's default leaves one of them idle. Tests that solve
// get a minute: vitest's 5 s default measures the machine's load, not the product (speed targets live in
// bench/).
export default defineConfig({
  test: {
    maxWorkers: 2,
    testTimeout: 60_000,
  },
});
