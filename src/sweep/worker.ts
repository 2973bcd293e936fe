// `ganc worker`: takes sweep jobs from the queue, runs each in its own process (launch.ts) and
// returns its result through the queue. The run folder is the sweep's own when this machine
// sees the sweep folder (a shared file system), else under the worker's --dir. While a run
// trains, this process only renews the job's lock; when the lock lapses (the worker was killed,
// the machine lost) BullMQ's stalled-job check hands the job to another worker, which resumes
// from the last checkpoint in a shared folder and starts afresh otherwise.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Worker, WaitingError, type Job } from "bullmq";
import type { Io } from "../cli/io.js";
import { checkpointStep, type RunJob } from "./execute.js";
import { launchRun, type Launched } from "./launch.js";
import { runPaths } from "./local.js";
import { formatValues } from "./progress.js";
import { QUEUE_NAME, connected, redisConnection } from "./queue.js";
import { exitCodeOf, onStopSignals } from "./signals.js";
import { readSweep, type RunResult } from "./state.js";

export interface WorkerOptions {
  url: string;
  /** Runs at a time. */
  jobs: number;
  /** Where run folders go when the sweep folder is not visible here. */
  dir: string;
  /** A job whose lock has not been renewed for this long is handed to another worker. */
  stalledAfter: number;
}

/** The sweep folder when this machine sees it (the same sweep.json), else null. */
function sharedRoot(job: RunJob): string | null {
  try {
    return readSweep(job.sweepDir).id === job.sweepId ? job.sweepDir : null;
  } catch {
    return null;
  }
}

/** The spec file here: the sweep's own when it holds the same texts, else a copy of the texts under `root`. */
function specHere(job: RunJob, root: string): string {
  const dir = path.dirname(job.run.spec);
  const same = Object.entries(job.sources).every(([name, text]) => {
    try {
      return fs.readFileSync(path.join(dir, name), "utf8") === text;
    } catch {
      return false;
    }
  });
  if (same) return job.run.spec;
  const copy = path.join(root, "specs", createHash("sha256").update(JSON.stringify(job.sources)).digest("hex").slice(0, 12));
  fs.mkdirSync(copy, { recursive: true });
  for (const [name, text] of Object.entries(job.sources)) fs.writeFileSync(path.join(copy, name), text);
  return path.join(copy, path.basename(job.run.spec));
}

export async function runWorker(io: Io, o: WorkerOptions): Promise<number> {
  const active = new Set<Launched>();
  const name = `${os.hostname()}:${process.pid}`;
  const work = async (job: Job<RunJob, RunResult>, token?: string): Promise<RunResult> => {
    const data = job.data;
    const root = sharedRoot(data) ?? path.join(path.resolve(o.dir), data.sweepId);
    const { runDir, log } = runPaths(root, data.run.id);
    const from = checkpointStep(runDir);
    io.out(`${name} took ${data.run.id} (sweep ${data.sweepId}) in ${runDir}${from > 0 ? `, from its checkpoint at step ${from}` : ""}`);
    const launched = launchRun({ job: data, runDir, specFile: specHere(data, root) }, log, (step, total) => {
      job.updateProgress({ step, total }).catch(() => undefined);
    });
    active.add(launched);
    const outcome = await launched.outcome.finally(() => active.delete(launched));
    if (outcome.kind === "done") {
      io.out(`${name} finished ${data.run.id}: ${formatValues(outcome.result.eval)}`);
      return outcome.result;
    }
    if (outcome.kind === "interrupted") {
      // Checkpointed: back to the queue for whichever worker comes next.
      io.out(`${name} stopped ${data.run.id}; it goes back to the queue`);
      await job.moveToWait(token);
      throw new WaitingError();
    }
    io.out(`${name} failed ${data.run.id}: ${outcome.error}`);
    throw new Error(outcome.error);
  };
  const lock = o.stalledAfter * 1000;
  const worker = new Worker<RunJob, RunResult>(QUEUE_NAME, work, {
    connection: redisConnection(o.url),
    autorun: false,
    concurrency: o.jobs,
    lockDuration: lock,
    stalledInterval: lock,
    // A run may outlive a few lost workers before it counts as failed.
    maxStalledCount: 3,
  });
  try {
    await connected(worker, o.url, (t) => io.err(t));
  } catch (e) {
    await worker.close(true);
    throw e;
  }
  io.err(`worker ${name} on ${o.url}: ${o.jobs} run(s) at a time; run folders in the sweep's folder when this machine sees it, else under ${path.resolve(o.dir)}`);
  const stop = onStopSignals(
    (sig) => {
      io.err(`${sig}: stopping ${active.size} run(s) at their next step with a checkpoint; their jobs go back to the queue`);
      for (const l of active) l.interrupt();
      void worker.close();
    },
    () => {
      for (const l of active) l.kill();
    },
  );
  try {
    await worker.run();
  } finally {
    stop.dispose();
  }
  return stop.signal === null ? 0 : exitCodeOf(stop.signal);
}
