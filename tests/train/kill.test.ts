// Fault injection: a real `ganc run` child process is killed with SIGKILL (as `kill -9`) at
// moments drawn from a fixed seed among its file operations on checkpoints and metrics.jsonl
// (kill-hook.cjs: mid-write, before an fsync, between the writes and the rename, while
// old checkpoints are removed...), resumed, killed again, and finally run to the end. Its
// logged losses must equal those of an uninterrupted run of the same seed, exactly, on cpu and
// on wasm: the checkpoints that survive a kill are whole, and resuming from them is exact.
import * as fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Prng } from "../../src/runtime/rng.js";
import { startGanc } from "../helpers/child.js";
import { ganc, readMetrics, tempDir, values } from "./helpers.js";

const tmp = tempDir("kill");
afterAll(tmp.cleanup);

const STEPS = 12;
const SETS = ["width=8", "batch=8", "log_every=1", "checkpoint_every=1", "sample_every=100000", "samples=16"].flatMap((s) => ["--set", s]);
/** A step makes 18 to 22 watched operations; the first checkpoint is complete after the 18th. */
const FIRST_KILL: [number, number] = [19, 55];
const LATER_KILL: [number, number] = [1, 45];

/** The uninterrupted runs, in-process (one backend at a time: the backend is process-wide). */
beforeAll(async () => {
  for (const backend of ["cpu", "wasm"]) {
    const r = await ganc("run", "specs/ring_gan.gan", "--steps", String(STEPS), "--seed", "5", "--backend", backend, "--out", path.join(tmp.dir, `${backend}-full`), ...SETS);
    expect(r.code, r.err).toBe(0);
  }
});

// The two backends' child processes run side by side.
describe.concurrent("kill -9 during checkpoint writes, then resume: the losses of an uninterrupted run", () => {
  for (const [backend, seed, kills] of [["cpu", 1, 2], ["wasm", 2, 2]] as const) {
    it(`${backend}: ${kills} kills at seeded moments`, async () => {
      const full = path.join(tmp.dir, `${backend}-full`);
      const out = path.join(tmp.dir, `${backend}-killed`);
      const log = path.join(tmp.dir, `${backend}-kills.log`);
      const rng = new Prng(seed);
      const draw = ([lo, hi]: [number, number]) => lo + rng.nextInt(hi - lo + 1);
      for (let k = 0; k < kills; k++) {
        const args = k === 0 ? ["run", "specs/ring_gan.gan", "--steps", String(STEPS), "--seed", "5", "--out", out, ...SETS] : ["run", "--resume", out, "--steps", String(STEPS)];
        const at = draw(k === 0 ? FIRST_KILL : LATER_KILL);
        const killed = await startGanc([...args, "--backend", backend], { nodeArgs: ["--require", "./tests/train/kill-hook.cjs"], env: { GANC_KILL_AT: String(at), GANC_KILL_LOG: log } }).exited;
        expect(killed.signal, `kill ${k + 1} at operation ${at}: ${killed.err}`).toBe("SIGKILL");
      }
      const last = await startGanc(["run", "--resume", out, "--steps", String(STEPS), "--backend", backend]).exited;
      const where = fs.readFileSync(log, "utf8");
      expect(last.code, `${last.err}\nkilled at:\n${where}`).toBe(0);
      expect(where.trim().split("\n").length).toBe(kills);
      // at least one kill landed inside a checkpoint's writing (in its temporary folder, on an open file)
      expect(where).toMatch(/\.tmp-step-|^(writeSync|fsyncSync|closeSync) fd/m);
      expect(readMetrics(out).map(values)).toEqual(readMetrics(full).map(values));
      expect(readMetrics(out).map((m) => m.step)).toEqual(Array.from({ length: STEPS }, (_, i) => i + 1));
      // the final checkpoints are the uninterrupted run's, byte for byte; no partial folder is left
      const weights = (dir: string) => fs.readFileSync(path.join(dir, "checkpoints", `step-0000${STEPS}`, "weights.bin"));
      expect(weights(out).equals(weights(full))).toBe(true);
      expect(fs.readdirSync(path.join(out, "checkpoints")).sort()).toEqual(["step-000010", "step-000011", "step-000012"]);
    });
  }
});
