// Running a regulariser spec's checked-in generated module (generated/<name>.ts) with stand-ins
// whose gradients are known by hand: the real batch is constant 28x28x1 images, D is a
// function of a weight image W (a real variable), G a function of a scalar weight a. The
// optimisers are replaced by recorders that keep each step's gradient and change nothing, so
// every step of an iteration sees the same weights and the formula can be checked exactly.
// Everything else (lets, penalties, draws, augmentations, the schedule) is the generated code.
import * as fs from "node:fs";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, expect } from "vitest";
import * as rt from "../../src/runtime/index.js";
import { loadProgram } from "../../src/cli/run.js";

export const PIXELS = 28 * 28;
export const SEED = 1;

type Nets = Record<string, (...x: tf.Tensor[]) => Record<string, tf.Tensor>>;
export type Model = rt.ModelBase & { nets: Nets; vars: Record<string, tf.Variable[]>; optimizers: Record<string, tf.Optimizer>; state: Record<string, tf.Variable> };

/** A batch of constant images, image i filled with v[i]. */
export function constantImages(v: number[]): tf.Tensor4D {
  const data = new Float32Array(v.length * PIXELS);
  v.forEach((c, i) => data.fill(c, i * PIXELS, (i + 1) * PIXELS));
  return tf.tensor4d(data, [v.length, 28, 28, 1]);
}

export interface StandIns {
  /** The real batch. */
  real: tf.Tensor;
  /** D's logit [N, 1] from its input and the weight image W [28, 28, 1]. */
  D: (x: tf.Tensor, W: tf.Variable) => tf.Tensor;
  /** G's images from its latent z and the scalar weight a. */
  G: (z: tf.Tensor, a: tf.Variable) => tf.Tensor;
  /** W's value (every pixel). */
  w0: number;
  /** a's value. */
  a0?: number;
  /** Keep the spec's optimisers (they then update the weights) instead of recorders. */
  realOptimizers?: boolean;
}

export interface Harness {
  m: Model;
  W: tf.Variable;
  a: tf.Variable;
  /** The gradients each optimiser was given, in order, by network: W's as a flat array, a's as [value]. */
  grads: Record<string, Float32Array[]>;
  /** Runs iteration `step`; returns its logged values. */
  iterate(step: number): Record<string, number>;
  dispose(): void;
}

/** The generated program of `specs/<name>.gan` with the stand-ins; the batch is the real batch's size. */
export function harness(name: string, s: StandIns): Harness {
  const program = loadProgram(fs.readFileSync(`generated/${name}.ts`, "utf8"));
  program.run.batch = s.real.shape[0]!;
  const store = new rt.nn.ParamStore(SEED);
  const m = program.create({ store, seed: SEED, baseDir: "specs" }) as Model;
  const W = store.variable("test/W", [28, 28, 1], "zeros");
  const a = store.variable("test/a", [], "zeros");
  W.assign(tf.fill([28, 28, 1], s.w0));
  a.assign(tf.scalar(s.a0 ?? 0));
  m.vars.D = [W];
  m.vars.G = [a];
  m.data.x = { batch: () => [s.real.clone()] } as unknown as Model["data"]["x"];
  m.nets.D = (x) => ({ out: s.D(x, W) });
  m.nets.G = (z) => ({ out: s.G(z, a) });
  const grads: Record<string, Float32Array[]> = { D: [], G: [] };
  if (!s.realOptimizers)
    for (const net of ["D", "G"])
      m.optimizers[net] = { applyGradients: (g: tf.NamedTensorMap) => grads[net]!.push(...Object.values(g).map((t) => t.dataSync() as Float32Array)) } as unknown as tf.Optimizer;
  return {
    m,
    W,
    a,
    grads,
    iterate(step) {
      store.step = step;
      const values = program.iteration(m, step);
      const out = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.dataSync()[0]!]));
      tf.dispose(Object.values(values));
      return out;
    },
    dispose: () => store.dispose(),
  };
}

/** Linear D: the sum of W ⊙ x, so ∇_x D = W at every x. */
export const linearD = (x: tf.Tensor, W: tf.Variable) => tf.reshape(tf.sum(tf.mul(x, W), [1, 2, 3]), [-1, 1]);
/** Quadratic D: the sum of W ⊙ x², so ∇_x D = 2 W ⊙ x. */
export const quadraticD = (x: tf.Tensor, W: tf.Variable) => tf.reshape(tf.sum(tf.mul(tf.square(x), W), [1, 2, 3]), [-1, 1]);

export function expectNear(actual: number | undefined, expected: number, what: string, rel = 1e-5): void {
  expect(actual, what).toBeDefined();
  const tol = rel * Math.max(1, Math.abs(expected));
  if (!(Math.abs(actual! - expected) <= tol)) throw new Error(`${what}: generated code gives ${actual}, by hand ${expected} (tolerance ${tol})`);
}

/** Every element of `actual` within `rel` of `expected(i)`. */
export function expectAllNear(actual: Float32Array | undefined, expected: (i: number) => number, what: string, rel = 1e-4): void {
  expect(actual, what).toBeDefined();
  for (let i = 0; i < actual!.length; i++) expectNear(actual![i], expected(i), `${what}[${i}]`, rel);
}

export const mean = (v: number[]) => v.reduce((p, q) => p + q, 0) / v.length;
export const sigmoid = (l: number) => 1 / (1 + Math.exp(-l));
export const softplus = (l: number) => Math.log1p(Math.exp(l));

export const REAL = [0.5, -0.3, 0.8, 0.1]; // pixel values of the 4 real images
export const FAKE = [-0.6, 0.2, 0.9, -0.1]; // pixel values of G's 4 images

/** A harness's stand-ins on the shared batches: G defaults to `Batches.G`. */
export type OnBatches = Omit<StandIns, "real" | "G"> & Partial<Pick<StandIns, "G">>;

export interface Batches {
  real: tf.Tensor4D;
  fake: tf.Tensor4D;
  /** G's images: FAKE scaled by (1 + a), whatever z is. */
  G: StandIns["G"];
  /** The harness of `generated/<name>.ts` on these batches (G = `G` unless given), disposed after the file's tests. */
  open(name: string, s: OnBatches): Harness;
}

/** REAL and FAKE as images, made on the cpu backend before a test file's tests and disposed after. */
export function batches(): Batches {
  const opened: Harness[] = [];
  const b = {
    G: (_z: tf.Tensor, a: tf.Variable) => tf.mul(b.fake, tf.add(a, 1)),
    open(name: string, s: OnBatches) {
      const h = harness(name, { real: b.real, G: b.G, ...s });
      opened.push(h);
      return h;
    },
  } as Batches;
  beforeAll(async () => {
    await rt.useBackend("cpu");
    b.real = constantImages(REAL);
    b.fake = constantImages(FAKE);
  });
  afterAll(() => {
    opened.forEach((h) => h.dispose());
    tf.dispose([b.real, b.fake]);
  });
  return b;
}
