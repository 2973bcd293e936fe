// Every spec in specs/ (found at test time), shrunk to a tiny model: it builds and trains on
// real MNIST through `ganc run --check-shapes` on wasm (every named value has the shape the
// checker inferred), writing every file a run folder promises; and its generated iteration
// releases every tensor it makes.
import * as fs from "node:fs";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, describe, expect, it } from "vitest";
import * as rt from "../../src/runtime/index.js";
import { checkFile } from "../../src/check/check.js";
import { moduleFor } from "../../src/cli/build.js";
import { loadProgram } from "../../src/cli/run.js";
import type { IrSpec } from "../../src/ir/types.js";
import type { TrainContext } from "../../src/runtime/train.js";
import { allSpecs, ganc, quietStderr, readMetrics, setFlags, setsToRecord, tempDir, tinySets } from "./helpers.js";

const SPECS = allSpecs();
const tmp = tempDir("specs");
afterAll(tmp.cleanup);

describe("every spec trains (tiny, 3 steps, wasm)", () => {
  it("finds the specs", () => {
    expect(SPECS.length).toBeGreaterThanOrEqual(5);
    expect(SPECS).toContain(path.join("specs", "dcgan.gan"));
  });

  it.each(SPECS)("%s", async (spec) => {
    const out = path.join(tmp.dir, path.basename(spec, ".gan"));
    const restore = quietStderr();
    let r;
    try {
      r = await ganc("run", spec, "--steps", "3", "--backend", "wasm", "--check-shapes", "--out", out, ...setFlags(tinySets(spec)));
    } finally {
      restore();
    }
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^trained \S+ for 3 steps on wasm: /);

    // what was run is recorded
    const ir = JSON.parse(fs.readFileSync(path.join(out, "ir.json"), "utf8")) as IrSpec;
    expect(ir.run.steps).toBe(3);
    expect(fs.readFileSync(path.join(out, "spec.gan"), "utf8")).toBe(fs.readFileSync(spec, "utf8"));
    const code = fs.readFileSync(path.join(out, "train.ts"), "utf8");
    expect(code).toContain("rt.expectShape(");
    const program = loadProgram(code);
    expect(program.name).toBe(ir.name);

    // one metrics line at the last step: every loss and state, all finite
    const metrics = readMetrics(out);
    expect(metrics.map((m) => m.step)).toEqual([3]);
    const last = metrics[0]!;
    const expected = [...ir.values.filter((v) => v.role === "loss").map((v) => v.name), ...ir.states.map((s) => s.name)];
    expect(expected.length).toBeGreaterThan(0);
    for (const name of expected) expect(Object.keys(last)).toContain(name);
    for (const [k, v] of Object.entries(last)) {
      expect(typeof v, k).toBe("number");
      expect(Number.isFinite(v), `${k} = ${v}`).toBe(true);
    }

    // a sample grid when the program can sample, and the final checkpoint
    const png = path.join(out, "samples", "step-000003.png");
    if (program.sample) {
      const img = rt.decodePng(fs.readFileSync(png));
      expect(img.width).toBeGreaterThan(28);
      expect(img.height).toBeGreaterThan(28);
    } else {
      expect(fs.existsSync(png)).toBe(false);
    }
    for (const f of ["model.json", "weights.bin", "checkpoint.json"]) {
      expect(fs.statSync(path.join(out, "checkpoints", "step-000003", f)).size).toBeGreaterThan(0);
    }
  });
});

describe("no tensor leaks in the generated iteration (tiny, wasm)", () => {
  it.each(SPECS)("%s", async (spec) => {
    const checked = checkFile(spec, { overrides: setsToRecord(tinySets(spec)) });
    expect(checked.ir).toBeDefined();
    const program = loadProgram(await moduleFor(checked.ir!));
    const trainer = rt.trainerOf(program, path.dirname(path.resolve(spec)));
    await rt.useBackend("wasm");
    const params = new rt.nn.ParamStore(1);
    const ctx: TrainContext = { seed: 1, step: 0, totalSteps: 30, params, optimizers: {}, state: {}, runDir: tmp.dir, backend: "wasm" };
    await trainer.init(ctx);
    const counts: number[] = [];
    for (let t = 0; t < 30; t++) {
      ctx.step = t;
      params.step = t;
      const out = await trainer.iteration(ctx);
      expect(Object.keys(out).length).toBeGreaterThan(0);
      tf.dispose(Object.values(out).filter((v): v is tf.Scalar => typeof v !== "number"));
      if (trainer.sample && t % 10 === 9) {
        params.mode = "eval";
        const s = trainer.sample(ctx);
        params.mode = "train";
        tf.dispose(s.kind === "images" ? [s.images] : [s.fake, ...(s.real ? [s.real] : [])]);
      }
      counts.push(tf.memory().numTensors);
    }
    // counts[t] is after step t + 1: compare after step 3 with after step 30
    expect(counts[29], `tensors after each step: ${counts.join(" ")}`).toBe(counts[2]);
    for (const o of Object.values(ctx.optimizers)) o.dispose();
    params.dispose();
  });
});
