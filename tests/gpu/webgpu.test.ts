// The webgpu backend against the cpu backend, in one process: the layers and ops ganc's specs use
// (forward and gradients, webgpu's own kernels), the WGAN-GP penalty's weight gradients (second
// order, through a transposed convolution), resuming a run on another backend in both directions,
// and no growth in tensors or GPU memory over 30 steps.
import * as fs from "node:fs";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, describe, expect, it } from "vitest";
import { checkFile } from "../../src/check/check.js";
import { moduleFor } from "../../src/cli/build.js";
import { loadProgram } from "../../src/cli/run.js";
import * as rt from "../../src/runtime/index.js";
import * as nn from "../../src/runtime/nn/index.js";
import { elu, gradientPenalty, leakyRelu, sigmoid, softplus, tanh, upsampleNearest, avgPool } from "../../src/runtime/ops.js";
import { readStepValues, releaseStepValues } from "../../src/runtime/step-values.js";
import type { TrainContext } from "../../src/runtime/train.js";
import { rand } from "../runtime/helpers.js";
import { ganc, readMetrics, setFlags, tempDir, values } from "../train/helpers.js";
import { relativeDiff } from "../../src/cli/verify.js";
import { adapter, onAdapter, skipReason } from "./helpers.js";

const tmp = tempDir("gpu");
afterAll(tmp.cleanup);

/** Largest |a − b| over the largest |b| (at least 1): a relative error for whole tensors. */
async function tensorDiff(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  expect(a.shape).toEqual(b.shape);
  const [x, y] = await Promise.all([a.data(), b.data()]);
  let d = 0;
  let m = 1;
  for (let i = 0; i < x.length; i++) {
    d = Math.max(d, Math.abs(x[i]! - y[i]!));
    m = Math.max(m, Math.abs(y[i]!));
  }
  return d / m;
}

/** The output of `f` and the gradients of Σ f·r with respect to x and every trainable variable. */
function forwardAndGrads(store: nn.ParamStore, f: (x: tf.Tensor) => tf.Tensor, x: tf.Variable): tf.Tensor[] {
  return tf.tidy(() => {
    const y = f(x);
    const r = rand(y.shape, 7);
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(f(x), r)) as tf.Scalar, [x, ...store.trainable()]);
    return [y, ...[x, ...store.trainable()].map((v) => grads[v.name] ?? tf.zerosLike(v))];
  });
}

/** Each case: a layer or op as a spec uses it, on an input of `shape`. */
const CASES: { name: string; shape: number[]; build(s: nn.ParamStore): (x: tf.Tensor) => tf.Tensor }[] = [
  { name: "conv2d k4 s2 same + leaky_relu", shape: [3, 8, 8, 2], build: (s) => { const c = nn.conv2d(s, "c", { inChannels: 2, filters: 5, kernel: 4, stride: 2 }); return (x) => leakyRelu(c.apply(x)); } },
  { name: "conv2d k3 s1 valid", shape: [2, 7, 7, 3], build: (s) => { const c = nn.conv2d(s, "c", { inChannels: 3, filters: 4, kernel: 3, padding: "valid" }); return (x) => c.apply(x); } },
  { name: "conv2d_transpose k4 s2 + batchnorm + relu", shape: [3, 7, 7, 4], build: (s) => { const c = nn.conv2dTranspose(s, "t", { inChannels: 4, filters: 3, kernel: 4, stride: 2 }); const b = nn.batchnorm(s, "bn", { channels: 3 }); return (x) => tf.relu(b.apply(c.apply(x))); } },
  { name: "dense + layernorm + elu", shape: [5, 12], build: (s) => { const d = nn.dense(s, "d", { inFeatures: 12, units: 6 }); const l = nn.layernorm(s, "ln", { channels: 6 }); return (x) => elu(l.apply(d.apply(x))); } },
  { name: "dense, spectral norm + sigmoid", shape: [4, 6], build: (s) => { const d = nn.dense(s, "d", { inFeatures: 6, units: 3, spectralNorm: true }); return (x) => sigmoid(d.apply(x)); } },
  { name: "instancenorm + tanh", shape: [2, 6, 6, 3], build: (s) => { const n = nn.instancenorm(s, "in", { channels: 3 }); return (x) => tanh(n.apply(x)); } },
  { name: "upsample, avgpool, softplus", shape: [2, 4, 4, 2], build: () => (x) => softplus(avgPool(upsampleNearest(x as tf.Tensor4D, 2), 4)) },
  { name: "minibatch discrimination", shape: [4, 5], build: (s) => { const m = nn.minibatchDiscrimination(s, "mbd", { inFeatures: 5, kernels: 3, dim: 2 }); return (x) => m.apply(x); } },
];

const TOLERANCE = 1e-4;

/** The tensors `compute` returns on cpu and on webgpu (each from its own store of seed 3), compared: one relative difference each. */
async function webgpuVsCpu(compute: (store: nn.ParamStore) => tf.Tensor[]): Promise<number[]> {
  const results: tf.Tensor[][] = [];
  for (const backend of ["cpu", "webgpu"] as const) {
    await rt.useBackend(backend);
    const store = new nn.ParamStore(3);
    results.push(compute(store));
    store.dispose();
  }
  await rt.useBackend("cpu");
  const [cpu, gpu] = results as [tf.Tensor[], tf.Tensor[]];
  const diffs = await Promise.all(gpu.map((t, i) => tensorDiff(t, cpu[i]!)));
  tf.dispose([...cpu, ...gpu]);
  return diffs;
}

describe.skipIf(adapter === null)(`webgpu against cpu ${onAdapter}${skipReason}`, () => {
  it.each(CASES)("$name: forward and gradients", async ({ shape, build }) => {
    const diffs = await webgpuVsCpu((store) => {
      const f = build(store);
      const x = tf.variable(rand(shape, 11), true, `x-${tf.getBackend()}`);
      const out = forwardAndGrads(store, f, x);
      x.dispose();
      return out;
    });
    for (const [i, d] of diffs.entries()) expect(d, `${i === 0 ? "output" : `gradient ${i - 1}`}: ${d}`).toBeLessThan(TOLERANCE);
  });

  it("the WGAN-GP penalty's weight gradients (second order, through conv2d_transpose) equal cpu's", async () => {
    const diffs = await webgpuVsCpu((store) => {
      const up = nn.conv2dTranspose(store, "D/up", { inChannels: 1, filters: 3, kernel: 4, stride: 2 });
      const conv = nn.conv2d(store, "D/conv", { inChannels: 3, filters: 4, kernel: 4, stride: 2 });
      const ln = nn.layernorm(store, "D/ln", { channels: 4 });
      const fc = nn.dense(store, "D/fc", { inFeatures: 7 * 7 * 4, units: 1 });
      const critic = (x: tf.Tensor) => fc.apply(tf.reshape(leakyRelu(ln.apply(conv.apply(up.apply(x)))), [-1, 7 * 7 * 4]));
      const x = rand([3, 7, 7, 1], 21);
      const vars = store.trainable();
      const { value, grads } = tf.variableGrads(() => gradientPenalty(critic, x), vars);
      x.dispose();
      // The transposed convolution's kernel gradient needs the gradient of Conv2DBackpropFilter.
      expect(Object.keys(grads)).toEqual(expect.arrayContaining(["D/up/kernel", "D/conv/kernel", "D/fc/kernel"]));
      return [value, ...vars.map((v) => grads[v.name] ?? tf.zerosLike(v))]; // absent: the penalty does not depend on v
    });
    for (const [i, d] of diffs.entries()) expect(d, `${i === 0 ? "penalty" : `gradient ${i - 1}`}: ${d}`).toBeLessThan(TOLERANCE);
  });

  // DCGAN whose D also sees a history pool (the pool's images cross backends in the checkpoint).
  const poolSpec = () => {
    const file = path.join(tmp.dir, "pool_gan.gan");
    if (!fs.existsSync(file)) {
      const text = fs
        .readFileSync("specs/dcgan.gan", "utf8")
        .replace("let fake_logits = D(G(z))", "let fake_logits = D(G(z))\nlet pooled_logits = D(history(G(z), size = 6))")
        .replace("bce_logits(real_logits, 1) + bce_logits(fake_logits, 0)", "bce_logits(real_logits, 1) + bce_logits(pooled_logits, 0)");
      expect(text).toContain("pooled_logits, 0)");
      fs.writeFileSync(file, text);
    }
    return file;
  };
  const SETS = ["ngf=4", "ndf=4", "batch=4", "log_every=1"];

  it("a run resumes on another backend: 4 steps on webgpu then 2 on wasm, and the reverse, equal an uninterrupted run", async () => {
    const spec = poolSpec();
    const run = async (...argv: string[]) => {
      const r = await ganc(...argv);
      expect(r.err, r.err).toBe("");
      expect(r.code).toBe(0);
      return r;
    };
    const dir = (k: string) => path.join(tmp.dir, `resume-${k}`);
    await run("run", spec, "--steps", "6", "--seed", "2", "--backend", "wasm", "--out", dir("whole"), ...setFlags(SETS));
    for (const [first, then] of [["webgpu", "wasm"], ["wasm", "webgpu"]] as const) {
      await run("run", spec, "--steps", "4", "--seed", "2", "--backend", first, "--out", dir(first), ...setFlags(SETS));
      const r = await run("run", "--resume", dir(first), "--steps", "6", "--backend", then);
      expect(r.out).toMatch(new RegExp(`^trained pool_gan for 6 steps on ${then}`));
      expect(JSON.parse(fs.readFileSync(path.join(dir(first), "run.json"), "utf8"))).toMatchObject({ backend: then, resumedAt: 4 });
      const whole = readMetrics(dir("whole")).map(values);
      const resumed = readMetrics(dir(first)).map(values);
      expect(resumed.map((m) => m.step)).toEqual([1, 2, 3, 4, 5, 6]);
      for (const [i, m] of whole.entries()) {
        for (const [k, v] of Object.entries(m)) expect(relativeDiff(resumed[i]![k]!, v), `${first} then ${then}: ${k} at step ${i + 1}`).toBeLessThan(TOLERANCE);
      }
    }
  });

  for (const name of ["pool_gan", "dcgan_vbn"]) {
    it(`${name} (tiny): no growth in tensors or GPU memory from step 3 to step 30`, async () => {
      const spec = name === "pool_gan" ? poolSpec() : `specs/${name}.gan`;
      const checked = checkFile(spec, { overrides: { ngf: "4", ndf: "4", batch: "4" } });
      expect(checked.ir).toBeDefined();
      const trainer = rt.trainerOf(loadProgram(await moduleFor(checked.ir!)), path.resolve("specs"));
      await rt.useBackend("webgpu");
      const params = new rt.nn.ParamStore(1);
      const ctx: TrainContext = { seed: 1, step: 0, totalSteps: 30, params, optimizers: {}, state: {}, runDir: tmp.dir, backend: "webgpu" };
      await trainer.init(ctx);
      const memory: Record<number, { numTensors: number; numBytesInGPU: number }> = {};
      for (let t = 0; t < 30; t++) {
        ctx.step = t;
        params.step = t;
        const out = await trainer.iteration(ctx);
        if (t === 2 || t === 29) {
          const v = await readStepValues(out); // waits for the device: memory is settled
          expect(Object.values(v).every(Number.isFinite)).toBe(true);
          const m = tf.memory() as tf.MemoryInfo & { numBytesInGPU: number };
          memory[t + 1] = { numTensors: m.numTensors, numBytesInGPU: m.numBytesInGPU };
        } else releaseStepValues(out);
      }
      expect(memory[30], JSON.stringify(memory)).toEqual(memory[3]);
      expect(memory[3]!.numBytesInGPU).toBeGreaterThan(0);
      trainer.dispose?.();
      for (const o of Object.values(ctx.optimizers)) o.dispose();
      params.dispose();
    });
  }
});
