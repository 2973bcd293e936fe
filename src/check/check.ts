// The checker: from a spec file (and the specs it extends) to the IR, or diagnostics. Every
// error in the file is reported; a file that does not parse is not checked further. The checks
// themselves are the passes of passes/index.ts.
import * as fs from "node:fs";
import * as path from "node:path";
import { hasErrors, sortDiagnostics, type Diagnostic, type SourceMap } from "../diagnostics/index.js";
import type { Span } from "../diagnostics/span.js";
import type { IrSpec } from "../ir/types.js";
import { COMMAND_LINE, Context } from "./context.js";
import { loadSpec, type ReadFile } from "./load.js";
import { runPasses } from "./passes/index.js";
import { relocate } from "./relocate.js";

export { UnreadableSpecError } from "./load.js";
export { overrideProblem, parseOverride } from "./passes/params.js";
export { COMMAND_LINE };

export interface CheckOptions {
  read?: ReadFile;
  /** `--set name=value` overrides of params and run settings, as written. */
  overrides?: Record<string, string>;
}

export interface CheckResult {
  ir?: IrSpec;
  diagnostics: Diagnostic[];
  sources: SourceMap;
  files: string[];
}

// Only regular files: reading a FIFO or a device would wait forever.
const readUtf8: ReadFile = (f) => {
  if (!fs.statSync(f).isFile()) throw new Error("it is not a regular file (a folder, a FIFO or a device)");
  return fs.readFileSync(f, "utf8");
};

/** The diagnostics of a spec as the passes report them (before relocation), and its IR. */
function checkOnce(file: string, read: ReadFile, overrides: Record<string, string>): CheckResult & { ctx?: Context } {
  const loaded = loadSpec(file, read);
  const result = { sources: loaded.sources, files: loaded.files };
  if (!loaded.parsed) return { ...result, diagnostics: loaded.diagnostics };
  const ctx = new Context({ decls: loaded.decls, files: loaded.files, overrides, overrideSpans: commandLine(overrides, loaded.sources) });
  for (const n of loaded.ambiguous) ctx.ambiguous.add(n);
  const ir = runPasses(ctx, specName(file));
  return { ...result, diagnostics: [...loaded.diagnostics, ...ctx.diagnostics], ir, ctx };
}

export function checkFile(file: string, options: CheckOptions = {}): CheckResult {
  const read = options.read ?? readUtf8;
  const overrides = options.overrides ?? {};
  const once = checkOnce(file, read, overrides);
  // a problem an override caused is reported where the override is written (relocate.ts)
  const moved = once.ctx ? relocate(once.diagnostics, once.ctx, (layer) => checkOnce(once.files[layer]!, read, {}).diagnostics) : once.diagnostics;
  const diagnostics = dedupe(sortDiagnostics(moved));
  return { sources: once.sources, files: once.files, diagnostics, ...(once.ir && !hasErrors(diagnostics) ? { ir: once.ir } : {}) };
}

/** A block used by two networks is checked twice; the same problem at the same place is said once. */
function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const key = `${d.code} ${d.span.file} ${d.span.start} ${d.span.end} ${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * `--set` overrides as a source text (`--set lamda=5 --set batch=x`), so that a diagnostic about
 * one can quote it with a caret under the name or the value.
 */
function commandLine(overrides: Record<string, string>, sources: SourceMap): Map<string, { key: Span; value: Span }> {
  const spans = new Map<string, { key: Span; value: Span }>();
  let text = "";
  for (const [k, v] of Object.entries(overrides)) {
    text += `${text ? " " : ""}--set `;
    const start = text.length;
    text += `${k}=${v}`;
    spans.set(k, { key: { file: COMMAND_LINE, start, end: start + k.length }, value: { file: COMMAND_LINE, start: start + k.length + 1, end: text.length } });
  }
  if (text) sources.add(COMMAND_LINE, text);
  return spans;
}

export function specName(file: string): string {
  return path.basename(file).replace(/\.gan$/, "");
}
