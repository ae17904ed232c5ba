import type { CheckResult } from '../api.ts';
import { assertNever } from '../util/assert.ts';

/** Process exit codes of the CLI; also in `toJson(...).exitCode` so machines need not map verdicts. */
export const EXIT = {
  /** Every entry point proved equivalent, or refines in fix mode, and every property proved (`verify`: the certificate matches). */
  proved: 0,
  /** Some entry point differs or some property is violated (`verify`: some mismatch with the certificate). */
  different: 1,
  /** Nothing differs, but something is unknown, unsupported or vacuous, or proved only up to the loop bound. */
  inconclusive: 2,
  /** Usage, input or compile error. */
  usage: 3,
  /** A bug in patchproof itself (sysexits EX_SOFTWARE). */
  internal: 70,
} as const;

export type VerdictExitCode = 0 | 1 | 2;

export function exitCodeOf(overall: CheckResult['overall']): VerdictExitCode {
  switch (overall) {
    case 'equivalent':
    case 'refines':
      return EXIT.proved;
    case 'different':
    case 'violated':
    case 'incompatible':
      // The new version cannot replace the old one behind a proxy: as bad as a behavioural difference.
      return EXIT.different;
    case 'unknown':
    case 'unsupported':
      return EXIT.inconclusive;
    case 'vacuous':
      // The relation or property holds only because its assumption is unsatisfiable: nothing was shown.
      return EXIT.inconclusive;
    case 'bounded':
      // Equivalent only up to the loop bound: not a proof, so CI must not treat it as one.
      return EXIT.inconclusive;
    default:
      return assertNever(overall, 'overall verdict');
  }
}
