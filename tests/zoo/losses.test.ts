// Each loss family of the zoo, computed by the checked-in generated module of its spec
// (generated/<name>.ts, loaded with `loadProgram`), equals the value computed by hand here from
// the paper's formula. The spec's networks and data are swapped for fixed stand-ins after
// `create()`: the real batch is 4 constant images with pixel values c_i, G returns 4 constant
// images f_i, and D returns the per-sample pixel mean, so D's logits are exactly the c_i
// (real) and f_i (fake). Everything else (lets, losses, CSE, the schedule, state updates,
// monitors) is the generated code of the spec.
import * as fs from "node:fs";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as rt from "../../src/runtime/index.js";
import { loadProgram } from "../../src/cli/run.js";

const REAL = [1.3, -0.4, 0.25, 2.1]; // D's logits on the real batch
const FAKE = [-0.7, 0.9, -1.6, 0.05]; // D's logits on G's batch

// ---------------------------------------------------------------- by hand (float64)

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const sigmoid = (l: number) => 1 / (1 + Math.exp(-l));
/** −E log σ(real) − E log(1 − σ(fake)): the GAN discriminator loss (BCE on logits). */
const ganD = (r: number[], f: number[]) => -mean(r.map((l) => Math.log(sigmoid(l)))) - mean(f.map((l) => Math.log(1 - sigmoid(l))));

// ---------------------------------------------------------------- the generated module, with stand-ins

type Model = rt.ModelBase & { nets: Record<string, (...x: tf.Tensor[]) => Record<string, tf.Tensor>>; vars: Record<string, tf.Variable[]> };

/** A batch of constant 28x28x1 images, image i filled with v[i]. */
function constantImages(v: number[]): tf.Tensor4D {
  const data = new Float32Array(v.length * 784);
  v.forEach((c, i) => data.fill(c, i * 784, (i + 1) * 784));
  return tf.tensor4d(data, [v.length, 28, 28, 1]);
}

const kept: tf.Tensor[] = [];
let store: rt.nn.ParamStore;

beforeAll(async () => {
  await rt.useBackend("cpu");
});
afterAll(() => {
  tf.dispose(kept);
});

interface StandIns {
  /** D's outputs for an input batch [N, 28, 28, 1] (plus a dummy trainable variable times zero). */
  D?: (x: tf.Tensor) => Record<string, tf.Tensor>;
}

/**
 * The spec's generated program with D, G and the real data replaced; returns one iteration's
 * logged values (losses are evaluated before that iteration's updates; D and G do not depend
 * on the variables they update, so every step of an iteration sees the same values).
 */
function runSpec(name: string, o: StandIns = {}, iterations = 1): Record<string, number>[] {
  const program = loadProgram(fs.readFileSync(`generated/${name}.ts`, "utf8"));
  store?.dispose();
  store = new rt.nn.ParamStore(1);
  const m = program.create({ store, seed: 1, baseDir: "specs" }) as Model;
  const real = constantImages(REAL);
  const fake = constantImages(FAKE);
  kept.push(real, fake);
  // a trainable variable for each network, so the steps have something to differentiate
  const wD = store.variable("test/wD", [1], "zeros");
  const wG = store.variable("test/wG", [1], "zeros");
  m.vars.D = [wD];
  m.vars.G = [wG];
  const zero = (w: tf.Variable) => tf.mul(tf.sum(w), 0);
  m.data.x = { batch: () => [real] };
  m.nets.G = () => ({ out: tf.add(fake, zero(wG)) });
  const logits = (x: tf.Tensor) => ({ out: tf.add(tf.mean(x, [1, 2, 3]).reshape([-1, 1]), zero(wD)) });
  m.nets.D = o.D ? (x: tf.Tensor) => Object.fromEntries(Object.entries(o.D!(x)).map(([k, v]) => [k, tf.add(v, zero(wD))])) : logits;
  const out: Record<string, number>[] = [];
  for (let step = 0; step < iterations; step++) {
    store.step = step;
    const values = program.iteration(m, step);
    out.push(Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.dataSync()[0]!])));
    tf.dispose(Object.values(values));
  }
  return out;
}

function expectNear(actual: number | undefined, expected: number, what: string): void {
  expect(actual, what).toBeDefined();
  const tol = 1e-5 * Math.max(1, Math.abs(expected));
  if (!(Math.abs(actual! - expected) <= tol)) throw new Error(`${what}: generated code gives ${actual}, by hand ${expected} (tolerance ${tol})`);
}

function expectLosses(name: string, d: number, g: number, o: StandIns = {}): void {
  const [v] = runSpec(name, o);
  expectNear(v!.d_loss, d, `${name} d_loss`);
  expectNear(v!.g_loss, g, `${name} g_loss`);
}

// ---------------------------------------------------------------- the families

describe("loss families: generated code = formula by hand", () => {
  it("GAN, non-saturating (gan, and dcgan's bce_logits form)", () => {
    const g = -mean(FAKE.map((l) => Math.log(sigmoid(l))));
    expectLosses("gan", ganD(REAL, FAKE), g);
    expectLosses("dcgan", ganD(REAL, FAKE), g);
  });

  it("GAN, minimax (saturating G)", () => {
    expectLosses("gan_minimax", ganD(REAL, FAKE), mean(FAKE.map((l) => Math.log(1 - sigmoid(l)))));
  });

  it("one-sided label smoothing: real target 0.9", () => {
    const bce = (l: number, t: number) => -(t * Math.log(sigmoid(l)) + (1 - t) * Math.log(1 - sigmoid(l)));
    const d = mean(REAL.map((l) => bce(l, 0.9))) + mean(FAKE.map((l) => bce(l, 0)));
    expectLosses("dcgan_label_smoothing", d, mean(FAKE.map((l) => bce(l, 1))));
  });

  it("LSGAN", () => {
    const d = 0.5 * mean(REAL.map((l) => (l - 1) ** 2)) + 0.5 * mean(FAKE.map((l) => l ** 2));
    expectLosses("lsgan", d, 0.5 * mean(FAKE.map((l) => (l - 1) ** 2)));
  });

  it("WGAN", () => {
    expectLosses("wgan", mean(FAKE) - mean(REAL), -mean(FAKE));
  });

  it("hinge (SN-GAN)", () => {
    const d = mean(REAL.map((l) => Math.max(0, 1 - l))) + mean(FAKE.map((l) => Math.max(0, 1 + l)));
    expectLosses("hinge_sngan", d, -mean(FAKE));
  });

  it("relativistic average (RaSGAN)", () => {
    const realRel = REAL.map((l) => l - mean(FAKE));
    const fakeRel = FAKE.map((l) => l - mean(REAL));
    // D: BCE(real − E fake, 1) + BCE(fake − E real, 0); G: the roles swapped
    expectLosses("ragan", ganD(realRel, fakeRel), ganD(fakeRel, realRel));
  });

  it("relativistic average hinge (RaHingeGAN)", () => {
    const realRel = REAL.map((l) => l - mean(FAKE));
    const fakeRel = FAKE.map((l) => l - mean(REAL));
    const hinge = (r: number[], f: number[]) => mean(r.map((l) => Math.max(0, 1 - l))) + mean(f.map((l) => Math.max(0, 1 + l)));
    expect(realRel.some((l) => l > 1) && realRel.some((l) => l < 1)).toBe(true); // both sides of the hinge
    expectLosses("ra_hinge", hinge(realRel, fakeRel), hinge(fakeRel, realRel));
  });

  // f-GAN (Nowozin et al. 2016, table 2): T = g_f(V), D minimises −(E T(x) − E f*(T(G(z)))),
  // G minimises −E T(G(z)).
  const fgan = (gf: (v: number) => number, fstar: (t: number) => number) => ({
    d: -(mean(REAL.map(gf)) - mean(FAKE.map((v) => fstar(gf(v))))),
    g: -mean(FAKE.map(gf)),
  });

  it("f-GAN, KL: g_f(v) = v, f*(t) = exp(t − 1)", () => {
    const { d, g } = fgan(
      (v) => v,
      (t) => Math.exp(t - 1),
    );
    expectLosses("fgan_kl", d, g);
  });

  it("f-GAN, reverse KL: g_f(v) = −exp(−v), f*(t) = −1 − log(−t)", () => {
    const { d, g } = fgan(
      (v) => -Math.exp(-v),
      (t) => -1 - Math.log(-t),
    );
    expectLosses("fgan_reverse_kl", d, g);
  });

  it("f-GAN, Pearson χ²: g_f(v) = v, f*(t) = t²/4 + t", () => {
    const { d, g } = fgan(
      (v) => v,
      (t) => (t * t) / 4 + t,
    );
    expectLosses("fgan_pearson", d, g);
  });

  it("EBGAN: energy, margin m = 10 (per sample), pulling-away term 0.1 on the encoder's codes", () => {
    // D reconstructs x as 0.9·x + 0.02 (so each sample's energy is 784·(0.02 − 0.1·c)²) and
    // its encoder output is S = [c, c², 1] for an image of constant c.
    const D = (x: tf.Tensor) => {
      const c = tf.mean(x, [1, 2, 3]).reshape([-1, 1]);
      return { out: tf.add(tf.mul(x, 0.9), 0.02), code: tf.concat([c, tf.square(c), tf.onesLike(c)], 1) };
    };
    const energy = (c: number) => 784 * (0.02 - 0.1 * c) ** 2;
    const realE = REAL.map(energy);
    const fakeE = FAKE.map(energy);
    expect(fakeE.some((e) => e > 10) && fakeE.some((e) => e < 10)).toBe(true); // both sides of the margin
    const d = mean(realE) + mean(fakeE.map((e) => Math.max(0, 10 - e)));
    const S = FAKE.map((c) => [c, c * c, 1]);
    const dot = (a: number[], b: number[]) => a.reduce((s, ai, k) => s + ai * b[k]!, 0);
    let pt = 0;
    for (let i = 0; i < S.length; i++)
      for (let j = 0; j < S.length; j++) if (i !== j) pt += (dot(S[i]!, S[j]!) / Math.sqrt(dot(S[i]!, S[i]!) * dot(S[j]!, S[j]!))) ** 2;
    pt /= S.length * (S.length - 1);
    expectLosses("ebgan", d, mean(fakeE) + 0.1 * pt, { D });
  });

  it("BEGAN: L1 reconstruction, k_t control, M_global", () => {
    // D reconstructs x as x − 0.4·x³: L(v) = E|0.4·v³|; γ·L(real) > L(fake) here, so k grows
    const D = (x: tf.Tensor) => ({ out: tf.sub(x, tf.mul(tf.pow(x, 3), 0.4)) });
    const L = (v: number[]) => mean(v.map((c) => Math.abs(0.4 * c ** 3)));
    const lReal = L(REAL);
    const lFake = L(FAKE);
    const [first, second] = runSpec("began", { D }, 2);
    const gamma = 0.75; // specs/began.gan
    const lambdaK = 0.001;
    const k1 = Math.min(1, Math.max(0, 0 + lambdaK * (gamma * lReal - lFake)));
    expect(k1).toBeGreaterThan(0);
    expectNear(first!.d_loss, lReal - 0 * lFake, "began d_loss at k_0 = 0");
    expectNear(first!.g_loss, lFake, "began g_loss");
    expectNear(first!.k, k1, "began k_1");
    expectNear(first!.m_global, lReal + Math.abs(gamma * lReal - lFake), "began M_global");
    expectNear(second!.d_loss, lReal - k1 * lFake, "began d_loss at k_1");
    expectNear(second!.k, Math.min(1, Math.max(0, k1 + lambdaK * (gamma * lReal - lFake))), "began k_2");
  });
});
