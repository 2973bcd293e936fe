/**
 * Shared helpers for the training tests (issue 3): every spec in specs/, shrunk to a tiny
 * model, trained for real on MNIST through the CLI or the generated program.
 */
import * as fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "vitest";
import { checkFile } from "../../src/check/check.js";
import { hasErrors } from "../../src/diagnostics/index.js";

export const SPECS_DIR = "specs";

/** Every spec in specs/, found at test time (new specs are picked up without editing this file). */
export function allSpecs(): string[] {
  return fs
    .readdirSync(SPECS_DIR)
    .filter((f) => f.endsWith(".gan"))
    .sort()
    .map((f) => path.join(SPECS_DIR, f));
}

/**
 * Hand-written shrink settings for a spec (by file name without `.gan`), used instead of the
 * automatic rule when a spec needs something else. Each entry is a list of `name=value`.
 */
export const tiny: Record<string, { set: string[] }> = {
  // e.g. stylegan: { set: ["fmaps=8", "batch=4"] },
};

const TINY_WIDTH = 4;
const TINY_BATCH = 4;

/**
 * `--set` overrides that make a spec tiny: from `tiny[...]` if listed, else from its IR:
 * every integer param >= 16 (layer widths, bottleneck sizes) becomes 4 and batch becomes
 * min(batch, 4). An override the checker rejects (say a param that is an image size) is
 * dropped, so the spec still compiles; the result is checked clean.
 */
export function tinySets(spec: string): string[] {
  const key = path.basename(spec, ".gan");
  if (tiny[key]) return tiny[key].set;
  const base = checkFile(spec);
  if (!base.ir) throw new Error(`${spec} does not check clean:\n${base.diagnostics.map((d) => d.message).join("\n")}`);
  const candidates: Record<string, string> = {};
  for (const p of base.ir.params) {
    if (typeof p.value === "number" && Number.isInteger(p.value) && p.value >= 16) candidates[p.name] = String(TINY_WIDTH);
  }
  if (base.ir.run.batch > TINY_BATCH) candidates.batch = String(TINY_BATCH);
  const clean = (o: Record<string, string>) => !hasErrors(checkFile(spec, { overrides: o }).diagnostics);
  let chosen = candidates;
  if (!clean(chosen)) {
    chosen = {};
    for (const [k, v] of Object.entries(candidates)) if (clean({ ...chosen, [k]: v })) chosen[k] = v;
  }
  return Object.entries(chosen).map(([k, v]) => `${k}=${v}`);
}

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
