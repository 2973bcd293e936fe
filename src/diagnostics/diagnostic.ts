// A diagnostic: what is wrong (code + message), where (primary span), and what may help.
import { CATALOG, type Code, type Severity } from "./catalog.js";
import type { Span } from "./span.js";

export interface Note {
  message: string;
  span?: Span;
}

export interface Diagnostic {
  code: Code;
  severity: Severity;
  message: string;
  span: Span;
  /** Short text printed under the caret, e.g. "expects [100]". */
  label?: string;
  notes: Note[];
  help?: string;
}

export function diag(
  code: Code,
  span: Span,
  message: string,
  extra: { label?: string; notes?: Note[]; help?: string } = {},
): Diagnostic {
  return { code, severity: CATALOG[code].severity, message, span, notes: extra.notes ?? [], ...(extra.label ? { label: extra.label } : {}), ...(extra.help ? { help: extra.help } : {}) };
}

export function hasErrors(ds: readonly Diagnostic[]): boolean {
  return ds.some((d) => d.severity === "error");
}

/** Stable order: by file, then offset, then code. */
export function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  return [...ds].sort(
    (a, b) =>
      a.span.file.localeCompare(b.span.file) || a.span.start - b.span.start || a.code.localeCompare(b.code) || a.message.localeCompare(b.message),
  );
}
