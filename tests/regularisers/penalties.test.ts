// Each regulariser spec's generated code, run on stand-ins whose gradients are known (see
// harness.ts), gives the penalty of the paper's formula and changes D's (or G's) gradient by
// exactly the penalty's derivative, computed here by hand in float64.
import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import * as rt from "../../src/runtime/index.js";
import { batches, expectAllNear, expectNear, FAKE, linearD, mean, PIXELS, quadraticD, REAL, SEED, sigmoid, softplus, type Harness, type OnBatches } from "./harness.js";

const b = batches();

function run(name: string, s: OnBatches, step = 0): { values: Record<string, number>; h: Harness } {
  const h = b.open(name, s);
  return { values: h.iterate(step), h };
}

/** The non-saturating GAN's D loss and its gradient per pixel of W, for logits l = k·v with ∂l/∂W_p = dv (per image). */
function ganD(realLogits: number[], fakeLogits: number[], dReal: number[], dFake: number[]): { loss: number; grad: number } {
  return {
    loss: mean(realLogits.map((l) => softplus(-l))) + mean(fakeLogits.map(softplus)),
    grad: mean(realLogits.map((l, i) => -sigmoid(-l) * dReal[i]!)) + mean(fakeLogits.map((l, j) => sigmoid(l) * dFake[j]!)),
  };
}

describe("gradient penalties: the generated code = the paper's formula by hand", () => {
  // Quadratic D(x) = Σ W ⊙ x² with W = w0 everywhere: on constant images, D = 784·w0·c² and
  // ∇_x D = 2·W ⊙ x, so ‖∇_x D‖² = 784·4·w0²·c², and ∂‖∇_x D‖²/∂W_p = 8·w0·c².
  const w0 = 0.01;
  const sq = (v: number[]) => v.map((c) => c * c);
  const logits = (v: number[]) => v.map((c) => PIXELS * w0 * c * c);

  it("R1 (Mescheder et al. 2018, eq. 9): d_loss + γ/2·E‖∇_x D(x)‖² on real data; D's gradient gains 4γ·w0·E c²", () => {
    const gamma = 10;
    const gan = ganD(logits(REAL), logits(FAKE), sq(REAL), sq(FAKE));
    const r1 = PIXELS * 4 * w0 * w0 * mean(sq(REAL));
    const { values, h } = run("r1", { D: quadraticD, w0 });
    expectNear(values.d_loss, gan.loss + (gamma / 2) * r1, "r1 d_loss");
    expectAllNear(h.grads.D[0], () => gan.grad + 4 * gamma * w0 * mean(sq(REAL)), "∂ d_loss / ∂W");
    // the same stand-ins without the penalty: the difference is the penalty's derivative alone
    const plain = run("gan", { D: quadraticD, w0 }).h.grads.D[0]!;
    expectAllNear(h.grads.D[0], (p) => plain[p]! + 4 * gamma * w0 * mean(sq(REAL)), "∂ d_loss / ∂W − GAN's");
  });

  it("R2 (Mescheder et al. 2018, eq. 10): the same penalty at G's samples, γ/2·E‖∇ D(G(z))‖²", () => {
    const gamma = 10;
    const gan = ganD(logits(REAL), logits(FAKE), sq(REAL), sq(FAKE));
    const r2 = PIXELS * 4 * w0 * w0 * mean(sq(FAKE));
    const { values, h } = run("r2", { D: quadraticD, w0 });
    expectNear(values.d_loss, gan.loss + (gamma / 2) * r2, "r2 d_loss");
    expectAllNear(h.grads.D[0], () => gan.grad + 4 * gamma * w0 * mean(sq(FAKE)), "∂ d_loss / ∂W");
  });

  it("DRAGAN (Kodali et al. 2017): λ·E(‖∇ D(x̃)‖ − 1)² at x̃ = x + 0.5·std(x)·u, u the latent drawn from (seed, step, u/s1)", () => {
    const lambda = 10;
    const w = 0.05;
    const std = Math.sqrt(mean(sq(REAL)) - mean(REAL) ** 2); // population std of the whole real batch
    const u = rt.rng.uniform([4, 28, 28, 1], SEED, 0, "u/s1", 0, 1);
    const uv = u.dataSync();
    u.dispose();
    const xt = (i: number, p: number) => REAL[i]! + 0.5 * std * uv[i * PIXELS + p]!;
    // ∇ D(x̃_i) = 2·W ⊙ x̃_i: its norm, and the penalty's derivative in W_p
    const norms = REAL.map((_, i) => {
      let s = 0;
      for (let p = 0; p < PIXELS; p++) s += (2 * w * xt(i, p)) ** 2;
      return Math.sqrt(s);
    });
    expect(Math.min(...norms)).toBeLessThan(1); // both sides of the target norm 1
    expect(Math.max(...norms)).toBeGreaterThan(1);
    const penalty = mean(norms.map((n) => (n - 1) ** 2));
    const dPenalty = (p: number) => mean(norms.map((n, i) => (2 * (n - 1) * 4 * w * xt(i, p) ** 2) / n));
    const ws = (v: number[]) => v.map((c) => PIXELS * w * c * c);
    const gan = ganD(ws(REAL), ws(FAKE), sq(REAL), sq(FAKE));
    const { values, h } = run("dragan", { D: quadraticD, w0: w });
    expectNear(values.d_loss, gan.loss + lambda * penalty, "dragan d_loss", 1e-4);
    expectAllNear(h.grads.D[0], (p) => gan.grad + lambda * dPenalty(p), "∂ d_loss / ∂W");
  });

  it("WGAN-div (Wu et al. 2018): k·E‖∇ D(x̂)‖^p, k = 2, p = 6; a linear critic has ∇ = W everywhere", () => {
    const w = 0.04;
    const S = PIXELS * w * w; // ‖W‖²
    const wgan = mean(FAKE.map((c) => PIXELS * w * c)) - mean(REAL.map((c) => PIXELS * w * c));
    const { values, h } = run("wgan_div", { D: linearD, w0: w });
    expectNear(values.d_loss, wgan + 2 * S ** 3, "wgan_div d_loss");
    // ∂(‖W‖²)³/∂W_p = 6·‖W‖⁴·W_p; five critic steps, the same weights each time
    expect(h.grads.D).toHaveLength(5);
    for (const g of h.grads.D) expectAllNear(g, () => mean(FAKE) - mean(REAL) + 2 * 6 * S * S * w, "∂ d_loss / ∂W");
  });
});

describe("consistency regularisation: the generated code = Zhao et al. 2021 by hand", () => {
  /** bCR's translations of image i, as the runtime documents the draw: dy then dx from [−4, 4]. */
  function shifts(stream: string): [number, number][] {
    const rng = rt.rng.prngFor(SEED, 0, stream);
    return REAL.map(() => {
      const dy = rng.nextInt(9) - 4;
      return [dy, rng.nextInt(9) - 4];
    });
  }
  /** Whether output pixel p of an image shifted by (dy, dx) comes from inside the image. */
  const inside = ([dy, dx]: [number, number], p: number) => {
    const [i, j] = [Math.floor(p / 28), p % 28];
    return i + dy >= 0 && i + dy < 28 && j + dx >= 0 && j + dx < 28;
  };

  it("bCR (Algorithm 1): λ_real·E(D(x) − D(T(x)))² + λ_fake·E(D(G(z)) − D(T(G(z))))², T a translation by up to 1/8", () => {
    const w = 0.01;
    const realShift = shifts("s1/translate_x");
    const fakeShift = shifts("s1/translate_fake");
    expect(realShift).not.toEqual(fakeShift); // real and fake are augmented independently
    const kept = ([dy, dx]: [number, number]) => (28 - Math.abs(dy)) * (28 - Math.abs(dx));
    // linear D: D(v) = 784·w·c, D(T(v)) = w·c·(pixels kept)
    const gap = (v: number[], s: [number, number][]) => v.map((c, i) => PIXELS * w * c - w * c * kept(s[i]!));
    const [gr, gf] = [gap(REAL, realShift), gap(FAKE, fakeShift)];
    expect(gr.some((g) => g !== 0)).toBe(true);
    const gan = ganD(
      REAL.map((c) => PIXELS * w * c),
      FAKE.map((c) => PIXELS * w * c),
      REAL,
      FAKE,
    );
    const { values, h } = run("bcr", { D: linearD, w0: w });
    expectNear(values.d_loss, gan.loss + 10 * mean(gr.map((g) => g * g)) + 10 * mean(gf.map((g) => g * g)), "bcr d_loss");
    // ∂(D(v) − D(T(v)))²/∂W_p = 2·gap·c·(1 − [p comes from inside])
    const term = (v: number[], gaps: number[], s: [number, number][], p: number) => mean(v.map((c, i) => 2 * gaps[i]! * c * (inside(s[i]!, p) ? 0 : 1)));
    expectAllNear(h.grads.D[0], (p) => gan.grad + 10 * term(REAL, gr, realShift, p) + 10 * term(FAKE, gf, fakeShift, p), "∂ d_loss / ∂W");
  });

  it("zCR (Algorithm 2): D pays λ_dis·E(D(G(z)) − D(G(z + σΔz)))², G gains λ_gen·E‖G(z) − G(z + σΔz)‖²", () => {
    const w = 0.01;
    const [sigma, lambdaDis, lambdaGen] = [0.03, 5, 0.5];
    // G(z) is the constant image 0.05·(1 + a)·Σz; D is linear
    const G = (z: tf.Tensor, a: tf.Variable) => tf.mul(tf.reshape(tf.mul(tf.sum(z, 1), tf.mul(tf.add(a, 1), 0.05)), [-1, 1, 1, 1]), tf.ones([1, 28, 28, 1]));
    const sums = (name: string, id: string) => {
      const t = rt.rng.normal([4, 100], SEED, 0, `${name}/${id}`);
      const s = tf.tidy(() => Array.from(tf.sum(t, 1).dataSync()));
      t.dispose();
      return s;
    };
    const [zD, dzD, zG, dzG] = [sums("z", "s1"), sums("dz", "s1"), sums("z", "s2"), sums("dz", "s2")];
    const gD = zD.map((s) => 0.05 * s);
    const gapD = dzD.map((s) => PIXELS * w * 0.05 * sigma * s); // D(G(z)) − D(G(z_t)), up to sign
    const gan = ganD(
      REAL.map((c) => PIXELS * w * c),
      gD.map((g) => PIXELS * w * g),
      REAL,
      gD,
    );
    const { values, h } = run("zcr", { D: linearD, w0: w, G });
    expectNear(values.d_loss, gan.loss + lambdaDis * mean(gapD.map((g) => g * g)), "zcr d_loss", 1e-4);
    // G's step draws its own z and Δz (stream s2): ‖G(z) − G(z_t)‖² = 784·(0.05·σ·ΣΔz)²
    const gG = zG.map((s) => 0.05 * s);
    const diff = dzG.map((s) => PIXELS * (0.05 * sigma * s) ** 2);
    expectNear(values.g_loss, mean(gG.map((g) => softplus(-PIXELS * w * g))) - lambdaGen * mean(diff), "zcr g_loss", 1e-4);
    // ∂g_loss/∂a at a = 0: the adversarial term's, minus λ_gen·2·E‖G(z) − G(z_t)‖² (it is quadratic in 1 + a)
    const dG = mean(gG.map((g) => -sigmoid(-PIXELS * w * g) * PIXELS * w * g)) - lambdaGen * 2 * mean(diff);
    expectNear(h.grads.G[0]![0], dG, "∂ g_loss / ∂a", 1e-4);
  });
});

describe("two time-scale updates and an EMA of G (ttur_ema.gan)", () => {
  it("Adam's first step moves D's weights by its rate 4e-4 and G's by 1e-4; the EMA is 0.999·old + 0.001·new after G's step", () => {
    const h = b.open("ttur_ema", { D: linearD, w0: 0.01, a0: 0.3, realOptimizers: true });
    const decay = (h.m as unknown as { ema: { G: rt.steps.Ema } }).ema.G.decay;
    expect(decay).toBe(0.999);
    const ema = new rt.steps.Ema(new rt.nn.ParamStore(SEED), [h.a], decay); // the average of the stand-in's weight
    (h.m as unknown as { ema: { G: rt.steps.Ema } }).ema.G = ema;
    const w0 = Array.from(h.W.dataSync());
    h.iterate(0);
    const w1 = h.W.dataSync();
    // Adam's first update is lr·g/(|g| + ε): the rate itself, in the direction against the gradient
    expectAllNear(Float32Array.from(w1, (v, i) => Math.abs(v - w0[i]!)), () => 4e-4, "|ΔW| (D, lr 4e-4)", 1e-3);
    const a1 = h.a.dataSync()[0]!;
    expectNear(Math.abs(a1 - 0.3), 1e-4, "|Δa| (G, lr 1e-4)", 1e-3);
    expectNear(ema.withAverage(() => h.a.dataSync()[0]!), 0.999 * 0.3 + 0.001 * a1, "EMA of a after the step", 1e-6);
  });
});
