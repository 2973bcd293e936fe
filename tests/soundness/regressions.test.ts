// Issue 10's soundness bugs, each on a tiny case computed by hand: the generated code computes
// what the checker typed. The spec's networks and real data are replaced by fixed stand-ins after
// `create()` (as tests/zoo/losses.test.ts does): the real batch is X, D is the linear map
// x -> x·W (differentiable, so `grad` has a known value W per sample), G returns FAKE.
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as rt from "../../src/runtime/index.js";
import { compileText, type Compiled } from "./compile.js";

const X = [
  [3, 4],
  [1, 0],
  [0, -2],
  [6, 8],
]; // norms 5, 1, 2, 10
const W = [0.5, 0.25]; // D(X) = 2.5, 0.5, -0.5, 5
const FAKE = [
  [1, 1],
  [0, 2],
  [-1, 0],
  [2, -2],
];

const norm = (v: number[]) => Math.hypot(...v);
const dot = (v: number[]) => v[0]! * W[0]! + v[1]! * W[1]!;
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const D_REAL = X.map(dot);

type Model = rt.ModelBase & {
  nets: Record<string, (...x: tf.Tensor[]) => Record<string, tf.Tensor>>;
  vars: Record<string, tf.Variable[]>;
};

interface StandIns {
  x: tf.Tensor;
  /** D's output for a batch (default x·W as [N, 1]). */
  D?: (x: tf.Tensor) => tf.Tensor;
  /** D's outputs by name, for a multi-output D. */
  outputs?: (x: tf.Tensor) => Record<string, tf.Tensor>;
  G: () => tf.Tensor;
}

/** One iteration of `c`'s program with the stand-ins: its logged values. */
function iterate(c: Compiled, s: StandIns): Record<string, number> {
  const store = new rt.nn.ParamStore(1);
  try {
    const m = c.program.create({ store, seed: 1, baseDir: "." }) as Model;
    const wD = store.variable("test/wD", [1], "zeros");
    const wG = store.variable("test/wG", [1], "zeros");
    m.vars.D = [wD];
    m.vars.G = [wG];
    const zero = (w: tf.Variable) => tf.mul(tf.sum(w), 0);
    m.data.x = { batch: () => [s.x.clone()] };
    m.nets.G = () => ({ out: tf.add(s.G(), zero(wG)) });
    m.nets.D = (x: tf.Tensor) =>
      s.outputs
        ? Object.fromEntries(Object.entries(s.outputs(x)).map(([k, v]) => [k, tf.add(v, zero(wD))]))
        : { out: tf.add(s.D ? s.D(x) : tf.matMul(x as tf.Tensor2D, tf.tensor2d(W, [2, 1])), zero(wD)) };
    const values = c.program.iteration(m, 0);
    const out = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.dataSync()[0]!]));
    tf.dispose(Object.values(values));
    return out;
  } finally {
    store.dispose();
  }
}

const TOY = `
data x = ring(modes = 8, radius = 1, std = 0.01)
latent z = normal(2)
network G(z: [2]) -> [2] { dense(2) }
network D(x: [2]) -> [1] { dense(1) }
state ema_real = 0
let real_logits = D(x)
let fake_logits = D(G(z))
let weighted = norm(x) * real_logits
let normalised = real_logits / (norm(grad(real_logits, x)) + abs(real_logits))
loss d_loss = mean(fake_logits) - mean(weighted) - mean(normalised)
loss g_loss = -mean(fake_logits)
monitor mean_real = mean(real_logits)
monitor weighted_mean = mean(weighted)
monitor normalised_mean = mean(normalised)
optimizer D = sgd(lr = 0.1)
optimizer G = sgd(lr = 0.1)
schedule {
  step D minimize d_loss
  ema_real = 0.5 * ema_real + 0.5 * mean(real_logits)
  step G minimize g_loss
}
run { batch = 4 }
`;

let kept: tf.Tensor[] = [];
beforeAll(async () => {
  await rt.useBackend("cpu");
});
afterAll(() => tf.dispose(kept));
const keep = <T extends tf.Tensor>(t: T): T => (kept.push(t), t);

describe("per-sample values of different ranks broadcast as the checker says", () => {
  it("mean(norm(x) * D(x)) is the mean of the per-sample products, not of an outer product", async () => {
    const v = iterate(await compileText(TOY), {
      x: keep(tf.tensor2d(X)),
      G: () => tf.tensor2d(FAKE),
    });
    const perSample = mean(X.map((x) => norm(x) * dot(x))); // (12.5 + 0.5 - 1 + 50) / 4
    expect(perSample).toBe(15.5);
    expect(v.weighted_mean).toBeCloseTo(perSample, 5);
    expect(v.weighted_mean).not.toBeCloseTo(mean(X.map(norm)) * mean(D_REAL), 1); // 8.4375, the outer product
  });

  it("a gradient-normalised D, D(x) / (norm(grad(D(x), x)) + abs(D(x))), is computed per sample", async () => {
    const v = iterate(await compileText(TOY), {
      x: keep(tf.tensor2d(X)),
      G: () => tf.tensor2d(FAKE),
    });
    const g = norm(W); // grad of x·W with respect to x is W for every sample
    expect(v.normalised_mean).toBeCloseTo(mean(D_REAL.map((d) => d / (g + Math.abs(d)))), 5);
  });

  it("[28, 28, 1] - [100] checks and runs: the [100] vector is aligned on the last axis", async () => {
    const spec = `
data x = mnist(split = "train", range = [-1, 1])
latent z = normal(8)
network G(z: [8]) -> [100] { dense(100) }
network D(x: [28, 28, 1]) -> [1] { flatten
  dense(1) }
let diff = x - G(z)
loss d_loss = mean(D(x)) + mean(diff)
loss g_loss = mean(diff)
monitor diff_mean = mean(diff)
optimizer D = sgd(lr = 0.1)
optimizer G = sgd(lr = 0.1)
schedule {
  step D minimize d_loss
  step G minimize g_loss
}
run { batch = 4 }
`;
    const pixels = [0.5, -0.25, 1, 0];
    const fake = [2, -1, 0.5, 0.25];
    const images = keep(
      tf.tensor4d(
        pixels.flatMap((p) => new Array<number>(784).fill(p)),
        [4, 28, 28, 1],
      ),
    );
    const v = iterate(await compileText(spec), {
      x: images,
      D: (x) => tf.mean(x, [1, 2, 3]).reshape([-1, 1]),
      G: () =>
        tf.tensor2d(
          fake.map((f, i) => new Array<number>(100).fill(f + (i % 2) * 0)),
          [4, 100],
        ),
    });
    expect(v.diff_mean).toBeCloseTo(mean(pixels.map((p, i) => p - fake[i]!)), 5);
  });
});

describe("monitors and state updates read the lets a step computes", () => {
  it("a monitor reads a tensor let (mean(real_logits)) and a state update keeps an EMA of it", async () => {
    const v = iterate(await compileText(TOY), {
      x: keep(tf.tensor2d(X)),
      G: () => tf.tensor2d(FAKE),
    });
    expect(v.mean_real).toBeCloseTo(mean(D_REAL), 5); // 1.875
    expect(v.ema_real).toBeCloseTo(0.5 * mean(D_REAL), 5);
  });
});

describe("monitors read the outputs of a multi-output let", () => {
  it("mean(real.source) and a state update of it", async () => {
    const spec = `
data x = ring(modes = 8, radius = 1, std = 0.01)
latent z = normal(2)
network G(z: [2]) -> [2] { dense(2) }
network D(x: [2]) -> (source: [1], feat: [3]) {
  head source { dense(1) }
  head feat { dense(3) }
}
state ema_feat = 0
let real = D(x)
let fake = D(G(z))
loss d_loss = mean(fake.source) - mean(real.source)
loss g_loss = -mean(fake.source)
monitor real_source = mean(real.source)
optimizer D = sgd(lr = 0.1)
optimizer G = sgd(lr = 0.1)
schedule {
  step D minimize d_loss
  ema_feat = 0.5 * ema_feat + 0.5 * mean(real.feat)
  step G minimize g_loss
}
run { batch = 4 }
`;
    const feat = [
      [1, 2, 3],
      [0, 0, 0],
      [-1, 4, 0.5],
      [2, 2, 2],
    ];
    const v = iterate(await compileText(spec), {
      x: keep(tf.tensor2d(X)),
      outputs: (x) => ({ source: tf.matMul(x as tf.Tensor2D, tf.tensor2d(W, [2, 1])), feat: tf.tensor2d(feat) }),
      G: () => tf.tensor2d(FAKE),
    });
    expect(v.real_source).toBeCloseTo(mean(D_REAL), 5);
    expect(v.ema_feat).toBeCloseTo(0.5 * mean(feat.flat()), 5);
  });
});

describe("--check-shapes", () => {
  it("stops at a value whose run-time shape is not the inferred one, naming the spec line and both shapes", async () => {
    const c = await compileText(TOY);
    // a D that returns [N] where the spec declares [1]: [N, 1] is what the checker inferred
    let message = "";
    try {
      iterate(c, {
        x: keep(tf.tensor2d(X)),
        D: (x) => tf.sum(x, 1),
        G: () => tf.tensor2d(FAKE),
      });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(
      /shape check failed: output `out` of `D` \(spec\.gan:8: let fake_logits = D\(G\(z\)\)\) is \[4\] at run time, but the checker inferred \[4, 1\] \(\[batch, 1\]\)/,
    );
  });

  it("is not in the code `ganc build` writes", async () => {
    expect((await compileText(TOY, { checkShapes: false })).code).not.toContain("expectShape");
    expect((await compileText(TOY)).code).toMatch(/rt\.expectShape\(\s*weighted,\s*\[run\.batch, 1\]/);
  });
});
