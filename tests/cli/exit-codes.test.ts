// The exit codes of `ganc run`, from real child processes (bin/ganc.js, built into dist/): 0 for a
// finished run, 1 for a failed one, 2 for bad usage, and 130 / 143 for a run stopped by SIGINT /
// SIGTERM, which first finishes its step and writes a checkpoint the run resumes from.
import * as fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readCheckpoint } from "../../src/runtime/checkpoint-validate.js";
import { startGanc } from "../helpers/child.js";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ganc-exit-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** ring_gan at width 8, logging every step (so progress lines show it is training). */
const RING = ["--backend", "cpu", "--set", "width=8", "--set", "batch=8", "--set", "log_every=1", "--set", "sample_every=100000", "--set", "samples=16"];

describe("ganc run exit codes (child processes)", () => {
  it("1 failed (diverged), 2 usage, 130 SIGINT and 143 SIGTERM (each after finishing its step and writing a checkpoint), 0 for the resumed run finished", async () => {
    const diverging = path.join(tmp, "diverging.gan");
    fs.writeFileSync(diverging, fs.readFileSync("specs/ring_gan.gan", "utf8").replace("optimizer G = adam(lr = 1e-4", "optimizer G = adam(lr = 1e300")); // infinite in float32
    const stop = async (signal: NodeJS.Signals) => {
      const child = startGanc(["run", "specs/ring_gan.gan", "--steps", "100000", "--out", path.join(tmp, signal), ...RING]);
      await child.stderrIncludes("step 3/100000");
      child.process.kill(signal);
      return child.exited;
    };
    // side by side: each child spends most of its time starting
    const [failed, usage, sigint, sigterm] = await Promise.all([
      startGanc(["run", diverging, "--steps", "50", "--out", path.join(tmp, "diverged"), ...RING]).exited,
      startGanc(["run", "--steps", "3"]).exited,
      stop("SIGINT"),
      stop("SIGTERM"),
    ]);
    expect([failed.code, usage.code, sigint.code, sigterm.code]).toEqual([1, 2, 130, 143]);
    expect(failed.err).toMatch(/^ganc: training diverged at step 1: /m);
    expect(fs.existsSync(path.join(tmp, "diverged", "checkpoints"))).toBe(false); // nothing written from NaN
    expect(usage.err).toContain("ganc: `ganc run` needs a spec file, or --resume RUN_DIR");
    for (const [exited, signal] of [[sigint, "SIGINT"], [sigterm, "SIGTERM"]] as const) {
      const out = path.join(tmp, signal);
      expect(exited.err).toContain(`${signal}: finishing the step and writing a checkpoint`);
      const steps = fs.readFileSync(path.join(out, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l).step as number);
      const last = steps.at(-1)!;
      expect(last).toBeGreaterThanOrEqual(3);
      expect(exited.out).toMatch(new RegExp(`^interrupted by ${signal}: ring_gan for ${last} steps on cpu`));
      expect(readCheckpoint(path.join(out, "checkpoints", `step-${String(last).padStart(6, "0")}`)).file.step).toBe(last);
    }
    for (const r of [failed, usage, sigint, sigterm]) expect(r.err).not.toMatch(/^\s+at .+:\d+/m);
    // the interrupted run continues from where it stopped, and exits 0 when it is done
    const from = fs.readFileSync(path.join(tmp, "SIGTERM", "metrics.jsonl"), "utf8").trim().split("\n").length;
    const resumed = await startGanc(["run", "--resume", path.join(tmp, "SIGTERM"), "--steps", String(from + 3), "--backend", "cpu"]).exited;
    expect(resumed.code, resumed.err).toBe(0);
    expect(resumed.out).toMatch(new RegExp(`^trained ring_gan for ${from + 3} steps`));
  });
});
