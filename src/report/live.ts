// The report `ganc run` keeps current in RUN_DIR/report.html: rewritten (atomically) when a
// metrics line is logged, at most every `minSeconds`, so that a fast run does not spend its time
// writing HTML; written once more, final, when training ends.
import * as path from "node:path";
import { writeReport } from "./index.js";

export interface LiveReport {
  file: string;
  /** The report before the first step; it does not hold back the first logged step's. */
  begin(): void;
  /** For train()'s onLog. */
  update(): void;
  /** The final report (no reloading). */
  finish(): void;
}

export function liveReport(runDir: string, o: { minSeconds?: number; warn?: (message: string) => void } = {}): LiveReport {
  const file = path.join(runDir, "report.html");
  const minMs = (o.minSeconds ?? 2) * 1000;
  let last = -Infinity;
  let failed = false;
  const write = (live: boolean) => {
    if (failed) return;
    try {
      writeReport([runDir], file, { live });
    } catch (e) {
      // A report that cannot be written must not stop training: say so once.
      failed = true;
      o.warn?.(`cannot write the live report ${file}: ${(e as Error).message}; training goes on`);
    }
  };
  return {
    file,
    begin: () => write(true),
    update() {
      const now = Date.now();
      if (now - last < minMs) return;
      last = now;
      write(true);
    },
    finish: () => write(false),
  };
}
