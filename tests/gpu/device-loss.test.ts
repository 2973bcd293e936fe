// A GPU device lost in the middle of `ganc run` (here: destroyed once step 3 is logged): the run
// stops with a message that says what happened, keeps the last checkpoint and says how to resume it
// on another backend, without a stack trace; and that resume works. Its own file: the process's
// webgpu device is gone afterwards.
import * as fs from "node:fs";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import * as rt from "../../src/runtime/index.js";
import { ganc, expectNoStackTrace, readMetrics, tempDir, type Run } from "../train/helpers.js";
import { adapter, onAdapter, skipReason } from "./helpers.js";

const tmp = tempDir("gpu-lost");
afterAll(tmp.cleanup);

/** `ganc run` in-process; the device is destroyed when the progress display reports step 3. */
async function runLosingDevice(...argv: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((s: string) => {
    if (/^step 3\//.test(String(s))) (tf.backend() as unknown as { device: { destroy(): void } }).device.destroy();
    return true;
  }) as typeof process.stderr.write;
  try {
    const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
    return { code, out: out.join(""), err: err.join("") };
  } finally {
    process.stderr.write = write;
  }
}

describe.skipIf(adapter === null)(`device loss ${onAdapter}${skipReason}`, () => {
  it("stops with the last checkpoint kept and how to resume on wasm; the resume finishes", async () => {
    const runDir = path.join(tmp.dir, "run");
    const sets = ["ngf=4", "ndf=4", "batch=4", "log_every=1", "checkpoint_every=2"].flatMap((s) => ["--set", s]);
    const r = await runLosingDevice("run", "specs/dcgan.gan", "--steps", "6", "--backend", "webgpu", "--out", runDir, ...sets);
    expect(r.code).toBe(1);
    expectNoStackTrace(r);
    const dir = runDir.replace(/[/.]/g, "\\$&");
    expect(r.err).toMatch(
      new RegExp(`^ganc: the GPU device was lost at step 4 \\(destroyed: .*\\); the last checkpoint, ${dir}/checkpoints/step-000002, is kept; continue on another backend with \`ganc run --resume ${dir} --backend wasm\`\n?$`),
    );
    expect(fs.readdirSync(path.join(runDir, "checkpoints"))).toEqual(["step-000002"]);
    // this process's webgpu is gone, and says so
    await expect(rt.useBackend("webgpu")).rejects.toThrow(/lost earlier in this process/);

    const resumed = await ganc("run", "--resume", runDir, "--backend", "wasm");
    expect(resumed.err).toBe("");
    expect(resumed.code).toBe(0);
    expect(resumed.out).toMatch(/^trained dcgan for 6 steps on wasm/);
    expect(readMetrics(runDir).map((m) => m.step)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
