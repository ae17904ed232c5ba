import { defineConfig } from 'vitest/config';

// Two workers: CI machines have two cores, and vitest's default leaves one of them idle. Tests that solve
// get a minute: vitest's 5 s default measures the machine's load, not the product (speed targets live in
// bench/). Hardhat's compiler cache is pointed at a directory that does not exist, so which compiler a
// test gets does not depend on what this machine's Hardhat has downloaded.
export default defineConfig({
  test: {
    maxWorkers: 2,
    env: { PATCHPROOF_HARDHAT_CACHE: '/nonexistent/patchproof-test-hardhat-cache' },
    testTimeout: 60_000,
  },
});
