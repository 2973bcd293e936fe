// Starting one run in its own process (child.ts), for the local pool and for `ganc worker`.
// The process's output goes to a log file; its Outcome comes back over IPC.
import { fork } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import type { ChildMessage, ChildRequest } from "./child.js";
import type { Outcome } from "./state.js";

/** The compiled child entry: dist/sweep/child.js, also when this module runs from src/ (tests). */
const CHILD = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../dist/sweep/child.js");

export interface Launched {
  readonly pid: number;
  /** Resolves when the process has exited. */
  readonly outcome: Promise<Outcome>;
  /** Asks the run to stop (SIGINT: it checkpoints and reports `interrupted`). */
  interrupt(): void;
  /** Stops it at once (SIGKILL); the run resumes from its last checkpoint. */
  kill(): void;
}

const TAIL = 2000;

export function launchRun(req: ChildRequest, logFile: string, onStep?: (step: number, total: number) => void): Launched {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const log = fs.createWriteStream(logFile, { flags: "a" });
  log.write(`--- ${new Date().toISOString()} ${req.job.run.id} in ${req.runDir}\n`);
  const child = fork(CHILD, [], { stdio: ["ignore", "pipe", "pipe", "ipc"], execArgv: [] });
  let tail = "";
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.on("data", (b: Buffer) => {
      log.write(b);
      tail = (tail + b.toString("utf8")).slice(-TAIL);
    });
  }
  let reported: Outcome | undefined;
  let killed = false; // by `kill()`: a second stop signal, not the run failing
  child.on("message", (m: ChildMessage) => {
    if (m.kind === "step") onStep?.(m.step, m.total);
    else reported = m;
  });
  const outcome = new Promise<Outcome>((resolve) => {
    const finish = (o: Outcome) => log.end(() => resolve(o));
    child.on("error", (e) => finish({ kind: "failed", error: `cannot start a run process: ${e.message}` }));
    child.on("exit", (code, signal) => {
      const lines = tail.trim().split("\n").slice(-8).join("\n");
      const details = `${lines ? `:\n${lines}` : ""}\n(log: ${logFile})`;
      if (reported) return finish(reported.kind === "failed" ? { kind: "failed", error: reported.error + details } : reported);
      // Stopped by a signal before it could report: what it had checkpointed is kept.
      if (signal === "SIGINT" || signal === "SIGTERM" || (killed && signal === "SIGKILL")) return finish({ kind: "interrupted" });
      finish({ kind: "failed", error: `the run process ${signal ? `was killed by ${signal}` : `exited with code ${code}`}${details}` });
    });
  });
  child.send(req);
  return {
    pid: child.pid ?? -1,
    outcome,
    interrupt: () => child.kill("SIGINT"),
    kill: () => {
      killed = true;
      child.kill("SIGKILL");
    },
  };
}
