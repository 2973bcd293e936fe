// Distributing a sweep on BullMQ (Redis): `ganc sweep --queue` adds one job per unfinished run
// and collects what workers report; `ganc worker` (worker.ts) takes the jobs. Job ids are
// <sweep id>.<run id>, so re-running the same command finds its jobs instead of adding new ones.
import { Queue, type ConnectionOptions, type Job } from "bullmq";
import type { RunJob } from "./execute.js";
import { inSeedOrder } from "./local.js";
import type { SweepProgress } from "./progress.js";
import { onStopSignals, type Stop } from "./signals.js";
import { recordOutcome, writeSweep, type RunRecord, type RunResult, type SweepFile } from "./state.js";

export const QUEUE_NAME = "ganc-runs";

export const jobIdOf = (sweepId: string, runId: string) => `${sweepId}.${runId}`;

export class QueueError extends Error {}

/** Connection options from redis://[user[:password]@]host[:port][/db] (rediss:// for TLS). */
export function redisConnection(url: string): ConnectionOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new QueueError(`--queue expects redis://HOST:PORT, found \`${url}\``);
  }
  if (u.protocol !== "redis:" && u.protocol !== "rediss:") throw new QueueError(`--queue expects redis://HOST:PORT, found \`${url}\``);
  const db = u.pathname.replace(/^\//, "");
  if (db !== "" && !/^\d+$/.test(db)) throw new QueueError(`the database in \`${url}\` must be a number`);
  return {
    host: u.hostname || "127.0.0.1",
    port: u.port === "" ? 6379 : Number(u.port),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(db !== "" ? { db: Number(db) } : {}),
    ...(u.protocol === "rediss:" ? { tls: {} } : {}),
    // Workers block on Redis; BullMQ requires retrying such commands forever.
    maxRetriesPerRequest: null,
  };
}

/**
 * Waits until a Queue or Worker is connected; a QueueError after `seconds` without Redis. Later
 * connection errors (Redis restarting, a lost network) are reported once each through `report`
 * while the client reconnects by itself.
 */
export async function connected(
  client: { waitUntilReady(): Promise<unknown>; on(e: "error", f: (e: Error) => void): unknown },
  url: string,
  report: (text: string) => void,
  seconds = 10,
): Promise<void> {
  let last = "no answer";
  let ready = false;
  client.on("error", (e) => {
    if (ready && e.message !== last) report(`ganc: ${url}: ${e.message} (reconnecting)`);
    last = e.message;
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QueueError(`cannot reach Redis at ${url} (${last})`)), seconds * 1000);
  });
  try {
    await Promise.race([client.waitUntilReady(), timeout]);
    ready = true;
    last = "";
  } finally {
    clearTimeout(timer);
  }
}

/** Adds the run's job, or retries it when a previous attempt failed; a pending or finished job is left as it is. */
async function enqueue(queue: Queue<RunJob, RunResult>, sweepId: string, r: RunRecord, data: RunJob): Promise<void> {
  const jobId = jobIdOf(sweepId, r.id);
  const existing = await queue.getJob(jobId);
  if (!existing) await queue.add(r.id, data, { jobId, attempts: 1, removeOnComplete: false, removeOnFail: false });
  else if ((await existing.getState()) === "failed") await existing.retry("failed");
}

function stepsOf(job: Job): { step: number; total: number } | null {
  const p = job.progress as { step?: unknown; total?: unknown };
  return typeof p === "object" && typeof p.step === "number" && typeof p.total === "number" ? { step: p.step, total: p.total } : null;
}

export interface QueuedOptions {
  url: string;
  jobFor: (r: RunRecord) => RunJob;
  progress: SweepProgress;
  pollMs?: number;
}

/**
 * Queues every run not done and follows the jobs until each has completed or failed, recording
 * their results in sweep.json. A signal stops the waiting only: the workers go on, and the same
 * command collects their results later.
 */
export async function runQueued(dir: string, s: SweepFile, o: QueuedOptions): Promise<Stop | null> {
  const queue = new Queue<RunJob, RunResult>(QUEUE_NAME, { connection: redisConnection(o.url) });
  const stop = onStopSignals(
    (sig) => o.progress.event(`${sig}: no longer waiting; the workers go on, and the same command collects their results`),
    () => undefined,
  );
  try {
    await connected(queue, o.url, (t) => o.progress.event(t));
    const open = inSeedOrder(s.runs.filter((r) => r.state !== "done"), s.grid.seeds);
    for (const r of open) {
      await enqueue(queue, s.id, r, o.jobFor(r));
      r.state = "pending";
    }
    writeSweep(dir, s);
    o.progress.event(`${open.length} job(s) on ${o.url} (queue ${QUEUE_NAME}); each machine takes them with \`ganc worker --queue ${o.url}\``);
    while (stop.signal === null) {
      let changed = false;
      for (const r of open) {
        if (r.state === "done" || r.state === "failed") continue;
        const job = await queue.getJob(jobIdOf(s.id, r.id));
        if (!job) {
          await enqueue(queue, s.id, r, o.jobFor(r)); // removed from Redis meanwhile
          continue;
        }
        const state = await job.getState();
        if (state === "completed" || state === "failed") {
          recordOutcome(dir, r, state === "completed" ? { kind: "done", result: job.returnvalue } : { kind: "failed", error: job.failedReason });
          o.progress.outcome(r);
          changed = true;
          continue;
        }
        // A new attempt may start between two looks (a stalled job taken up again at once).
        const now = state === "active" ? "running" : "pending";
        if (now !== r.state || job.attemptsStarted !== r.attempts) {
          if (now === "running") {
            r.started = new Date().toISOString();
            o.progress.event(`started ${r.id} (attempt ${job.attemptsStarted})`);
          } else if (r.state === "running") o.progress.event(`${r.id} is back in the queue (its worker stopped); another worker takes it up`);
          r.state = now;
          r.attempts = job.attemptsStarted;
          changed = true;
        }
        const steps = now === "running" ? stepsOf(job) : null;
        if (steps) o.progress.steps.set(r.id, steps);
        else o.progress.steps.delete(r.id);
      }
      if (changed) writeSweep(dir, s);
      o.progress.status(s);
      if (open.every((r) => r.state === "done" || r.state === "failed")) break;
      await new Promise((resolve) => setTimeout(resolve, o.pollMs ?? 1000));
    }
  } finally {
    stop.dispose();
    await queue.close();
  }
  return stop.signal;
}
