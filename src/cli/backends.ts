// `ganc backends`: each TensorFlow.js backend, whether it loads and computes correctly here, the
// device it runs on, and what to install when it is missing; then what `--backend auto` picks.
import * as rt from "../runtime/index.js";
import { EXIT, type Io } from "./io.js";

const MARK: Record<rt.BackendReport["status"], string> = { ok: "ok", software: "ok (software)", missing: "missing", failed: "FAILED" };

export async function backendsCommand(io: Io): Promise<number> {
  const { reports, auto } = await rt.inspectBackends();
  const width = Math.max(...reports.map((r) => r.name.length));
  const lines: string[] = [];
  for (const r of reports) {
    lines.push(`${r.name.padEnd(width)}  ${MARK[r.status]}: ${r.detail}`);
    for (const i of r.install) lines.push(`${" ".repeat(width)}    install: ${i}`);
  }
  lines.push(`--backend auto uses: ${auto}`);
  io.out(lines.join("\n"));
  return EXIT.ok;
}
