// One run of a sweep, as a worker process does it: train (afresh, or resumed from the run
// folder's latest checkpoint) with `ganc run`, evaluate with `ganc eval`, and read back what the
// sweep records. Each step is skipped when the folder shows it done, so an attempt after an
// interruption (or on another worker sharing the folder) does only what is left.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as rt from "../runtime/index.js";
import { evalCommand } from "../cli/eval.js";
import { EXIT, type Io } from "../cli/io.js";
import { runCommand } from "../cli/run.js";
import { IR_VERSION } from "../ir/types.js";
import type { PlannedRun } from "./grid.js";
import type { Outcome } from "./state.js";

/** What a worker needs to do one run; travels through the queue, so it holds the spec texts too. */
export interface RunJob {
  /** The sweep's id and folder (absolute, on the machine that drives the sweep). */
  sweepId: string;
  sweepDir: string;
  run: PlannedRun & { steps: number };
  /** The spec file and the files it extends, by file name. */
  sources: Record<string, string>;
  backend: rt.BackendName;
}

const STEP = /step-(\d+)$/;

/** Steps completed by the run folder's latest checkpoint (0 without one). */
export function checkpointStep(runDir: string): number {
  const dir = rt.latestCheckpoint(runDir);
  return dir === null ? 0 : Number(STEP.exec(dir)![1]);
}

function readJson(file: string): Record<string, unknown> | null {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** The values of the last training line of metrics.jsonl (losses, monitors, state), without bookkeeping. */
function lastLosses(runDir: string): Record<string, number> {
  const lines = fs.readFileSync(path.join(runDir, "metrics.jsonl"), "utf8").trim().split("\n");
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = JSON.parse(lines[i]!) as Record<string, unknown>;
    if (!("steps_per_sec" in line)) continue; // an evaluation line
    const { step: _s, steps_per_sec: _r, ...values } = line;
    return Object.fromEntries(Object.entries(values).filter((e): e is [string, number] => typeof e[1] === "number"));
  }
  return {};
}

function lastSample(runDir: string): string | null {
  const dir = path.join(runDir, "samples");
  const pngs = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /^step-\d+\.png$/.test(f)).sort() : [];
  return pngs.length > 0 ? path.join(dir, pngs[pngs.length - 1]!) : null;
}

/**
 * A run folder left by another version of ganc (another IR version) cannot be resumed: it is
 * renamed, not deleted (nothing trained is lost), and the run starts over.
 */
export function setAsideOlderRun(runDir: string, io: Io): void {
  const version = (readJson(path.join(runDir, "ir.json")) as { irVersion?: unknown } | null)?.irVersion;
  if (version === undefined || version === IR_VERSION) return;
  let aside = `${runDir}.ir${String(version)}`;
  for (let i = 2; fs.existsSync(aside); i++) aside = `${runDir}.ir${String(version)}-${i}`;
  fs.renameSync(runDir, aside);
  io.err(`${runDir} was made by another version of ganc (IR version ${String(version)}); it is kept as ${aside} and the run starts over`);
}

/**
 * Trains and evaluates `job` in `runDir` from `specFile` (the spec, or a copy of its texts).
 * `progress` receives the training display. Interrupting (SIGINT) checkpoints and returns
 * `interrupted`.
 */
export async function executeRun(job: RunJob, runDir: string, specFile: string, io: Io, progress: rt.ProgressStream): Promise<Outcome> {
  const began = performance.now();
  const { run } = job;
  const fail = (what: string, code: number): Outcome => ({ kind: "failed", error: `${what} exited with code ${code}` });
  setAsideOlderRun(runDir, io);
  let done = checkpointStep(runDir);
  let resumedFrom: number | null = null;
  if (done < run.steps) {
    let code: number;
    if (done === 0) {
      // Without a checkpoint there is nothing to resume: a previous attempt's folder starts over.
      fs.rmSync(runDir, { recursive: true, force: true });
      code = await runCommand(io, specFile, { steps: run.steps, seed: run.seed, set: run.settings, out: runDir, backend: job.backend, progress });
    } else {
      resumedFrom = done;
      code = await runCommand(io, undefined, { resume: runDir, steps: run.steps, set: {}, backend: job.backend, progress });
    }
    // A run stopped by a signal has written its checkpoint (exit 130/143): the run is interrupted, not failed.
    if (code === EXIT.SIGINT || code === EXIT.SIGTERM) return { kind: "interrupted" };
    if (code !== EXIT.ok) return fail("ganc run", code);
    done = checkpointStep(runDir);
    if (done < run.steps) return { kind: "interrupted" };
  }
  const evalFile = path.join(runDir, "eval.json");
  if (readJson(evalFile)?.step !== run.steps) {
    const code = await evalCommand(io, runDir, { backend: job.backend });
    if (code !== EXIT.ok) return fail("ganc eval", code);
  }
  const report = readJson(evalFile) as (rt.evaluation.EvalMetrics & Record<string, unknown>) | null;
  if (report === null) return { kind: "failed", error: `${evalFile} is missing or unreadable after evaluation` };
  return {
    kind: "done",
    result: {
      dir: path.resolve(runDir),
      host: os.hostname(),
      step: done,
      resumed_from: resumedFrom,
      losses: lastLosses(runDir),
      eval: rt.evaluation.scalarMetrics(report, ""),
      eval_kind: report.kind,
      sample: lastSample(runDir),
      seconds: Math.round((performance.now() - began) / 10) / 100,
    },
  };
}
