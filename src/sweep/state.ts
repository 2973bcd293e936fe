// DIR/sweep.json: the grid and every run's state, written atomically after each change by the
// one process that drives the sweep (workers report through the queue, never to this file).
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { expand, variantsOf, type Grid, type PlannedRun, type Variant } from "./grid.js";

export type RunState = "pending" | "running" | "done" | "failed";

/** What a finished run reports (from its worker process, possibly through the queue). */
export interface RunResult {
  /** The run folder, absolute, on `host`. */
  dir: string;
  host: string;
  /** Steps trained. */
  step: number;
  /** The checkpoint step this attempt resumed from; null when it started afresh or only evaluated. */
  resumed_from: number | null;
  /** The last logged training values (losses, monitors, state). */
  losses: Record<string, number>;
  /** The scalar metrics of eval.json. */
  eval: Record<string, number>;
  /** eval.json's `kind`: toy2d, mnist or translation. */
  eval_kind: string;
  /** The final sample grid (absolute, on `host`), when the spec writes one. */
  sample: string | null;
  /** Wall time of this attempt. */
  seconds: number;
}

/** How an attempt at a run ended. Interrupted runs keep their checkpoints and stay pending. */
export type Outcome = { kind: "done"; result: RunResult } | { kind: "interrupted" } | { kind: "failed"; error: string };

export interface RunRecord extends PlannedRun {
  steps: number;
  state: RunState;
  /** Times a worker process started this run. */
  attempts: number;
  /** Last error, when failed. */
  error?: string;
  started?: string;
  finished?: string;
  /** The run folder relative to the sweep folder when it lies inside it; absolute (on `result.host`) otherwise. */
  dir?: string;
  result?: RunResult;
}

export interface SweepFile {
  format: "ganc-sweep/1";
  /** Digest of the grid and the spec texts, and of the sweep folder: names the sweep's queue jobs. */
  id: string;
  created: string;
  updated: string;
  grid: Grid;
  variants: Variant[];
  runs: RunRecord[];
}

export const SWEEP_FILE = "sweep.json";

export function sweepId(dir: string, digest: string): string {
  return createHash("sha256").update(`${path.resolve(dir)}\n${digest}`).digest("hex").slice(0, 16);
}

export class SweepFileError extends Error {}

/** Reads DIR/sweep.json; a SweepFileError says why it cannot. */
export function readSweep(dir: string): SweepFile {
  const file = path.join(dir, SWEEP_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new SweepFileError(`\`${dir}\` holds no ${SWEEP_FILE} (is it a folder written by \`ganc sweep\`?)`);
  }
  let s: SweepFile;
  try {
    s = JSON.parse(text) as SweepFile;
  } catch (e) {
    throw new SweepFileError(`${file} is not valid JSON (${(e as Error).message})`);
  }
  if (s.format !== "ganc-sweep/1" || !Array.isArray(s.runs)) throw new SweepFileError(`${file} is not a ganc sweep file (format ${JSON.stringify(s.format)})`);
  return s;
}

/** Writes DIR/sweep.json atomically: a synced temporary file renamed over the old one. */
export function writeSweep(dir: string, s: SweepFile): void {
  s.updated = new Date().toISOString();
  const file = path.join(dir, SWEEP_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, "w");
  try {
    fs.writeFileSync(fd, `${JSON.stringify(s, null, 2)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

/** What checking a variant's spec tells: its training steps and its data. */
export interface VariantFacts {
  steps: number;
  data: string;
}

/**
 * The sweep in `dir`: the one already there (the same grid and spec texts, or an error), or a
 * new one with every run pending. Runs left `running` by a sweep that died are pending again.
 */
export function openSweep(dir: string, id: string, grid: Grid, facts: (variant: string) => VariantFacts): SweepFile {
  const variants = variantsOf(grid).map((v) => ({ ...v, data: facts(v.key).data }));
  if (fs.existsSync(path.join(dir, SWEEP_FILE))) {
    const s = readSweep(dir);
    if (s.id !== id)
      throw new SweepFileError(`\`${dir}\` holds another sweep (its grid or its specs' texts differ from this command's); give another --out, or the command that started it`);
    for (const r of s.runs) if (r.state === "running") r.state = "pending";
    return { ...s, variants };
  }
  const now = new Date().toISOString();
  const runs = expand(grid).map((r) => ({ ...r, steps: facts(r.variant).steps, state: "pending" as const, attempts: 0 }));
  return { format: "ganc-sweep/1", id, created: now, updated: now, grid, variants, runs };
}

/** A run folder as recorded: relative to the sweep folder when inside it. */
export function recordedDir(sweepDir: string, runDir: string): string {
  const rel = path.relative(path.resolve(sweepDir), runDir);
  return rel.startsWith("..") || path.isAbsolute(rel) ? runDir : rel;
}

export function counts(s: SweepFile): Record<RunState, number> {
  const c = { pending: 0, running: 0, done: 0, failed: 0 };
  for (const r of s.runs) c[r.state]++;
  return c;
}

/**
 * Takes DIR/sweep.lock for this process, so that two sweeps never drive the same runs; a lock
 * left by a process that is gone is taken over. Returns the release function.
 */
export function lockSweep(dir: string): () => void {
  const lock = path.join(dir, "sweep.lock");
  for (;;) {
    try {
      fs.writeFileSync(lock, `${process.pid}\n`, { flag: "wx" });
      return () => fs.rmSync(lock, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    const pid = Number(fs.readFileSync(lock, "utf8").trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) throw new SweepFileError(`another ganc sweep (process ${pid}) is running the sweep in \`${dir}\``);
    fs.rmSync(lock, { force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Records how an attempt ended (the caller writes the file). */
export function recordOutcome(sweepDir: string, r: RunRecord, o: Outcome): void {
  if (o.kind === "interrupted") {
    r.state = "pending";
    return;
  }
  r.finished = new Date().toISOString();
  if (o.kind === "failed") {
    r.state = "failed";
    r.error = o.error;
    return;
  }
  r.state = "done";
  r.result = o.result;
  r.dir = recordedDir(sweepDir, o.result.dir);
  delete r.error;
}

/** Records that a worker process started the run. */
export function recordStart(r: RunRecord): void {
  r.state = "running";
  r.attempts++;
  r.started = new Date().toISOString();
}
