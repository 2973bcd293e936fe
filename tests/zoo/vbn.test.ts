// Virtual batch normalisation (src/runtime/nn/virtual_batchnorm.ts): the layer's arithmetic by
// hand, an example's output independent of the rest of its batch, and the generated dcgan_vbn
// networks keeping their reference batch, also across a checkpoint.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import * as rt from "../../src/runtime/index.js";
import { loadProgram } from "../../src/cli/run.js";
import { checkFile } from "../../src/check/check.js";
import { generate } from "../../src/codegen/index.js";

beforeAll(async () => {
  await rt.useBackend("cpu");
});

type Model = rt.ModelBase & { nets: Record<string, (...x: tf.Tensor[]) => Record<string, tf.Tensor>> };

const rows = (t: tf.Tensor) => t.arraySync() as number[][];

describe("virtualBatchnorm", () => {
  it("normalises the reference rows by their own statistics and each example by reference + itself", () => {
    const store = new rt.nn.ParamStore(1);
    const layer = rt.nn.virtualBatchnorm(store, "L/vbn", { channels: 2, epsilon: 0 });
    const ref = [
      [1, 10],
      [3, 20],
      [5, 60],
    ];
    const cur = [
      [7, 0],
      [-1, 30],
    ];
    const y = rows(layer.apply(tf.tensor2d([...ref, ...cur]), 3));
    for (let c = 0; c < 2; c++) {
      const r = ref.map((v) => v[c]!);
      const mu = r.reduce((a, b) => a + b) / 3;
      const nu = r.reduce((a, b) => a + b * b, 0) / 3;
      ref.forEach((v, i) => expect(y[i]![c]).toBeCloseTo((v[c]! - mu) / Math.sqrt(nu - mu * mu), 5));
      cur.forEach((v, i) => {
        const m = (3 * mu + v[c]!) / 4;
        const s = (3 * nu + v[c]! ** 2) / 4;
        expect(y[3 + i]![c]).toBeCloseTo((v[c]! - m) / Math.sqrt(s - m * m), 5);
      });
    }
  });

  it("on images: statistics over rows and pixels per channel; an example's output ignores its batch", () => {
    const store = new rt.nn.ParamStore(1);
    const layer = rt.nn.virtualBatchnorm(store, "L/vbn", { channels: 3 });
    const ref = tf.randomNormal([4, 2, 2, 3], 0, 1, "float32", 1);
    const a = tf.randomNormal([1, 2, 2, 3], 1, 2, "float32", 2);
    const others = tf.randomNormal([5, 2, 2, 3], -3, 5, "float32", 3);
    const alone = layer.apply(tf.concat([ref, a]), 4).slice(4);
    const inBatch = layer.apply(tf.concat([ref, a, others]), 4).slice(4, 1);
    expect(tf.max(tf.abs(tf.sub(alone, inBatch))).dataSync()[0]).toBeLessThan(1e-5);
    // the reference rows normalised: zero mean, unit variance per channel
    const { mean, variance } = tf.moments(layer.apply(tf.concat([ref, a]), 4).slice(0, 4), [0, 1, 2]);
    mean.dataSync().forEach((v) => expect(v).toBeCloseTo(0, 4));
    variance.dataSync().forEach((v) => expect(v).toBeCloseTo(1, 3));
  });
});

describe("generated dcgan_vbn", () => {
  it("keeps the first batch as G's and D's reference; samples do not depend on their batch", async () => {
    // the spec with a small batch and narrow networks (`--set batch=4 ngf=8 ndf=8`), for speed
    const ir = checkFile("specs/dcgan_vbn.gan", { overrides: { batch: "4", ngf: "8", ndf: "8" } }).ir!;
    const program = loadProgram(await generate(ir, { texts: Object.fromEntries(ir.files.map((f) => [f, fs.readFileSync(f, "utf8")])) }));
    const store = new rt.nn.ParamStore(1);
    const m = program.create({ store, seed: 1, baseDir: "specs" }) as Model;
    expect(store.get("G/vbn_reference/ready").dataSync()[0]).toBe(0);
    store.step = 0;
    tf.dispose(Object.values(program.iteration(m, 0)));
    expect(store.get("G/vbn_reference/ready").dataSync()[0]).toBe(1);
    expect(store.get("D/vbn_reference/ready").dataSync()[0]).toBe(1);
    expect(store.get("D/vbn_reference/x").shape).toEqual([program.run.batch, 28, 28, 1]);
    // D's reference is the first real batch: images in [-1, 1] with the background at -1
    const ref = store.get("D/vbn_reference/x");
    expect(tf.min(ref).dataSync()[0]).toBe(-1);
    const G = m.nets.G!;
    const refZ = tf.clone(store.get("G/vbn_reference/z"));
    const z = tf.randomNormal([6, 100], 0, 1, "float32", 7);
    const one = G(z.slice(0, 1)).out!;
    const six = G(z).out!;
    expect(six.shape).toEqual([6, 28, 28, 1]);
    expect(tf.max(tf.abs(tf.sub(one, six.slice(0, 1)))).dataSync()[0]).toBeLessThan(1e-5);
    // later calls leave the reference alone
    expect(tf.max(tf.abs(tf.sub(refZ, store.get("G/vbn_reference/z")))).dataSync()[0]).toBe(0);
    // a resumed run restores the reference instead of taking a new one
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ganc-vbn-"));
    try {
      await rt.saveCheckpoint(dir, store, m.optimizers, { step: 1, seed: 1, state: {} });
      const store2 = new rt.nn.ParamStore(2);
      const m2 = program.create({ store: store2, seed: 2, baseDir: "specs" }) as Model;
      await rt.loadCheckpoint(rt.latestCheckpoint(dir)!, store2, m2.optimizers);
      const again = m2.nets.G!(z.slice(0, 1)).out!;
      expect(tf.max(tf.abs(tf.sub(refZ, store2.get("G/vbn_reference/z")))).dataSync()[0]).toBe(0);
      expect(tf.max(tf.abs(tf.sub(one, again))).dataSync()[0]).toBeLessThan(1e-5);
      store2.dispose();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
