// `ganc export RUN_DIR [-o DIR]`: the run's generator as a static web folder (see src/export).
import * as fs from "node:fs";
import * as path from "node:path";
import * as rt from "../runtime/index.js";
import { exportGenerator } from "../export/index.js";
import { EXIT, UsageError, type Io } from "./io.js";
import { readRun, restoreRun } from "./run.js";

export interface ExportOptions {
  out?: string;
  checkpoint?: number;
  backend: rt.BackendName;
}

export async function exportCommand(io: Io, runDir: string, o: ExportOptions): Promise<number> {
  const saved = readRun(runDir, "export");
  const out = o.out ?? path.join(runDir, "export");
  if (fs.existsSync(out) && !fs.statSync(out).isDirectory()) throw new UsageError(`cannot export to \`${out}\`: it is a file`);
  await rt.useBackend(o.backend);
  const restored = await restoreRun(io, saved, runDir, o.checkpoint);
  try {
    const result = await exportGenerator({ ir: saved.ir, texts: saved.texts, model: restored.model, step: restored.meta.step }, out);
    if (!result) throw new UsageError(`\`${saved.ir.name}\` has no generator applied to latents or data to export`);
    const bytes = result.files.reduce((n, f) => n + fs.statSync(path.join(out, f)).size, 0);
    io.out(
      `exported ${result.info.network} of ${saved.ir.name} (step ${result.info.step}${result.info.ema ? ", moving-average weights" : ""}) to ${out}: ${result.files.length} files, ${(bytes / 1e6).toFixed(2)} MB\n` +
        `serve the folder (e.g. \`npx http-server ${out}\` or \`python3 -m http.server -d ${out}\`) and open index.html; from Node: import { load, sample } from "${path.resolve(out, "generator.js")}"`,
    );
    return EXIT.ok;
  } finally {
    restored.dispose();
  }
}
