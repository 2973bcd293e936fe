import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { useBackend } from "../../src/runtime/backend.js";
import * as nn from "../../src/runtime/nn/index.js";
import { avgPool, elu, exp, gradientPenalty, leakyRelu, sigmoid, tanh, upsampleNearest } from "../../src/runtime/ops.js";
import { BACKENDS, expectClose, finiteDifference, rand } from "./helpers.js";

/** h(x) = Σ (∇x Σ f(x)·r)²; returns ∂h/∂x by autodiff and checks it against central differences. */
function checkSecondOrderInX(f: (x: tf.Tensor) => tf.Tensor, x0: tf.Tensor, seed: number): void {
  const r = rand(f(x0).shape, seed);
  const h = (x: tf.Tensor): tf.Scalar => {
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(f(v), r)))(x);
    return tf.sum(tf.square(g)) as tf.Scalar;
  };
  const auto = tf.grad(h)(x0).dataSync();
  const xv = tf.variable(x0.clone());
  const loss = (): tf.Scalar => h(xv);
  for (const i of [0, Math.floor(x0.size / 2), x0.size - 1]) {
    expectClose(auto[i]!, finiteDifference(loss, xv, i));
  }
  xv.dispose();
}

/**
 * WGAN-GP penalty of a critic with respect to its weights: autodiff (which
 * needs second-order gradients) against central finite differences.
 */
function checkPenaltyGrads(store: nn.ParamStore, critic: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor, perVariable = 2): void {
  const vars = store.trainable();
  expect(vars.length).toBeGreaterThan(0);
  const loss = (): tf.Scalar => gradientPenalty(critic, x);
  const { value, grads } = tf.variableGrads(loss, vars);
  expect(Number.isFinite(value.dataSync()[0]!)).toBe(true);
  for (const v of vars) {
    const g = grads[v.name]?.dataSync() ?? new Float32Array(v.size); // absent: the penalty does not depend on v
    for (let k = 0; k < perVariable; k++) {
      const i = Math.floor(((k + 0.5) / perVariable) * v.size);
      expectClose(g[i]!, finiteDifference(loss, v, i), 1e-2, 2e-3);
    }
  }
  tf.dispose(grads);
  value.dispose();
}

describe.each(BACKENDS)("twice-differentiable ops on %s", (backendName) => {
  beforeAll(async () => {
    await useBackend(backendName);
  });

  it("tf.leakyRelu is not twice differentiable in tfjs (the reason ops.leakyRelu exists)", () => {
    const x = rand([4], 1);
    const h = (v: tf.Tensor): tf.Scalar => tf.sum(tf.square(tf.grad((u: tf.Tensor) => tf.sum(tf.leakyRelu(u, 0.2)))(v)));
    expect(() => tf.grad(h)(x)).toThrow(/gradient function not found/i);
  });

  it("tf.tanh is not twice differentiable in tfjs (its gradient reuses the output); ops.tanh is", () => {
    const x = rand([4], 2);
    const h = (f: (u: tf.Tensor) => tf.Tensor) => (v: tf.Tensor): tf.Scalar =>
      tf.sum(tf.square(tf.grad((u: tf.Tensor) => tf.sum(f(u)))(v)));
    expect(() => tf.grad(h(tf.tanh))(x)).toThrow(/Cannot compute gradient/);
    expect(tf.grad(h(tanh))(x).shape).toEqual([4]);
  });

  it("leakyRelu and elu compute the usual functions", () => {
    const x = tf.tensor([-2, -0.5, 0, 0.5, 3]);
    expect(Array.from(leakyRelu(x, 0.2).dataSync())).toEqual(Array.from(tf.leakyRelu(x, 0.2).dataSync()));
    for (const [ours, theirs] of [[elu, tf.elu], [tanh, tf.tanh], [sigmoid, tf.sigmoid], [exp, tf.exp]] as const) {
      const a = ours(x).dataSync();
      const b = theirs(x).dataSync();
      for (let i = 0; i < 5; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(1e-6);
    }
  });

  const activations: Array<[string, (x: tf.Tensor) => tf.Tensor, number, number]> = [
    ["relu", (x) => tf.relu(x), -1, 1],
    ["leakyRelu", (x) => leakyRelu(x, 0.2), -1, 1],
    ["tanh", (x) => tanh(x), -1, 1],
    ["sigmoid", (x) => sigmoid(x), -1, 1],
    ["softplus", (x) => tf.softplus(x), -1, 1],
    ["abs", (x) => tf.abs(x), -1, 1],
    ["sqrt", (x) => tf.sqrt(x), 0.5, 2],
    ["elu", (x) => elu(x), -1, 1],
    ["square·exp", (x) => tf.mul(tf.square(x), exp(x)), -1, 1],
  ];
  it.each(activations)("%s: second derivative matches finite differences", (_n, f, lo, hi) => {
    checkSecondOrderInX(f, rand([2, 5], 3, lo, hi), 4);
  });

  it("upsample and avgpool are twice differentiable and compute the right values", () => {
    const x = rand([1, 2, 2, 1], 5);
    const up = upsampleNearest(x as tf.Tensor4D, 2);
    const ref = tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [4, 4]);
    expect(Array.from(up.dataSync())).toEqual(Array.from(ref.dataSync()));
    const down = avgPool(up, 2);
    expect(Array.from(down.dataSync())).toEqual(Array.from(x.dataSync()).map((v) => Math.fround(v)));
    checkSecondOrderInX((v) => tf.square(upsampleNearest(v as tf.Tensor4D, 2)), rand([2, 3, 3, 2], 6), 7);
    checkSecondOrderInX((v) => tf.square(avgPool(v as tf.Tensor4D, 2)), rand([2, 4, 4, 2], 8), 9);
  });

  it("gradient penalty of a dense + leakyRelu + dense critic matches finite differences", () => {
    const store = new nn.ParamStore(7);
    const l1 = nn.dense(store, "D/fc1", { inFeatures: 3, units: 8 });
    const l2 = nn.dense(store, "D/fc2", { inFeatures: 8, units: 1 });
    const critic = (x: tf.Tensor) => l2.apply(leakyRelu(l1.apply(x), 0.2));
    checkPenaltyGrads(store, critic, rand([6, 3], 10, -2, 2), 3);
    store.dispose();
  });

  it("gradient penalty of a conv critic matches finite differences", () => {
    const store = new nn.ParamStore(8);
    const c1 = nn.conv2d(store, "D/conv1", { inChannels: 1, filters: 4, kernel: 3, stride: 2, padding: "same" });
    const c2 = nn.conv2d(store, "D/conv2", { inChannels: 4, filters: 4, kernel: 4, stride: 2, padding: "same" });
    const fc = nn.dense(store, "D/fc", { inFeatures: 2 * 2 * 4, units: 1 });
    const critic = (x: tf.Tensor) => fc.apply(leakyRelu(c2.apply(leakyRelu(c1.apply(x)))));
    checkPenaltyGrads(store, critic, rand([3, 8, 8, 1], 11), 2);
    store.dispose();
  });

  const layers: Array<[string, (s: nn.ParamStore) => (x: tf.Tensor) => tf.Tensor, number[]]> = [
    ["batchnorm", (s) => { const l = nn.batchnorm(s, "L/bn", { channels: 3 }); return (x) => tanh(l.apply(x)); }, [4, 2, 2, 3]],
    ["layernorm", (s) => { const l = nn.layernorm(s, "L/ln", { channels: 3 }); return (x) => tanh(l.apply(x)); }, [3, 2, 2, 3]],
    ["instancenorm", (s) => { const l = nn.instancenorm(s, "L/in", { channels: 2 }); return (x) => tanh(l.apply(x)); }, [2, 3, 3, 2]],
    ["conv2dTranspose", (s) => { const l = nn.conv2dTranspose(s, "L/ct", { inChannels: 2, filters: 3, kernel: 4, stride: 2 }); return (x) => tanh(l.apply(x)); }, [2, 3, 3, 2]],
    ["conv2d valid k5", (s) => { const l = nn.conv2d(s, "L/c", { inChannels: 2, filters: 3, kernel: 5, stride: 1, padding: "valid" }); return (x) => sigmoid(l.apply(x)); }, [2, 6, 6, 2]],
    ["spectral-norm dense", (s) => { const l = nn.dense(s, "L/sn", { inFeatures: 4, units: 3, spectralNorm: true }); return (x) => tf.softplus(l.apply(x)); }, [3, 4]],
    ["minibatch discrimination", (s) => { const l = nn.minibatchDiscrimination(s, "L/mbd", { inFeatures: 4, kernels: 3, dim: 2, init: { normal: 0.5 } }); return (x) => tanh(l.apply(x)); }, [4, 4]],
    ["adain", (s) => { const l = nn.adain(s, "L/ada", { styleDim: 3, channels: 2 }); const w = rand([2, 3], 77); return (x) => tanh(l.apply(x, w)); }, [2, 3, 3, 2]],
  ];
  it.each(layers)("%s: penalty gradients w.r.t. its weights match finite differences", (_n, build, shape) => {
    const store = new nn.ParamStore(9);
    const f = build(store);
    store.mode = "eval"; // freezes spectral-norm u between finite-difference evaluations
    if (_n === "batchnorm") store.mode = "train"; // batch statistics (output does not depend on the moving averages)
    checkPenaltyGrads(store, f, rand(shape, 12), 2);
    store.dispose();
  });
});
