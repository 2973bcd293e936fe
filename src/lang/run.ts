// Run settings: their defaults live here and nowhere else; the IR's `run` always holds all of them.
import type { IrRun } from "../ir/types.js";
import type { RunSettingEntry } from "./entry.js";

export const RUN_SETTINGS: Record<keyof IrRun, RunSettingEntry> = {
  batch: { doc: "examples per batch", default: 64, min: 1 },
  steps: { doc: "iterations of the schedule", default: 1000, min: 1 },
  seed: { doc: "the seed every weight, draw and batch derives from", default: 1, min: 0 },
  log_every: { doc: "iterations between lines of `metrics.jsonl`", default: 50, min: 1 },
  sample_every: { doc: "iterations between sample grids (0: only at the end)", default: 250, min: 0 },
  checkpoint_every: { doc: "iterations between checkpoints (0: only at the end)", default: 500, min: 0 },
  keep_checkpoints: { doc: "checkpoints kept: the newest N and the best by evaluation (0: all)", default: 3, min: 0 },
  eval_every: { doc: "iterations between evaluations during training (0: none)", default: 0, min: 0 },
  samples: { doc: "images in the sample grid", default: 64, min: 1 },
};

export const RUN_DEFAULTS: IrRun = Object.fromEntries(Object.entries(RUN_SETTINGS).map(([k, s]) => [k, s.default])) as unknown as IrRun;
