// `ganc compare SWEEP_DIR [--format text|json]`: per variant, the mean, standard deviation and
// 95% interval over seeds of every evaluation metric, and the significant differences between
// variants. The JSON is the data an HTML report of the sweep is drawn from.
import { compareSweep, formatComparison } from "../sweep/compare.js";
import { SweepFileError, readSweep } from "../sweep/state.js";
import { EXIT, UsageError, type Io } from "./io.js";

export function compareCommand(io: Io, dir: string, format: "text" | "json"): number {
  let comparison;
  try {
    comparison = compareSweep(readSweep(dir), dir);
  } catch (e) {
    if (e instanceof SweepFileError) throw new UsageError(`cannot compare: ${e.message}`);
    throw e;
  }
  io.out(format === "json" ? JSON.stringify(comparison, null, 2) : formatComparison(comparison));
  if (comparison.sweep.done > 0) return EXIT.ok;
  io.err(`ganc: no run of ${dir} has finished yet`);
  return EXIT.problems;
}
