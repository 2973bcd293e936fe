// Checking a spec for a command: prints diagnostics, returns the IR when there are no errors.
import * as fs from "node:fs";
import { hasErrors, renderAllPretty, renderJson, summary } from "../diagnostics/index.js";
import { checkFile, UnreadableSpecError, type CheckResult } from "../check/check.js";
import type { IrSpec } from "../ir/types.js";
import { UsageError, type Io } from "./io.js";

export function readable(file: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new UsageError(`cannot read \`${file}\`: no such file`);
  }
  if (!stat.isFile()) throw new UsageError(`cannot read \`${file}\`: ${stat.isDirectory() ? "it is a folder" : "it is not a regular file (a FIFO or a device)"}`);
}

export function checkOrThrow(file: string, overrides: Record<string, string> = {}): CheckResult {
  readable(file);
  try {
    return checkFile(file, { overrides });
  } catch (e) {
    if (e instanceof UnreadableSpecError) throw new UsageError(e.message);
    throw e;
  }
}

export function printDiagnostics(io: Io, r: CheckResult, format: "pretty" | "json" = "pretty"): void {
  if (format === "json") return;
  if (r.diagnostics.length === 0) return;
  io.err(`${renderAllPretty(r.diagnostics, r.sources)}\n\n${summary(r.diagnostics)} in ${r.files[r.files.length - 1]}\n`);
}

/** Check a spec for build/run/ir: the IR, or undefined after printing why not. */
export function compile(io: Io, file: string, overrides: Record<string, string> = {}): IrSpec | undefined {
  const r = checkOrThrow(file, overrides);
  printDiagnostics(io, r);
  return hasErrors(r.diagnostics) ? undefined : r.ir;
}

export function jsonDiagnostics(results: CheckResult[]): string {
  const all = results.flatMap((r) => JSON.parse(renderJson(r.diagnostics, r.sources)) as unknown[]);
  return JSON.stringify(all, null, 2);
}
