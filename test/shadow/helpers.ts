import path from 'node:path';
import { expect, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { projectRoot, type CliRun } from '../cli/helpers.ts';

export const cacheDir = path.join(projectRoot, 'node_modules/.cache/patchproof-test');
export const fixture = (name: string, file: string): string => path.join(projectRoot, 'fixtures', name, file);

/**
 * The CLI's `main()` in this process, with stdout and stderr captured: the same argument parsing, error
 * mapping and exit codes as `bin/patchproof.js`, without paying for a new Node process and a fresh solc
 * load per case. (A few cases also go through runCli to cover the real binary.) Not re-entrant.
 */
export async function runMain(args: readonly string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const capture = (sink: 'out' | 'err') => (chunk: string | Uint8Array): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (sink === 'out') stdout += text;
    else stderr += text;
    return true;
  };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture('out') as typeof process.stdout.write);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture('err') as typeof process.stderr.write);
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/** An input or usage error: exit 3, a first line `error: …` naming every message, no stack trace, nothing on stdout. */
export function expectInputError(r: CliRun, ...messages: (string | RegExp)[]): void {
  expect(r.code, `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`).toBe(3);
  expect(r.stdout).toBe('');
  const first = r.stderr.split('\n')[0] ?? '';
  expect(first, r.stderr).toMatch(/^error: /);
  for (const m of messages) expect(first).toMatch(m);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr).not.toContain('internal error');
}
