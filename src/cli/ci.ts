import { realpathSync } from 'node:fs';
import { appendFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CheckResult } from '../api.ts';
import type { FailOn } from '../report/failon.ts';
import type { PathBase } from '../report/issues.ts';

/**
 * The CI side outputs of `check` besides the report on stdout: the JUnit file (`--junit`) and, under
 * GitHub Actions (GITHUB_ACTIONS=true), annotations on stderr and the Markdown step summary appended to
 * $GITHUB_STEP_SUMMARY. Kept out of main.ts so the command stays a few lines.
 */
export interface CiOutputOptions {
  readonly junit?: string;
  readonly failOn: FailOn;
  readonly exitCode: number;
  readonly base: PathBase;
  readonly env: NodeJS.ProcessEnv;
  readonly err: (line: string) => void;
}

export async function writeCiOutputs(r: CheckResult, o: CiOutputOptions): Promise<void> {
  if (o.junit !== undefined) {
    const { toJunit } = await import('../report/junit.ts');
    await writeFile(o.junit, toJunit(r, o.failOn));
  }
  if (o.env.GITHUB_ACTIONS !== 'true') return;
  const { githubAnnotations, githubSummary } = await import('../report/github.ts');
  for (const line of githubAnnotations(r, o.base)) o.err(line);
  const summary = o.env.GITHUB_STEP_SUMMARY;
  if (summary) await appendFile(summary, githubSummary(r, o.exitCode, o.base));
}

/** Where the compiler's unit names are rooted (as compile.ts decides it: --*-root, else the file's directory). */
export function pathBaseOf(a: { root?: string; oldRoot?: string; newRoot?: string }, oldFile: string, newFile: string): PathBase {
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  return {
    oldRoot: real(a.oldRoot ?? a.root ?? path.dirname(oldFile)),
    newRoot: real(a.newRoot ?? a.root ?? path.dirname(newFile)),
    cwd: real(process.cwd()),
  };
}
