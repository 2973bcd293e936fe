// The worker process of one run, forked by launch.ts: receives a ChildRequest over IPC, runs it
// with executeRun and sends back the Outcome (and training progress). It exits as soon as its
// parent is gone (a sweep or worker killed outright), so a run is never trained twice at once.
import { processIo } from "../cli/io.js";
import { executeRun, type RunJob } from "./execute.js";
import type { Outcome } from "./state.js";

export interface ChildRequest {
  job: RunJob;
  runDir: string;
  specFile: string;
}

export type ChildMessage = { kind: "step"; step: number; total: number } | Outcome;

const send = (m: ChildMessage) => new Promise<void>((resolve) => (process.connected ? process.send!(m, () => resolve()) : resolve()));

process.on("disconnect", () => process.exit(1));
process.once("message", (req: ChildRequest) => {
  const progress = {
    isTTY: false,
    write(s: string) {
      process.stderr.write(s);
      const m = /^step (\d+)\/(\d+)/.exec(s);
      if (m) void send({ kind: "step", step: Number(m[1]), total: Number(m[2]) });
      return true;
    },
  };
  executeRun(req.job, req.runDir, req.specFile, processIo, progress)
    .catch((e: unknown): Outcome => {
      // A user's mistake (RuntimeUserError, UsageError) is a message; anything else keeps its stack in the log.
      if (e instanceof Error && e.name !== "RuntimeUserError" && e.constructor.name !== "UsageError") process.stderr.write(`${e.stack}\n`);
      return { kind: "failed", error: e instanceof Error ? e.message : String(e) };
    })
    .then(send)
    .then(() => process.exit(0));
});
