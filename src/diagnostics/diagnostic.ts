// A diagnostic: what is wrong (code + the arguments of its message), where (primary span), and
// what may help. The message is filled in from the code's template when the diagnostic is made;
// the text around it (source line, caret, notes) is rendered late, by render.ts.
import { MESSAGES, fill, type Arg, type ArgsOf, type Code, type Severity } from "./messages.js";
import type { Span } from "./span.js";

export interface Note {
  message: string;
  span?: Span;
}

export interface Diagnostic {
  code: Code;
  severity: Severity;
  message: string;
  /** The arguments the message was filled in with. */
  args: Readonly<Record<string, Arg>>;
  span: Span;
  /** Short text printed under the caret, e.g. "expects [100]". */
  label?: string;
  notes: Note[];
  help?: string;
}

/** What may go with a message besides its code's own help and label (from TEXTS). */
export interface Extra {
  help?: string;
  label?: string;
  notes?: Note[];
}

export function diagnostic<C extends Code>(code: C, span: Span, args: ArgsOf<C>, extra: Extra = {}): Diagnostic {
  const info: { severity: Severity; message: string; help?: string; label?: string } = MESSAGES[code];
  const a = args as Record<string, Arg>;
  const help = extra.help ?? (info.help === undefined ? undefined : fill(info.help, a));
  const label = extra.label ?? (info.label === undefined ? undefined : fill(info.label, a));
  return { code, severity: info.severity, message: fill(info.message, a), args: a, span, notes: extra.notes ?? [], ...(label ? { label } : {}), ...(help ? { help } : {}) };
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
