// Source texts by file name, and offset -> line/column conversion for printing.
export interface Position {
  line: number; // 1-based
  column: number; // 1-based, in UTF-16 code units
}

export class SourceText {
  private readonly lineStarts: number[];

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    this.lineStarts = [0];
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  position(offset: number): Position {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.lineStarts[lo]! + 1 };
  }

  /** The text of a 1-based line, without its newline. */
  lineText(line: number): string {
    const start = this.lineStarts[line - 1] ?? this.text.length;
    const next = this.lineStarts[line];
    const end = next === undefined ? this.text.length : next - 1;
    return this.text.slice(start, end).replace(/\r$/, "");
  }
}

/** All source texts a compilation read, so diagnostics can quote any of them. */
export class SourceMap {
  private readonly texts = new Map<string, SourceText>();

  add(file: string, text: string): SourceText {
    const s = new SourceText(file, text);
    this.texts.set(file, s);
    return s;
  }

  get(file: string): SourceText | undefined {
    return this.texts.get(file);
  }
}
