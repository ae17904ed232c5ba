import { describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../src/api.ts';
import { Progress, type Verbosity } from '../../src/cli/progress.ts';

const events: ProgressEvent[] = [
  { kind: 'compiled', oldMs: 120, newMs: 80 },
  { kind: 'entry-start', index: 1, total: 2, signature: 'deposit()' },
  { kind: 'entry-done', index: 1, total: 2, signature: 'deposit()', verdict: 'equivalent', ms: 12, solverCalls: 0 },
  { kind: 'entry-start', index: 2, total: 2, signature: 'withdraw(uint256)' },
  { kind: 'entry-done', index: 2, total: 2, signature: 'withdraw(uint256)', verdict: 'different', ms: 1500, solverCalls: 1 },
];

function run(isTTY: boolean, v: Verbosity): string {
  let text = '';
  const p = new Progress({ isTTY, columns: 60, write: (t) => (text += t) }, v);
  for (const e of events) p.on(e);
  p.done();
  return text;
}

describe('progress on stderr', () => {
  it('prints one plain line per decided entry point when not on a terminal', () => {
    expect(run(false, 'normal')).toBe('patchproof: [1/2] deposit(): equivalent (0.0 s)\npatchproof: [2/2] withdraw(uint256): different (1.5 s)\n');
  });

  it('redraws one bar on a terminal and clears it at the end', () => {
    const t = run(true, 'normal');
    expect(t).not.toContain('\n');
    expect(t).toContain('patchproof [############............] 1/2 deposit()');
    expect(t.endsWith('\r\x1b[2K')).toBe(true);
  });

  it('says nothing when quiet, and more when verbose', () => {
    expect(run(true, 'quiet')).toBe('');
    expect(run(false, 'quiet')).toBe('');
    const v = run(false, 'verbose');
    expect(v).toContain('patchproof: compiled old in 0.1 s, new in 0.1 s\n');
    expect(v).toContain('patchproof: [2/2] withdraw(uint256) …\n');
    expect(v).toContain('withdraw(uint256): different (1.5 s, 1 solver call)\n');
  });
});
