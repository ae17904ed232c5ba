import { defineConfig } from 'vitest/config';

// Most suites spend their time in child processes (the CLI) and in solc/Z3: two workers keep both cores
// of a small CI machine busy (vitest's default leaves one idle there). Tests that solve get a minute:
// vitest's 5 s default measures the machine's load, not the product (speed targets live in bench/).
export default defineConfig({
  test: {
    maxWorkers: 2,
    testTimeout: 60_000,
  },
});
