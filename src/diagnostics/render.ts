// Printing diagnostics: rustc/Elm-style text with the source line and a caret, or JSON.
import type { Diagnostic } from "./diagnostic.js";
import type { SourceMap } from "./source.js";
import type { Span } from "./span.js";

function location(sources: SourceMap, span: Span): { line: number; column: number; endLine: number; endColumn: number } {
  const src = sources.get(span.file);
  if (!src) return { line: 1, column: 1, endLine: 1, endColumn: 1 };
  const a = src.position(span.start);
  const b = src.position(Math.max(span.start, span.end));
  return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
}

/** The source line of a span with a caret run under it (first line only for multi-line spans). */
function snippet(sources: SourceMap, span: Span, label: string | undefined): string[] {
  const src = sources.get(span.file);
  if (!src) return [];
  const { line, column, endLine, endColumn } = location(sources, span);
  const text = src.lineText(line);
  const gutter = String(line).length;
  const pad = " ".repeat(gutter);
  const width = endLine === line ? Math.max(1, endColumn - column) : Math.max(1, text.length - column + 1);
  const caret = " ".repeat(column - 1) + "^".repeat(width) + (label ? ` ${label}` : "");
  return [`${pad} |`, `${line} | ${text}`, `${pad} | ${caret}`.trimEnd()];
}

export function renderPretty(d: Diagnostic, sources: SourceMap): string {
  const { line, column } = location(sources, d.span);
  const out = [`${d.span.file}:${line}:${column} ${d.severity}[${d.code}]: ${d.message}`];
  out.push(...snippet(sources, d.span, d.label));
  for (const n of d.notes) {
    if (n.span) {
      const p = location(sources, n.span);
      out.push(`  = note: ${n.message} (${n.span.file}:${p.line}:${p.column})`);
    } else out.push(`  = note: ${n.message}`);
  }
  if (d.help) out.push(`  = help: ${d.help}`);
  return out.join("\n");
}

export function renderAllPretty(ds: readonly Diagnostic[], sources: SourceMap): string {
  return ds.map((d) => renderPretty(d, sources)).join("\n\n");
}

export function toJson(d: Diagnostic, sources: SourceMap): object {
  const loc = location(sources, d.span);
  return {
    file: d.span.file,
    ...loc,
    start: d.span.start,
    end: d.span.end,
    severity: d.severity,
    code: d.code,
    message: d.message,
    ...(d.label ? { label: d.label } : {}),
    notes: d.notes.map((n) => (n.span ? { message: n.message, file: n.span.file, ...location(sources, n.span) } : { message: n.message })),
    ...(d.help ? { help: d.help } : {}),
  };
}

export function renderJson(ds: readonly Diagnostic[], sources: SourceMap): string {
  return JSON.stringify(ds.map((d) => toJson(d, sources)), null, 2);
}

/** `2 errors, 1 warning` */
export function summary(ds: readonly Diagnostic[]): string {
  const e = ds.filter((d) => d.severity === "error").length;
  const w = ds.length - e;
  const plural = (n: number, s: string) => `${n} ${s}${n === 1 ? "" : "s"}`;
  return [e ? plural(e, "error") : "", w ? plural(w, "warning") : ""].filter(Boolean).join(", ");
}
