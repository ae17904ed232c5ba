import { LineIndex } from '../util/loc.ts';

/** One compiler or front-end message, already resolved to a 1-based line/column. */
export interface Diagnostic {
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
  /** Unit path (root-relative) the message points into, when known. */
  readonly file?: string;
  readonly line?: number;
  readonly col?: number;
  /** solc errorCode, or a patchproof code for our own diagnostics. */
  readonly code?: string;
  /** One line: "file:line:col: Error: message". */
  readonly formatted: string;
}

export type PatchproofErrorKind = 'compile' | 'input' | 'usage';

/**
 * A user-facing failure (bad input, compile error). The CLI prints `message` and every diagnostic,
 * then exits 3. Not for bugs in the tool: those are plain `Error`s (see util/assert.ts).
 */
export class PatchproofError extends Error {
  override readonly name = 'PatchproofError';
  readonly kind: PatchproofErrorKind;
  readonly diagnostics: readonly Diagnostic[];

  constructor(kind: PatchproofErrorKind, message: string, diagnostics: readonly Diagnostic[] = []) {
    super(message);
    this.kind = kind;
    this.diagnostics = diagnostics;
  }
}

export function isPatchproofError(e: unknown): e is PatchproofError {
  return e instanceof PatchproofError;
}

/**
 * Builds a diagnostic with its one-line rendering. `label` defaults to the capitalised severity;
 * solc passes its own error type (e.g. "ParserError") so the kind of failure stays visible.
 */
export function diagnostic(d: Omit<Diagnostic, 'formatted'>, label?: string): Diagnostic {
  const where =
    d.file === undefined ? '' : d.line === undefined ? `${d.file}: ` : `${d.file}:${d.line}:${d.col ?? 0}: `;
  const kind = label ?? d.severity[0]!.toUpperCase() + d.severity.slice(1);
  const message = d.message.replace(/\s*\n\s*/g, ' ');
  return { ...d, formatted: `${where}${kind}: ${message}` };
}

/** One entry of solc's standard JSON `errors` array. */
export interface SolcError {
  severity: 'error' | 'warning' | 'info';
  type?: string;
  errorCode?: string;
  message: string;
  sourceLocation?: { file: string; start: number; end: number };
}

/** Resolves solc's byte offset (UTF-8) to a line/column in the unit whose content `contentOf` returns. */
export function fromSolcError(e: SolcError, contentOf: (unit: string) => string | undefined): Diagnostic {
  const loc = e.sourceLocation;
  const content = loc ? contentOf(loc.file) : undefined;
  // start -1 means "the whole file": keep the file, drop the position.
  const pos = content !== undefined && loc && loc.start >= 0 ? LineIndex.of(content).position(loc.start) : undefined;
  const { severity, message, errorCode: code } = e;
  return diagnostic({ severity, message, file: loc?.file, line: pos?.line, col: pos?.col, code }, e.type);
}
