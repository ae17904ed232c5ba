import { execFile } from 'node:child_process';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PatchproofError } from '../frontend/errors.ts';

const run = promisify(execFile);

/**
 * `--old-ref <ref>`: the old version checked out of the repository's history into a temporary git
 * worktree (detached; the repository's own work tree and index are untouched), removed again by
 * `close()`. The old project root is the same directory inside it as the new root is in the repository.
 */
export interface OldCheckout {
  readonly root: string;
  close(): Promise<void>;
}

export async function checkoutRef(ref: string, newRoot: string): Promise<OldCheckout> {
  const git = (args: readonly string[], cwd: string) =>
    run('git', [...args], { cwd, maxBuffer: 16 << 20 }).catch((e: Error & { stderr?: string }) => {
      throw new PatchproofError('input', `git ${args.join(' ')} failed: ${(e.stderr ?? e.message).trim()}`);
    });
  const realRoot = await realpath(newRoot).catch(() => {
    throw new PatchproofError('input', `root not found: ${newRoot}`);
  });
  const top = (await git(['rev-parse', '--show-toplevel'], realRoot)).stdout.trim();
  const commit = (await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], top).catch(() => {
    throw new PatchproofError('input', `--old-ref ${ref} names no commit of the repository at ${top}`);
  })).stdout.trim();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'patchproof-old-'));
  await git(['worktree', 'add', '--detach', dir, commit], top);
  return {
    root: path.join(dir, path.relative(top, realRoot)),
    close: async () => {
      await run('git', ['worktree', 'remove', '--force', dir], { cwd: top }).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
