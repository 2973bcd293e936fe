/**
 * Shared helpers for the training tests (issue 3): every spec in specs/, shrunk to a tiny
 * model, trained for real on MNIST through the CLI or the generated program.
 */
import * as fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "vitest";

export const SPECS_DIR = "specs";

/** Every spec in specs/, found at test time (new specs are picked up without editing this file). */
export function allSpecs(): string[] {
  return fs
    .readdirSync(SPECS_DIR)
    .filter((f) => f.endsWith(".gan"))
    .sort()
    .map((f) => path.join(SPECS_DIR, f));
}

// The shrink rule lives with `ganc backends --verify`, which uses it too.
export { tiny, tinySets } from "../../src/cli/shrink.js";

/** `["a=1", "b=2"]` -> `{ a: "1", b: "2" }`. */
export function setsToRecord(sets: string[]): Record<string, string> {
  return Object.fromEntries(sets.map((s) => [s.slice(0, s.indexOf("=")), s.slice(s.indexOf("=") + 1)]));
}

/** `["a=1"]` -> `["--set", "a=1"]`. */
export const setFlags = (sets: string[]): string[] => sets.flatMap((s) => ["--set", s]);

import { ganc, type Run } from "../helpers/ganc.js";
export { ganc, type Run };

/** A fresh temporary folder, removed by `cleanup()`. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ganc-${prefix}-`));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export type Metrics = Record<string, number>;

export function readMetrics(runDir: string): Metrics[] {
  return fs
    .readFileSync(path.join(runDir, "metrics.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Metrics);
}

/** The logged values of a metrics line, without the wall-clock rate. */
export function values(m: Metrics): Metrics {
  const { steps_per_sec: _, ...rest } = m;
  return rest;
}

/** No stack trace: no `    at fn (file:line)` frames and no `Error:` prefix from an uncaught throw. */
export function expectNoStackTrace(r: Run): void {
  expect(r.err + r.out).not.toMatch(/^\s+at .+:\d+/m);
  expect(r.err + r.out).not.toMatch(/^\w*Error: /m);
}

/** The progress display is written to stderr by `ganc run`; keep test output quiet. */
export function quietStderr(): () => void {
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = (() => true) as typeof process.stderr.write;
  return () => {
    process.stderr.write = write;
  };
}
