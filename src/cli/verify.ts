// `ganc backends --verify BACKEND [SPEC...]`: does a backend compute ganc's specs as the cpu
// backend does? Each spec, shrunk to a tiny model (shrink.ts) and compiled once, trains for 2 steps
// on the backend and on cpu from the same seed (the same initial weights, data and noise: all drawn
// on the host), and every logged loss, monitor and state is compared (relative difference).
import * as fs from "node:fs";
import os from "node:os";
import * as path from "node:path";
import { checkFile } from "../check/check.js";
import * as rt from "../runtime/index.js";
import { moduleFor } from "./build.js";
import { EXIT, UsageError, type Io } from "./io.js";
import { loadProgram } from "./run.js";
import { tinySets } from "./shrink.js";

/** float32 on both sides, summed in different orders (measured: below 2e-5 for every spec, README). */
export const VERIFY_TOLERANCE = 1e-4;

/** |a − b| / max(|a|, |b|); below `floor` in magnitude, relative to `floor` (values near zero carry no relative precision). */
export function relativeDiff(a: number, b: number, floor = 1e-3): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), floor);
}

export interface SpecComparison {
  spec: string;
  /** The run folders: the backend's and cpu's. */
  runs: { backend: string; cpu: string };
  /** The largest relative difference over every logged value and step, and where. */
  maxDiff: number;
  worst: { key: string; step: number; backend: number; cpu: number } | null;
}

type Line = Record<string, number>;

function metrics(runDir: string): Line[] {
  return fs
    .readFileSync(path.join(runDir, "metrics.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => {
      const { steps_per_sec: _, ...values } = JSON.parse(l) as Line;
      return values;
    });
}

/** Trains `spec` (tiny) for `steps` steps on `backend` and on cpu in folders under `dir`, and compares the logged values. */
export async function compareWithCpu(spec: string, backend: Exclude<rt.BackendName, "auto">, dir: string, steps = 2): Promise<SpecComparison> {
  const overrides = Object.fromEntries(tinySets(spec).map((s) => [s.slice(0, s.indexOf("=")), s.slice(s.indexOf("=") + 1)]));
  const checked = checkFile(spec, { overrides });
  if (!checked.ir) throw new UsageError(`${spec} does not check clean`);
  const program = loadProgram(await moduleFor(checked.ir));
  const name = path.basename(spec, ".gan");
  const runs = { backend: path.join(dir, `${name}-${backend}`), cpu: path.join(dir, `${name}-cpu`) };
  for (const [b, runDir] of [[backend, runs.backend], ["cpu", runs.cpu]] as const) {
    const options = { steps, seed: 5, backend: b, runDir, logEvery: 1, sampleEvery: 0, checkpointEvery: 0, progress: { write: () => true }, handleSignals: false };
    await rt.train(rt.trainerOf(program, path.dirname(path.resolve(spec))), options);
  }
  const [a, c] = [metrics(runs.backend), metrics(runs.cpu)];
  let maxDiff = a.length === c.length ? 0 : Infinity;
  let worst: SpecComparison["worst"] = null;
  c.forEach((line, i) => {
    for (const [key, v] of Object.entries(line)) {
      const mine = a[i]?.[key];
      const d = mine === undefined ? Infinity : relativeDiff(mine, v);
      if (worst === null || d > maxDiff) {
        maxDiff = Math.max(maxDiff, d);
        worst = { key, step: line.step!, backend: mine ?? NaN, cpu: v };
      }
    }
  });
  return { spec, runs, maxDiff, worst };
}

/** Compares every spec given (default: specs/*.gan) and prints one line each; exit 1 when one differs beyond the tolerance. */
export async function verifyCommand(io: Io, backend: string, specs: string[], tolerance = VERIFY_TOLERANCE): Promise<number> {
  if (!rt.BACKEND_NAMES.includes(backend as rt.BackendName) || backend === "auto" || backend === "cpu") {
    throw new UsageError(`--verify compares a backend with cpu: one of ${rt.BACKEND_NAMES.filter((b) => b !== "auto" && b !== "cpu").join(", ")}, not \`${backend}\``);
  }
  const files = specs.length ? specs : fs.existsSync("specs") ? fs.readdirSync("specs").filter((f) => f.endsWith(".gan")).sort().map((f) => path.join("specs", f)) : [];
  if (files.length === 0) throw new UsageError("no specs to verify: name them, or run in a folder with specs/*.gan");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ganc-verify-"));
  let failed = 0;
  try {
    await rt.useBackend(backend as rt.BackendName);
    io.out(`${backend} (${rt.backendInUse().device}) against cpu, each spec tiny for 2 steps; tolerance ${tolerance} (relative)\n`);
    const width = Math.max(...files.map((f) => path.basename(f, ".gan").length));
    for (const spec of files) {
      const name = path.basename(spec, ".gan").padEnd(width);
      let c: SpecComparison;
      try {
        c = await compareWithCpu(spec, backend as Exclude<rt.BackendName, "auto">, dir);
      } catch (e) {
        // A spec that fails to train on either backend is a failed verification: say why, go on with the next.
        failed++;
        io.out(`${name}  FAILED  ${String((e as Error).message ?? e).split("\n")[0]}\n`);
        continue;
      }
      const ok = c.maxDiff <= tolerance;
      if (!ok) failed++;
      const where = c.worst ? ` (${c.worst.key} at step ${c.worst.step}: ${c.worst.backend} vs ${c.worst.cpu})` : "";
      io.out(`${name}  ${ok ? "ok" : "DIFFERS"}  max relative difference ${c.maxDiff.toExponential(2)}${ok ? "" : where}\n`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  io.out(failed ? `${failed} of ${files.length} specs failed or differ beyond ${tolerance}\n` : `all ${files.length} specs agree within ${tolerance}\n`);
  return failed ? EXIT.problems : EXIT.ok;
}
