// ring_wgan_gp trains on wasm: after a short run its samples are nearer the ring's modes than
// at step 0 (G starts as a blob around the origin, at distance ~0.8 from every mode).
// Mode-coverage metrics proper are `ganc eval`'s (src/runtime/eval/); this only checks that the
// spec learns. Short: the spec with `--set batch=64 width=64`, 100 iterations.
import * as fs from "node:fs";
import * as tf from "@tensorflow/tfjs";
import { expect, it } from "vitest";
import * as rt from "../../src/runtime/index.js";
import { loadProgram } from "../../src/cli/run.js";
import { checkFile } from "../../src/check/check.js";
import { generate } from "../../src/codegen/index.js";

const ITERATIONS = 100;

it("ring_wgan_gp moves its samples toward the ring's modes", async () => {
  await rt.useBackend("wasm");
  const ir = checkFile("specs/ring_wgan_gp.gan", { overrides: { batch: "64", width: "64" } }).ir!;
  const program = loadProgram(await generate(ir, { texts: Object.fromEntries(ir.files.map((f) => [f, fs.readFileSync(f, "utf8")])) }));
  const store = new rt.nn.ParamStore(ir.run.seed);
  const m = program.create({ store, seed: ir.run.seed, baseDir: "specs" });
  const centers = m.data.x!.centers!;
  expect(centers).toHaveLength(8);

  /** Mean distance of 2,500 samples (a fixed latent draw) to their nearest mode. */
  const distance = () => {
    store.mode = "eval";
    const s = program.sample!(m, 2500);
    store.mode = "train";
    const points = s.arraySync() as [number, number][];
    s.dispose();
    return points.reduce((t, [x, y]) => t + Math.min(...centers.map(([cx, cy]) => Math.hypot(x - cx, y - cy))), 0) / points.length;
  };

  const start = distance();
  const later: number[] = [];
  for (let step = 0; step < ITERATIONS; step++) {
    store.step = step;
    const values = program.iteration(m, step);
    for (const [k, v] of Object.entries(values)) expect(Number.isFinite(v.dataSync()[0]), `${k} at step ${step}`).toBe(true);
    tf.dispose(Object.values(values));
    if ((step + 1) % 10 === 0 && step + 1 >= ITERATIONS / 2) later.push(distance());
  }
  const end = later.reduce((a, b) => a + b, 0) / later.length;
  expect(start).toBeGreaterThan(0.6);
  expect(end, `mean distance to the nearest mode: ${start.toFixed(3)} at step 0, ${later.map((d) => d.toFixed(3)).join(", ")} over steps 50-100`).toBeLessThan(0.75 * start);
  store.dispose();
}, 90_000);
