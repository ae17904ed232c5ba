import type { ProgressEvent } from '../api.ts';
import { assertNever } from '../util/assert.ts';

/**
 * Progress of `check` on stderr (stdout carries the report). On a terminal one bar line redrawn in
 * place; elsewhere (CI logs, pipes) one plain line per decided entry point. `quiet`: nothing;
 * `verbose`: also compile times and, per entry point, solver calls (and a plain line when one starts).
 */
export type Verbosity = 'quiet' | 'normal' | 'verbose';

export interface ProgressSink {
  readonly isTTY: boolean;
  /** Terminal width, when known. */
  readonly columns?: number;
  write(text: string): void;
}

export class Progress {
  private barShown = false;

  constructor(
    private readonly sink: ProgressSink,
    private readonly verbosity: Verbosity,
  ) {}

  readonly on = (e: ProgressEvent): void => {
    if (this.verbosity === 'quiet') return;
    const verbose = this.verbosity === 'verbose';
    switch (e.kind) {
      case 'compiled':
        if (verbose) this.line(`compiled old in ${secs(e.oldMs)}, new in ${secs(e.newMs)}`);
        return;
      case 'entry-start':
        if (this.sink.isTTY) this.bar(e.index - 1, e.total, e.signature);
        else if (verbose) this.line(`[${e.index}/${e.total}] ${e.signature} …`);
        return;
      case 'entry-done': {
        const detail = verbose ? `, ${e.solverCalls} solver call${e.solverCalls === 1 ? '' : 's'}` : '';
        const text = `[${e.index}/${e.total}] ${e.signature}: ${e.verdict} (${secs(e.ms)}${detail})`;
        if (this.sink.isTTY && !verbose) this.bar(e.index, e.total, e.signature);
        else this.line(text);
        return;
      }
      default:
        assertNever(e, 'progress event');
    }
  };

  /** Clears the bar so what follows on stderr starts on a clean line. */
  done(): void {
    if (this.barShown) this.sink.write('\r\x1b[2K');
    this.barShown = false;
  }

  private line(text: string): void {
    this.done();
    this.sink.write(`patchproof: ${text}\n`);
  }

  private bar(done: number, total: number, current: string): void {
    const width = 24;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    const head = `patchproof [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} `;
    const room = Math.max(0, (this.sink.columns ?? 80) - head.length - 1);
    this.sink.write(`\r\x1b[2K${head}${current.slice(0, room)}`);
    this.barShown = true;
  }
}

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
