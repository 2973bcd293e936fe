// Identifiers and spec-line references for emitted code.
import { SourceText } from "../diagnostics/source.js";
import type { Span } from "../diagnostics/span.js";

const RESERVED = new Set(
  "break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await tf rt store nets layers".split(" "),
);

/** A JavaScript identifier for a spec name (spec names are identifiers already, but may be reserved). */
export function js(name: string): string {
  return RESERVED.has(name) ? `${name}_` : name;
}

/** camelCase of a spec name for function names: `d_loss` -> `dLoss`. */
export function camel(name: string): string {
  return name.replace(/_+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
}

export function pascal(name: string): string {
  const c = camel(name);
  return c.charAt(0).toUpperCase() + c.slice(1);
}

/** The spec files' texts, to quote a span's line in comments. */
export class SpecLines {
  private readonly texts = new Map<string, SourceText>();
  constructor(
    files: Record<string, string>,
    readonly display: (file: string) => string,
  ) {
    for (const [f, t] of Object.entries(files)) this.texts.set(f, new SourceText(f, t));
  }
  get(file: string): SourceText | undefined {
    return this.texts.get(file);
  }
}

/** `{ line, text, where }` for a span: its 1-based line, that line's trimmed text, `file:line`. */
export function lineOf(lines: SpecLines, span: Span): { line: number; text: string; where: string } {
  const src = lines.get(span.file);
  if (!src) return { line: 0, text: "", where: lines.display(span.file) };
  const { line } = src.position(span.start);
  const text = src.lineText(line).trim().replace(/\s+#.*$/, "").replace(/\*\//g, "* /");
  return { line, text, where: `${lines.display(span.file)}:${line}` };
}
