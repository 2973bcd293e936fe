// A span is a 0-based, end-exclusive range of offsets into one source file.
// Line and column are computed only when a diagnostic is printed (see source.ts).
export interface Span {
  file: string;
  start: number;
  end: number;
}

export function span(file: string, start: number, end: number): Span {
  return { file, start, end };
}

/** The smallest span covering both (same file assumed). */
export function cover(a: Span, b: Span): Span {
  return { file: a.file, start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

/** Chevrotain tokens carry an inclusive `endOffset`; this converts one to a span. */
export function tokenSpan(file: string, tok: { startOffset: number; endOffset?: number; image: string }): Span {
  const end = tok.endOffset !== undefined && !Number.isNaN(tok.endOffset) ? tok.endOffset + 1 : tok.startOffset + tok.image.length;
  return { file, start: tok.startOffset, end };
}
