import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { useBackend } from "../../src/runtime/backend.js";
import { RuntimeUserError } from "../../src/runtime/errors.js";
import * as nn from "../../src/runtime/nn/index.js";
import { BACKENDS, maxAbsDiff, rand } from "./helpers.js";

describe("ParamStore", () => {
  it("initialises deterministically from (seed, name)", async () => {
    await useBackend("cpu");
    const a = new nn.ParamStore(3);
    const b = new nn.ParamStore(3);
    const c = new nn.ParamStore(4);
    const ka = a.variable("G/fc/kernel", [20, 30], "glorot");
    const kb = b.variable("G/fc/kernel", [20, 30], "glorot");
    const kc = c.variable("G/fc/kernel", [20, 30], "glorot");
    const other = a.variable("G/fc2/kernel", [20, 30], "glorot");
    expect(Array.from(kb.dataSync())).toEqual(Array.from(ka.dataSync()));
    expect(Array.from(kc.dataSync())).not.toEqual(Array.from(ka.dataSync()));
    expect(Array.from(other.dataSync())).not.toEqual(Array.from(ka.dataSync()));
    const limit = Math.sqrt(6 / 50);
    expect(Math.max(...Array.from(ka.dataSync(), Math.abs))).toBeLessThanOrEqual(limit);
    expect(a.variable("G/fc/bias", [30], "zeros").dataSync().every((v) => v === 0)).toBe(true);
    expect(a.variable("G/bn/gamma", [3], "ones").dataSync().every((v) => v === 1)).toBe(true);
    const d = a.variable("G/d", [2000], "dcgan").dataSync();
    const sd = Math.sqrt(Array.from(d).reduce((s, v) => s + v * v, 0) / d.length);
    expect(Math.abs(sd - 0.02)).toBeLessThan(0.002);
    for (const s of [a, b, c]) s.dispose();
  });

  it("separates trainable and non-trainable variables, by prefix", () => {
    const s = new nn.ParamStore(1);
    nn.dense(s, "G/fc", { inFeatures: 2, units: 3 });
    nn.batchnorm(s, "D/bn", { channels: 3 });
    expect(s.trainable("G/").length).toBe(2);
    expect(s.trainable("D/").length).toBe(2);
    expect(s.entries().filter((e) => !e.trainable).map((e) => e.name)).toEqual(["D/bn/moving_mean", "D/bn/moving_var"]);
    expect(s.countParams("G/")).toBe(9);
    s.dispose();
  });

  it("rejects a name reused with another shape, and wrong input sizes", () => {
    const s = new nn.ParamStore(1);
    s.variable("x", [2], "zeros");
    expect(() => s.variable("x", [3], "zeros")).toThrow(RuntimeUserError);
    const l = nn.dense(s, "D/fc", { inFeatures: 4, units: 1 });
    expect(() => l.apply(tf.zeros([2, 5]))).toThrow(/D\/fc expects 4 input features but received 5/);
    const c = nn.conv2d(s, "D/c", { inChannels: 3, filters: 2, kernel: 3 });
    expect(() => c.apply(tf.zeros([1, 4, 4, 1]))).toThrow(/expects 3 input channels/);
    s.dispose();
  });
});

describe.each(BACKENDS)("layers on %s", (backendName) => {
  beforeAll(async () => {
    await useBackend(backendName);
  });

  it("dense, conv2d and conv2dTranspose compute the expected values and shapes", () => {
    const s = new nn.ParamStore(2);
    const d = nn.dense(s, "L/fc", { inFeatures: 3, units: 2 });
    d.bias!.assign(tf.tensor([1, -1]));
    const x = rand([4, 3], 1);
    expect(maxAbsDiff(d.apply(x), tf.add(tf.matMul(x, d.kernel as tf.Tensor2D), tf.tensor([1, -1])))).toBeLessThan(1e-6);
    const c = nn.conv2d(s, "L/c", { inChannels: 1, filters: 8, kernel: 4, stride: 2, padding: "same" });
    expect(c.apply(tf.zeros([2, 28, 28, 1])).shape).toEqual([2, 14, 14, 8]);
    const ct = nn.conv2dTranspose(s, "L/ct", { inChannels: 8, filters: 1, kernel: 4, stride: 2 });
    expect(ct.apply(tf.zeros([2, 7, 7, 8])).shape).toEqual([2, 14, 14, 1]);
    const ctv = nn.conv2dTranspose(s, "L/ctv", { inChannels: 8, filters: 4, kernel: 4, stride: 1, padding: "valid" });
    expect(ctv.apply(tf.zeros([2, 1, 1, 8])).shape).toEqual([2, 4, 4, 4]);
    expect(nn.upsample({ factor: 2 }).apply(tf.zeros([1, 7, 7, 3])).shape).toEqual([1, 14, 14, 3]);
    expect(nn.avgpool({ factor: 2 }).apply(tf.zeros([1, 8, 8, 3])).shape).toEqual([1, 4, 4, 3]);
    expect(() => nn.avgpool({ factor: 2 }).apply(tf.zeros([1, 7, 7, 3]))).toThrow(/not divisible/);
    s.dispose();
  });

  it("batchnorm normalises with batch statistics in train mode, moving averages in eval mode", () => {
    const s = new nn.ParamStore(2);
    const bn = nn.batchnorm(s, "L/bn", { channels: 2, momentum: 0.5 });
    const x = tf.add(tf.mul(rand([8, 3, 3, 2], 4), 3), 5);
    const y = bn.apply(x);
    const m = tf.moments(y, [0, 1, 2]);
    expect(Math.max(...Array.from(m.mean.dataSync(), Math.abs))).toBeLessThan(1e-4);
    expect(Math.max(...Array.from(m.variance.dataSync(), (v) => Math.abs(v - 1)))).toBeLessThan(1e-3);
    const batch = tf.moments(x, [0, 1, 2]);
    expect(maxAbsDiff(bn.movingMean, tf.mul(batch.mean, 0.5))).toBeLessThan(1e-5);
    s.mode = "eval";
    const ye = bn.apply(x);
    const expected = tf.div(tf.sub(x, bn.movingMean), tf.sqrt(tf.add(bn.movingVar, 1e-5)));
    expect(maxAbsDiff(ye, expected)).toBeLessThan(1e-4);
    s.dispose();
  });

  it("layernorm and instancenorm normalise over the right axes", () => {
    const s = new nn.ParamStore(2);
    const x = tf.add(tf.mul(rand([3, 4, 4, 2], 5), 2), 1);
    const ln = nn.layernorm(s, "L/ln", { channels: 2 }).apply(x);
    const lm = tf.moments(ln, [1, 2, 3]);
    expect(Math.max(...Array.from(lm.mean.dataSync(), Math.abs))).toBeLessThan(1e-4);
    const inorm = nn.instancenorm(s, "L/in", { channels: 2 }).apply(x);
    const im = tf.moments(inorm, [1, 2]);
    expect(Math.max(...Array.from(im.mean.dataSync(), Math.abs))).toBeLessThan(1e-4);
    expect(Math.max(...Array.from(im.variance.dataSync(), (v) => Math.abs(v - 1)))).toBeLessThan(1e-2);
    s.dispose();
  });

  it("dropout is seeded by (seed, step, call) and off in eval mode", () => {
    const s = new nn.ParamStore(5);
    const d = nn.dropout(s, "D/drop", { rate: 0.5 });
    const x = tf.ones([1000]);
    s.step = 3;
    const a = d.apply(x).dataSync();
    const b = d.apply(x).dataSync(); // second call in the same step: another mask
    s.step = 3;
    const a2 = d.apply(x).dataSync();
    expect(Array.from(a2)).toEqual(Array.from(a));
    expect(Array.from(b)).not.toEqual(Array.from(a));
    expect(new Set(a)).toEqual(new Set([0, 2]));
    const kept = a.filter((v) => v > 0).length;
    expect(kept).toBeGreaterThan(400);
    expect(kept).toBeLessThan(600);
    s.mode = "eval";
    expect(Array.from(d.apply(x).dataSync())).toEqual(Array.from(x.dataSync()));
    s.dispose();
  });

  it("embedding returns table rows", () => {
    const s = new nn.ParamStore(2);
    const e = nn.embedding(s, "G/emb", { classes: 10, dim: 4 });
    const out = e.apply(tf.tensor1d([3, 0, 3], "int32"));
    const table = e.table.arraySync() as number[][];
    expect(maxAbsDiff(out, tf.tensor([table[3]!, table[0]!, table[3]!]))).toBe(0);
    s.dispose();
  });

  it("spectral norm drives the largest singular value of the normalised kernel to 1", () => {
    const s = new nn.ParamStore(2);
    const d = nn.dense(s, "D/fc", { inFeatures: 6, units: 4, spectralNorm: true });
    d.kernel.assign(tf.mul(d.kernel, 10));
    const x = rand([5, 6], 3);
    for (let i = 0; i < 30; i++) d.apply(x);
    // The layer computes y = x·W/σ̂, so σ̂ = Σ|x·W| / Σ|y|; compare with the true
    // largest singular value from a long power iteration in JavaScript.
    const sigma = tf.tidy(() => {
      const y = tf.sub(d.apply(x), d.bias!);
      const raw = tf.matMul(x, d.kernel as tf.Tensor2D);
      return tf.div(tf.sum(tf.abs(raw)), tf.sum(tf.abs(y))).dataSync()[0]!;
    });
    const w = d.kernel.arraySync() as number[][];
    let v = [1, 1, 1, 1];
    let top = 0;
    for (let it = 0; it < 200; it++) {
      const wv = w.map((row) => row.reduce((acc, wij, j) => acc + wij * v[j]!, 0));
      const wtwv = v.map((_, j) => w.reduce((acc, row, i) => acc + row[j]! * wv[i]!, 0));
      const norm = Math.hypot(...wtwv);
      v = wtwv.map((q) => q / norm);
      top = Math.sqrt(norm);
    }
    expect(Math.abs(sigma - top) / top).toBeLessThan(1e-3);
    s.dispose();
  });

  it("minibatch discrimination matches a direct computation", () => {
    const s = new nn.ParamStore(2);
    const m = nn.minibatchDiscrimination(s, "D/mbd", { inFeatures: 3, kernels: 2, dim: 2, init: { normal: 0.5 } });
    const x = rand([4, 3], 8);
    const out = m.apply(x).arraySync() as number[][];
    expect(out[0]!.length).toBe(5);
    const M = (tf.matMul(x, m.T as tf.Tensor2D).arraySync() as number[][]).map((r) => [r.slice(0, 2), r.slice(2, 4)]);
    for (let i = 0; i < 4; i++) {
      for (let k = 0; k < 2; k++) {
        let o = 0;
        for (let j = 0; j < 4; j++) o += Math.exp(-(Math.abs(M[i]![k]![0]! - M[j]![k]![0]!) + Math.abs(M[i]![k]![1]! - M[j]![k]![1]!)));
        expect(Math.abs(out[i]![3 + k]! - o)).toBeLessThan(1e-5);
      }
    }
    s.dispose();
  });

  it("StyleGAN blocks and fade have the right shapes and values", () => {
    const s = new nn.ParamStore(2);
    const c = nn.constant(s, "G/const", { height: 4, width: 4, channels: 8 }).apply(3);
    expect(c.shape).toEqual([3, 4, 4, 8]);
    const w = rand([3, 5], 9);
    const a = nn.adain(s, "G/ada", { styleDim: 5, channels: 8 }).apply(rand([3, 4, 4, 8], 10), w);
    expect(a.shape).toEqual([3, 4, 4, 8]);
    const n = nn.noise(s, "G/noise", { channels: 8 });
    expect(maxAbsDiff(n.apply(c), c)).toBe(0); // strength starts at 0
    n.strength.assign(tf.ones([8]));
    expect(maxAbsDiff(n.apply(c), c)).toBeGreaterThan(0);
    const f = nn.fade(tf.zeros([2, 2]), tf.ones([2, 2]), 0.25);
    expect(Array.from(f.dataSync())).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(() => nn.fade(tf.zeros([2]), tf.zeros([3]), 0.5)).toThrow(/different shapes/);
    s.dispose();
  });

  it("a DCGAN-style generator + discriminator trains one step with every layer, leaking no tensors", () => {
    const s = new nn.ParamStore(11, { kernelInit: "dcgan" });
    const fc = nn.dense(s, "G/fc", { inFeatures: 8, units: 4 * 4 * 8 });
    const bn = nn.batchnorm(s, "G/bn", { channels: 8 });
    const ct = nn.conv2dTranspose(s, "G/ct", { inChannels: 8, filters: 4, kernel: 4, stride: 2 });
    const up = nn.upsample({ factor: 2 });
    const conv = nn.conv2d(s, "G/out", { inChannels: 4, filters: 1, kernel: 3 });
    const d1 = nn.conv2d(s, "D/c1", { inChannels: 1, filters: 4, kernel: 4, stride: 2, spectralNorm: true });
    const drop = nn.dropout(s, "D/drop", { rate: 0.3 });
    const pool = nn.avgpool({ factor: 2 });
    const ln = nn.layernorm(s, "D/ln", { channels: 4 });
    const mbd = nn.minibatchDiscrimination(s, "D/mbd", { inFeatures: 4 * 4 * 4, kernels: 3, dim: 2 });
    const out = nn.dense(s, "D/out", { inFeatures: mbd.outFeatures, units: 1 });
    const G = (z: tf.Tensor) =>
      conv.apply(up.apply(tf.relu(ct.apply(tf.relu(bn.apply(tf.reshape(fc.apply(z), [-1, 4, 4, 8]))))))).tanh();
    const D = (x: tf.Tensor) => out.apply(mbd.apply(ln.apply(pool.apply(drop.apply(tf.relu(d1.apply(x)) as tf.Tensor) as tf.Tensor4D))));
    const opt = tf.train.adam(1e-3);
    const z = rand([4, 8], 12);
    const step = () => {
      const { value, grads } = tf.variableGrads(() => tf.mean(tf.softplus(tf.neg(D(G(z))))) as tf.Scalar, s.trainable());
      opt.applyGradients(grads as tf.NamedTensorMap as Parameters<typeof opt.applyGradients>[0]);
      const v = value.dataSync()[0]!;
      tf.dispose([value, grads]);
      return v;
    };
    step();
    const before = tf.memory().numTensors;
    const v = step();
    expect(Number.isFinite(v)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    expect(G(z).shape).toEqual([4, 16, 16, 1]);
    opt.dispose();
    s.dispose();
  });
});
