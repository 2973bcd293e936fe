/**
 * Checkpoint retention: a run keeps its newest `keep` checkpoints and the best one by evaluation
 * (when the run evaluates), and removes the rest, so `checkpoint_every = 1` does not fill the disk.
 * A removed folder is first renamed to a `.tmp-` name (cleaned up by the next save), so a crash
 * during removal never leaves a half-deleted folder that looks like a checkpoint.
 */
import { renameSync, rmSync } from "node:fs";
import path from "node:path";
import { listCheckpoints } from "./checkpoint.js";
import { readMetricsFile } from "./metrics-file.js";

/** Keep this many newest checkpoints unless told otherwise (0 keeps all). */
export const DEFAULT_KEEP_CHECKPOINTS = 3;

/** Evaluation metrics that rank checkpoints, lower is better; the first one a run logs is used. */
const RANKED_BY = ["eval_fid", "eval_reverse_kl", "eval_translation_l1"];

export interface EvalScore {
  step: number;
  metric: string;
  value: number;
}

/** The score of one evaluation (metrics as logged, `eval_*`), or null when none of them ranks. */
export function evalScore(step: number, metrics: Record<string, unknown>): EvalScore | null {
  const metric = RANKED_BY.find((k) => typeof metrics[k] === "number" && Number.isFinite(metrics[k]));
  return metric === undefined ? null : { step, metric, value: metrics[metric] as number };
}

/** True when `a` ranks better than `b` (or there is no `b`). */
export function isBetter(a: EvalScore, b: EvalScore | null): boolean {
  return b === null || (a.metric === b.metric && a.value < b.value);
}

/** The best evaluation logged in a metrics.jsonl (used when a run resumes). */
export function bestLoggedEval(metricsFile: string): EvalScore | null {
  let best: EvalScore | null = null;
  for (const m of readMetricsFile(metricsFile)) {
    const score = evalScore(m.step, m);
    if (score !== null && isBetter(score, best)) best = score;
  }
  return best;
}

/**
 * Removes all but the newest `keep` checkpoints of `runDir` and the one at step `best` (0 keeps
 * everything). Returns the names of the removed folders.
 */
export function pruneCheckpoints(runDir: string, keep: number, best: number | null): string[] {
  if (keep === 0) return [];
  const removed: string[] = [];
  for (const { step, dir } of listCheckpoints(runDir).slice(keep)) {
    if (step === best) continue;
    const doomed = path.join(path.dirname(dir), `.tmp-removed-${path.basename(dir)}`);
    renameSync(dir, doomed);
    rmSync(doomed, { recursive: true, force: true });
    removed.push(path.basename(dir));
  }
  return removed;
}
