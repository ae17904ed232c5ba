import { assertNever } from '../util/assert.ts';
import { EXIT, type VerdictExitCode } from './exit.ts';

/**
 * `--fail-on`: which verdicts fail the run. `inconclusive` (the default) keeps the exit codes as they are
 * (1 refuted, 2 inconclusive); `refuted` turns 2 into 0, so only a difference, violation or incompatible
 * upgrade fails; `never` always exits 0 for a finished check. Usage and internal errors (3, 70) are never
 * affected: they are not verdicts.
 */
export const FAIL_ON = ['refuted', 'inconclusive', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export function applyFailOn(code: VerdictExitCode, failOn: FailOn): VerdictExitCode {
  switch (failOn) {
    case 'inconclusive':
      return code;
    case 'refuted':
      return code === EXIT.inconclusive ? EXIT.proved : code;
    case 'never':
      return EXIT.proved;
    default:
      return assertNever(failOn, '--fail-on');
  }
}
