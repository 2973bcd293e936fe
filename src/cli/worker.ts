// `ganc worker --queue redis://HOST:PORT [--jobs K] [--dir DIR] [--stalled-after S]`: takes the
// runs of `ganc sweep --queue` sweeps from the queue until stopped (SIGINT/SIGTERM: the runs
// checkpoint and go back to the queue).
import { QueueError } from "../sweep/queue.js";
import { runWorker, type WorkerOptions } from "../sweep/worker.js";
import { UsageError, type Io } from "./io.js";

export async function workerCommand(io: Io, o: WorkerOptions): Promise<number> {
  if (!Number.isInteger(o.jobs) || o.jobs < 1) throw new UsageError(`--jobs expects a whole number of at least 1, found ${o.jobs}`);
  if (!(o.stalledAfter >= 1)) throw new UsageError(`--stalled-after expects at least 1 second, found ${o.stalledAfter}`);
  try {
    return await runWorker(io, o);
  } catch (e) {
    if (e instanceof QueueError) throw new UsageError(e.message);
    throw e;
  }
}
