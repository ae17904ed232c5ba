import type { CheckResult } from '../api.ts';
import { assertNever } from '../util/assert.ts';

/** Process exit codes of the CLI; also in `toJson(...).exitCode` so machines need not map verdicts. */
export const EXIT = {
  /** Every entry point proved equivalent (`verify`: the certificate matches). */
  proved: 0,
  /** Some entry point differs (`verify`: some mismatch with the certificate). */
  different: 1,
  /** Nothing differs, but something is unknown or unsupported, or equivalent only up to the loop bound. */
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
      return EXIT.proved;
    case 'different':
    case 'incompatible':
      // The new version cannot replace the old one behind a proxy: as bad as a behavioural difference.
      return EXIT.different;
    case 'unknown':
    case 'unsupported':
      return EXIT.inconclusive;
    case 'bounded':
      // Equivalent only up to the loop bound: not a proof, so CI must not treat it as one.
      return EXIT.inconclusive;
    default:
      return assertNever(overall, 'overall verdict');
  }
}
