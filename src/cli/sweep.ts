// `ganc sweep SPEC... [--seeds 1..5] [--set name=v1,v2]... [--steps N] [--jobs K] [--out DIR]
// [--queue redis://HOST:PORT]`: every spec × setting combination × seed as an ordinary run folder
// with its evaluation, in DIR/runs/, and DIR/sweep.json recording the grid and each run's
// state. Every variant is checked before anything runs. Re-running the same command resumes.
import * as fs from "node:fs";
import * as path from "node:path";
import type { BackendName } from "../runtime/index.js";
import { writeSweepReport } from "../report/index.js";
import { compareSweep, formatComparison } from "../sweep/compare.js";
import type { RunJob } from "../sweep/execute.js";
import { GridError, defaultSweepDir, gridDigest, parseAxes, parseSeeds, variantsOf, type Grid } from "../sweep/grid.js";
import { runLocal } from "../sweep/local.js";
import { SweepProgress } from "../sweep/progress.js";
import { QueueError, runQueued } from "../sweep/queue.js";
import { exitCodeOf } from "../sweep/signals.js";
import { SweepFileError, counts, lockSweep, openSweep, sweepId, writeSweep, type RunRecord, type SweepFile, type VariantFacts } from "../sweep/state.js";
import type { IrSpec } from "../ir/types.js";
import { specTexts } from "./build.js";
import { compile } from "./compile.js";
import { EXIT, UsageError, type Io } from "./io.js";

export interface SweepOptions {
  seeds: string;
  set: string[];
  steps?: number;
  jobs: number;
  out?: string;
  backend: BackendName;
  queue?: string;
}

/** "ring(modes=8, radius=1, std=0.01)": the data a variant trains on. */
const describeData = (ir: IrSpec) => ir.data.map((d) => `${d.source}(${Object.entries(d.args).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(", ")})`).join("; ");

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;

export async function sweepCommand(io: Io, specs: string[], o: SweepOptions): Promise<number> {
  try {
    return await sweep(io, specs, o);
  } catch (e) {
    // The sweep engine's own errors (a bad grid, another sweep's folder, no Redis) are usage errors.
    if (e instanceof GridError || e instanceof SweepFileError || e instanceof QueueError) throw new UsageError(e.message);
    throw e;
  }
}

async function sweep(io: Io, specs: string[], o: SweepOptions): Promise<number> {
  if (!Number.isInteger(o.jobs) || o.jobs < 1) throw new UsageError(`--jobs expects a whole number of at least 1, found ${o.jobs}`);
  if (o.steps !== undefined && o.steps < 1) throw new UsageError(`--steps expects a whole number of at least 1, found ${o.steps}`);
  const grid: Grid = { specs: specs.map((s) => path.resolve(s)), sets: parseAxes(o.set), seeds: parseSeeds(o.seeds), steps: o.steps ?? null, backend: o.backend };

  // Check every variant first: a typo in the tenth setting should not wait for nine trainings.
  const facts = new Map<string, VariantFacts>();
  const sources = new Map<string, Record<string, string>>();
  for (const v of variantsOf(grid)) {
    const ir = compile(io, v.spec, { ...v.settings, ...(o.steps !== undefined ? { steps: String(o.steps) } : {}) });
    if (!ir) {
      io.err(`ganc: variant \`${v.key}\` does not check; nothing was run`);
      return EXIT.problems;
    }
    facts.set(v.key, { steps: ir.run.steps, data: describeData(ir) });
    sources.set(v.spec, Object.fromEntries(Object.entries(specTexts(ir)).map(([f, text]) => [path.basename(f), text])));
  }
  const digest = gridDigest(grid, Object.fromEntries(sources));
  const dir = o.out ?? defaultSweepDir(grid, digest);
  const id = sweepId(dir, digest);
  const jobFor = (r: RunRecord): RunJob => ({
    sweepId: id,
    sweepDir: path.resolve(dir),
    run: { id: r.id, variant: r.variant, spec: r.spec, settings: r.settings, seed: r.seed, steps: r.steps },
    sources: sources.get(r.spec)!,
    backend: o.backend,
  });
  fs.mkdirSync(dir, { recursive: true });
  const unlock = lockSweep(dir);
  try {
    return await drive(io, dir, openSweep(dir, id, grid, (v) => facts.get(v)!), jobFor, o);
  } finally {
    unlock();
  }
}

/** Runs the sweep's unfinished runs here or on the queue, and prints the comparison at the end. */
async function drive(io: Io, dir: string, state: SweepFile, jobFor: (r: RunRecord) => RunJob, o: SweepOptions): Promise<number> {
  writeSweep(dir, state);
  const before = counts(state);
  const progress = new SweepProgress(io);
  progress.event(
    `sweep ${dir}: ${plural(state.runs.length, "run")} (${plural(state.variants.length, "variant")} × ${plural(state.grid.seeds.length, "seed")}), ${before.done} done, ${state.runs.length - before.done} to run` +
      (o.queue ? ` on the queue at ${o.queue}` : `, ${o.jobs} at a time`),
  );
  const stopped = o.queue ? await runQueued(dir, state, { url: o.queue, jobFor, progress }) : await runLocal(dir, state, { jobs: o.jobs, jobFor, progress });
  writeSweep(dir, state);
  if (stopped) {
    io.err(`ganc: sweep stopped; run the same command again to go on (${dir}/sweep.json)`);
    return exitCodeOf(stopped);
  }
  const after = counts(state);
  if (after.done > 0) {
    io.out(formatComparison(compareSweep(state, dir)));
    const report = path.join(dir, "report.html");
    try {
      writeSweepReport(dir, report);
      io.out(`report: ${report}`);
    } catch (e) {
      io.err(`ganc: could not write the sweep's report ${report}: ${(e as Error).message}`);
    }
  }
  if (after.failed > 0) {
    io.err(`ganc: ${after.failed} run(s) failed (their errors are in ${dir}/sweep.json, their logs in ${dir}/logs/); the same command retries them`);
    return EXIT.problems;
  }
  return EXIT.ok;
}
