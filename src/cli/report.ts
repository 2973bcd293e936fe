// `ganc report RUN_DIR... [-o FILE]`: one self-contained HTML report of one run or several, or
// `ganc report SWEEP_DIR`: of a sweep's variants and runs (see src/report).
import * as fs from "node:fs";
import * as path from "node:path";
import { isSweepDir, writeReport, writeSweepReport } from "../report/index.js";
import { SweepFileError } from "../sweep/state.js";
import { EXIT, UsageError, type Io } from "./io.js";

export function reportCommand(io: Io, runDirs: string[], o: { out?: string }): number {
  const sweep = runDirs.length === 1 && isSweepDir(runDirs[0]!);
  for (const d of sweep ? [] : runDirs) {
    if (!fs.existsSync(path.join(d, "metrics.jsonl")) && !fs.existsSync(path.join(d, "ir.json")))
      throw new UsageError(`cannot report on \`${d}\`: it holds no metrics.jsonl or ir.json (is it a ganc run folder?)`);
  }
  const file = o.out ?? (runDirs.length === 1 ? path.join(runDirs[0]!, "report.html") : "report.html");
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw new UsageError(`cannot write the report to \`${file}\`: it is a folder`);
  let data: ReturnType<typeof writeReport>;
  try {
    data = sweep ? writeSweepReport(runDirs[0]!, file) : writeReport(runDirs, file);
  } catch (e) {
    if (e instanceof SweepFileError) throw new UsageError(`cannot report on the sweep: ${e.message}`);
    if ((e as NodeJS.ErrnoException).code) throw new UsageError(`cannot write the report to \`${file}\`: ${(e as Error).message}`);
    throw e;
  }
  const size = fs.statSync(file).size;
  const what = data.sweep ? `the sweep's ${data.sweep.variants.length} variants, ${data.runs.length} runs` : data.runs.map((r) => r.label).join(", ");
  io.out(`report of ${what}: ${file} (${(size / 1e6).toFixed(2)} MB)`);
  return EXIT.ok;
}
