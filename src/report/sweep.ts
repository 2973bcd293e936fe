// The report of a sweep (`ganc report SWEEP_DIR`, and what `ganc sweep` writes at its end): the
// comparison of `ganc compare` (per-variant summaries over seeds and the tested differences) drawn
// as tables, each run's final sample grid by variant and seed, every finished run's curves
// coloured by variant, and what changed between the variants' specs.
import * as fs from "node:fs";
import * as path from "node:path";
import { diffIr } from "../ir/diff.js";
import { compareSweep } from "../sweep/compare.js";
import { readSweep } from "../sweep/state.js";
import type { ReportData, ReportRun } from "./data.js";
import { readRunFolder } from "./read.js";

/** True when `dir` is a folder written by `ganc sweep`. */
export const isSweepDir = (dir: string): boolean => fs.existsSync(path.join(dir, "sweep.json"));

/** The report's data for the sweep in `dir` (its finished runs whose folders are on this machine). */
export function sweepReportData(dir: string): ReportData {
  const comparison = compareSweep(readSweep(dir), dir);
  const runs: ReportRun[] = [];
  for (const v of comparison.variants)
    for (const r of v.runs) {
      if (r.state !== "done" || r.dir === null) continue;
      const runDir = path.resolve(dir, r.dir);
      if (!fs.existsSync(runDir)) continue; // trained on another machine without a shared folder
      // The last grid only: twenty runs' every grid would make the page tens of megabytes.
      runs.push({ ...readRunFolder(runDir, r.id, { lastSample: true }), group: v.key });
    }
  const firsts = comparison.variants.flatMap((v) => runs.filter((r) => r.group === v.key).slice(0, 1));
  const [base, ...others] = firsts;
  const diffs = others.flatMap((r) => (base?.ir && r.ir ? [{ from: base.group!, to: r.group!, lines: diffIr(base.ir, r.ir) }] : []));
  return {
    title: `sweep ${path.basename(path.resolve(dir))}: ${comparison.variants.map((v) => v.key).join(" vs ")}`,
    generated: new Date().toISOString(),
    live: false,
    runs: runs.map(({ ir: _ir, ...r }) => r),
    diffs,
    sweep: comparison,
  };
}
