// DCGAN on real MNIST: a short run of a small model through `ganc run`, after which the
// discriminator tells held-out real digits (test split) from fakes clearly better than chance,
// and the sample grid is a real picture of the expected size.
import * as fs from "node:fs";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, describe, expect, it } from "vitest";
import * as rt from "../../src/runtime/index.js";
import { loadProgram } from "../../src/cli/run.js";
import { latestCheckpoint, loadCheckpoint } from "../../src/runtime/checkpoint.js";
import { ganc, quietStderr, readMetrics, setFlags, tempDir } from "./helpers.js";

const tmp = tempDir("mnist");
afterAll(tmp.cleanup);

const STEPS = 200;
const EVAL = 256;

type Net = (x: tf.Tensor) => Record<string, tf.Tensor>;

/** Fraction of a batch's logits on the given side of 0. */
function fraction(logits: tf.Tensor, positive: boolean): number {
  const v = logits.dataSync();
  let k = 0;
  for (const x of v) if (positive ? x > 0 : x < 0) k++;
  return k / v.length;
}

describe("DCGAN on MNIST", () => {
  it(`after ${STEPS} steps D separates held-out real digits from fakes; the sample grid is right`, async () => {
    const out = path.join(tmp.dir, "dcgan");
    const restore = quietStderr();
    let r;
    try {
      r = await ganc("run", "specs/dcgan.gan", "--steps", String(STEPS), "--backend", "wasm", "--out", out, ...setFlags(["ngf=8", "ndf=8", "batch=32", "log_every=50"]));
    } finally {
      restore();
    }
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const metrics = readMetrics(out);
    expect(metrics.map((m) => m.step)).toEqual([50, 100, 150, 200]);
    for (const m of metrics) expect(Number.isFinite(m.d_loss) && Number.isFinite(m.g_loss)).toBe(true);
    console.log(`dcgan ngf=ndf=8 batch=32 wasm: ${metrics.map((m) => `step ${m.step} d_loss ${m.d_loss!.toFixed(3)} g_loss ${m.g_loss!.toFixed(3)} ${m.steps_per_sec!.toFixed(1)} steps/s`).join("; ")}`);

    // The trained model, from the run folder's own module and final checkpoint.
    const program = loadProgram(fs.readFileSync(path.join(out, "train.ts"), "utf8"));
    await rt.useBackend("wasm");
    const store = new rt.nn.ParamStore(program.run.seed);
    const model = program.create({ store, seed: program.run.seed, baseDir: path.resolve("specs") }) as rt.ModelBase & { nets: Record<string, Net> };
    const ckpt = latestCheckpoint(out);
    expect(ckpt).toMatch(/step-000200$/);
    const meta = await loadCheckpoint(ckpt!, store, model.optimizers);
    expect(meta.step).toBe(STEPS);

    // Held-out real digits and fresh fakes (a latent draw training never used), each scored as a
    // batch in training mode, as D saw them during training.
    const test = rt.data.loadMnist({ split: "test", range: "-1..1", labels: false, limit: EVAL });
    const { realAcc, fakeAcc } = tf.tidy(() => {
      const x = tf.tensor4d(test.data, [EVAL, 28, 28, 1]);
      const z = rt.rng.normal([EVAL, 100], program.run.seed, 1_000_000, "eval/z");
      const fake = model.nets.G!(z).out!;
      return { realAcc: fraction(model.nets.D!(x).out!, true), fakeAcc: fraction(model.nets.D!(fake).out!, false) };
    });
    const acc = (realAcc + fakeAcc) / 2;
    console.log(`D accuracy after ${STEPS} steps: ${acc.toFixed(3)} (real ${realAcc.toFixed(3)}, fake ${fakeAcc.toFixed(3)})`);
    expect(acc >= 0.65 || acc <= 0.35, `D accuracy ${acc}`).toBe(true);

    // Untrained, the same D is at chance on the same batches: the separation above was learned.
    const fresh = new rt.nn.ParamStore(program.run.seed);
    const untrained = program.create({ store: fresh, seed: program.run.seed, baseDir: path.resolve("specs") }) as typeof model;
    const acc0 = tf.tidy(() => {
      const x = tf.tensor4d(test.data, [EVAL, 28, 28, 1]);
      const z = rt.rng.normal([EVAL, 100], program.run.seed, 1_000_000, "eval/z");
      const fake = untrained.nets.G!(z).out!;
      return (fraction(untrained.nets.D!(x).out!, true) + fraction(untrained.nets.D!(fake).out!, false)) / 2;
    });
    console.log(`D accuracy untrained: ${acc0.toFixed(3)}`);
    expect(Math.abs(acc - 0.5)).toBeGreaterThan(Math.abs(acc0 - 0.5) + 0.1);
    for (const o of Object.values(model.optimizers)) o.dispose();
    for (const o of Object.values(untrained.optimizers)) o.dispose();
    store.dispose();
    fresh.dispose();

    // The sample grid: run.samples tiles of 28x28, ceil(sqrt(n)) columns, 2-pixel borders
    // around and between tiles (image.ts); the tiles are pictures, not a flat fill.
    const n = program.run.samples;
    expect(n).toBeGreaterThan(0);
    const cols = Math.max(1, Math.ceil(Math.sqrt(n)));
    const rows = Math.ceil(n / cols);
    const border = 2;
    const png = rt.decodePng(fs.readFileSync(path.join(out, "samples", `step-000${STEPS}.png`)));
    expect(png.width).toBe(cols * 28 + (cols + 1) * border);
    expect(png.height).toBe(rows * 28 + (rows + 1) * border);
    const tile = (k: number): number[] => {
      const ox = border + (k % cols) * (28 + border);
      const oy = border + Math.floor(k / cols) * (28 + border);
      const px: number[] = [];
      for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) px.push(png.rgba[((oy + y) * png.width + ox + x) * 4]!);
      return px;
    };
    for (const k of [0, n - 1]) {
      const px = tile(k);
      const mean = px.reduce((a, b) => a + b, 0) / px.length;
      const sd = Math.sqrt(px.reduce((a, b) => a + (b - mean) ** 2, 0) / px.length);
      expect(sd, `tile ${k} pixel spread`).toBeGreaterThan(20);
    }
    expect(tile(0)).not.toEqual(tile(n - 1));
  }, 120_000);
});
