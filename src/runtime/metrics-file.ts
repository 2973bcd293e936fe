/**
 * metrics.jsonl: one JSON object per line, appended as a run goes. A crash can leave a partial
 * last line; readers skip lines that do not parse, and a resumed run rewrites the file atomically
 * with only the complete lines up to its checkpoint.
 */
import { existsSync, readFileSync } from "node:fs";
import { writeFileAtomic } from "./files.js";

export type MetricsLine = Record<string, unknown> & { step: number };

/** The complete lines of a metrics file, as written and parsed (none when it does not exist). */
function completeLines(file: string): { text: string; line: MetricsLine }[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .flatMap((text) => {
      try {
        const line = JSON.parse(text) as unknown;
        return typeof line === "object" && line !== null && typeof (line as MetricsLine).step === "number" ? [{ text, line: line as MetricsLine }] : [];
      } catch {
        return [];
      }
    });
}

export function readMetricsFile(file: string): MetricsLine[] {
  return completeLines(file).map((l) => l.line);
}

/** Keeps only the complete lines with step <= `step` (used on resume). */
export function truncateMetrics(file: string, step: number): void {
  if (!existsSync(file)) return;
  const kept = completeLines(file).filter((l) => l.line.step <= step);
  writeFileAtomic(file, kept.map((l) => l.text + "\n").join(""));
}
