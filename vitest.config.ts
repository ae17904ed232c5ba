import { defineConfig } from 'vitest/config';

// Most suites spend their time in child processes (the CLI) and in solc/Z3: two workers keep both cores
// of a small CI machine busy (vitest's default leaves one idle there).
export default defineConfig({
  test: {
    maxWorkers: 2,
  },
});
