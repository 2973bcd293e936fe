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

/** Longest source line quoted in full; a longer one is cut to a window around the caret. */
const LINE_WIDTH = 200;

/** The source line of a span with a caret run under it (first line only for multi-line spans). */
function snippet(sources: SourceMap, span: Span, label: string | undefined): string[] {
  const src = sources.get(span.file);
  if (!src) return [];
  const { line, column, endLine, endColumn } = location(sources, span);
  let text = src.lineText(line);
  const gutter = String(line).length;
  const pad = " ".repeat(gutter);
  let at = column - 1;
  let width = endLine === line ? Math.max(1, endColumn - column) : Math.max(1, text.length - at);
  if (text.length > LINE_WIDTH) {
    // a window of the line around the caret, marked `...` where it is cut
    const from = Math.max(0, Math.min(at - 60, text.length - LINE_WIDTH));
    const to = Math.min(text.length, from + LINE_WIDTH);
    text = `${from > 0 ? "..." : ""}${text.slice(from, to)}${to < text.length ? "..." : ""}`;
    at = at - from + (from > 0 ? 3 : 0);
    width = Math.max(1, Math.min(width, to - from - (at - (from > 0 ? 3 : 0))));
  }
  const caret = " ".repeat(at) + "^".repeat(width) + (label ? ` ${label}` : "");
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

/** At most this many diagnostics are printed in full, and at most PER_LINE of them for one source line. */
const MAX_SHOWN = 100;
const PER_LINE = 5;

/**
 * The diagnostics, rendered: the first MAX_SHOWN in full (PER_LINE per source line), then a
 * count of the rest. A thousand mistakes on one pasted line are one problem to the reader.
 */
export function renderAllPretty(ds: readonly Diagnostic[], sources: SourceMap): string {
  const out: string[] = [];
  const onLine = new Map<string, number>();
  let hidden = 0;
  for (const d of ds) {
    const key = `${d.span.file}:${location(sources, d.span).line}`;
    const n = (onLine.get(key) ?? 0) + 1;
    onLine.set(key, n);
    if (n > PER_LINE || out.length >= MAX_SHOWN) hidden++;
    else out.push(renderPretty(d, sources));
  }
  if (hidden > 0) out.push(`... and ${hidden} more (${[...onLine.values()].some((n) => n > PER_LINE) ? `at most ${PER_LINE} are shown per line, ` : ""}${MAX_SHOWN} in all)`);
  return out.join("\n\n");
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
