// What a report page holds, as JSON inside report.html: written by the report builder (Node),
// read by the page's script (browser/report.ts).
import type { IrSpec } from "../ir/types.js";
import type { Comparison } from "../sweep/compare.js";

/** One logged value over the steps. */
export interface Series {
  name: string;
  kind: "loss" | "monitor" | "state" | "eval" | "speed";
  steps: number[];
  values: number[];
}

export interface ReportRun {
  /** The run's name in legends and tables (unique within a report). */
  label: string;
  /** In a sweep's report: the variant the run belongs to (its colour). */
  group?: string;
  dir: string;
  spec: string;
  /** spec.gan as run. */
  specText: string;
  params: Record<string, unknown>;
  /** The run section as run: batch, steps, seed, log_every... */
  settings: Record<string, number>;
  /** run.json's backend (and wasm variant). */
  backend: string;
  started?: string;
  resumedAt: number | null;
  /** Steps completed (the last logged) and planned. */
  steps: number;
  totalSteps: number;
  /** From the start (run.json) to the last metrics line; training time alone (evaluation and samples excluded). */
  wallSeconds?: number;
  trainSeconds: number;
  series: Series[];
  samples: { step: number; src: string }[];
  /** The last evaluation's metrics (eval_*), if any. */
  finalEval: Record<string, number>;
  /** Not sent to the page. */
  ir?: IrSpec;
}

export interface ReportData {
  title: string;
  generated: string;
  /** Written by `ganc run` while training (the page reloads itself). */
  live: boolean;
  runs: Omit<ReportRun, "ir">[];
  /** `ganc diff` between the first run's spec and each other's. */
  diffs: { from: string; to: string; lines: string[] }[];
  /** A sweep's report: `ganc compare`'s comparison of its variants. */
  sweep?: Comparison;
}
