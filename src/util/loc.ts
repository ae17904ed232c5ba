/** A source location: every IR node, obligation and finding carries one. Lines and columns are 1-based. */
export interface SrcLoc {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** solc AST node id, or -1 when the node was synthesised by patchproof (e.g. a getter). */
  readonly astId: number;
}

export const noLoc: SrcLoc = { file: '<synthetic>', line: 0, col: 0, astId: -1 };

export function formatLoc(l: SrcLoc): string {
  return `${l.file}:${l.line}:${l.col}`;
}

/** Maps byte offsets of a source text to 1-based line/column. solc's `src` is "start:length:fileIndex" in bytes. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(private readonly bytes: Uint8Array) {
    for (let i = 0; i < bytes.length; i++) if (bytes[i] === 10) this.starts.push(i + 1);
  }
  static of(text: string): LineIndex {
    return new LineIndex(new TextEncoder().encode(text));
  }
  /** Position of a byte offset. Columns count characters, not bytes. */
  position(offset: number): { line: number; col: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    const start = this.starts[lo] ?? 0;
    const col = new TextDecoder().decode(this.bytes.subarray(start, offset)).length + 1;
    return { line: lo + 1, col };
  }
}
