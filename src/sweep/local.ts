// The embedded pool: the sweep's unfinished runs on this machine, K processes at a time, no
// server. SIGINT or SIGTERM stops every run at its next step with a checkpoint (a second signal
// stops them at once); the same command then resumes.
import * as path from "node:path";
import type { RunJob } from "./execute.js";
import { checkpointStep, setAsideOlderRun } from "./execute.js";
import { launchRun, type Launched } from "./launch.js";
import type { SweepProgress } from "./progress.js";
import { recordOutcome, recordStart, writeSweep, type RunRecord, type SweepFile } from "./state.js";
import { onStopSignals, type Stop } from "./signals.js";

export interface PoolOptions {
  jobs: number;
  jobFor: (r: RunRecord) => RunJob;
  progress: SweepProgress;
}

/** The paths of a run under a root: <root>/runs/<id> and its log <root>/logs/<id>.log. */
export function runPaths(root: string, id: string): { runDir: string; log: string } {
  return { runDir: path.join(root, "runs", id), log: path.join(root, "logs", `${id}.log`) };
}

/** Seed by seed (every variant's first seed, then the second...), so a sweep stopped early is balanced. */
export function inSeedOrder(runs: RunRecord[], seeds: readonly number[]): RunRecord[] {
  return [...runs].sort((a, b) => seeds.indexOf(a.seed) - seeds.indexOf(b.seed));
}

/** Runs every run not done; resolves with the signal that stopped it, or null when all ended. */
export async function runLocal(dir: string, s: SweepFile, o: PoolOptions): Promise<Stop | null> {
  const root = path.resolve(dir);
  const todo = inSeedOrder(s.runs.filter((r) => r.state !== "done"), s.grid.seeds);
  const active = new Set<Launched>();
  const stop = onStopSignals(
    (sig) => {
      o.progress.event(`${sig}: stopping ${active.size} run(s) at their next step with a checkpoint (again to stop at once)`);
      for (const l of active) l.interrupt();
    },
    () => {
      for (const l of active) l.kill();
    },
  );
  try {
    await new Promise<void>((resolve) => {
      const next = () => {
        while (stop.signal === null && active.size < o.jobs && todo.length > 0) start(todo.shift()!);
        o.progress.status(s);
        if (active.size === 0) resolve();
      };
      const start = (r: RunRecord) => {
        const { runDir, log } = runPaths(root, r.id);
        // Here too (the run process does it as well), so that "from its checkpoint" is said only of one it resumes.
        setAsideOlderRun(runDir, { out: (m) => o.progress.event(m), err: (m) => o.progress.event(m) });
        const from = checkpointStep(runDir);
        recordStart(r);
        writeSweep(dir, s);
        const launched = launchRun({ job: o.jobFor(r), runDir, specFile: r.spec }, log, (step, total) => {
          o.progress.steps.set(r.id, { step, total });
          o.progress.status(s);
        });
        active.add(launched);
        o.progress.event(`started ${r.id}${from > 0 ? ` (from its checkpoint at step ${from})` : ""}`);
        void launched.outcome.then((outcome) => {
          active.delete(launched);
          recordOutcome(dir, r, outcome);
          writeSweep(dir, s);
          o.progress.outcome(r);
          next();
        });
      };
      next();
    });
  } finally {
    stop.dispose();
  }
  return stop.signal;
}
