// The differentiable augmentations (DiffAugment's colour, translation, cutout): each equals the
// operation computed here by hand from the draws the runtime documents, is a pure function of
// (seed, step, stream), passes gradients as its formula says, and in diffaugment.gan is applied
// to real and fake images before D with gradients reaching G; a resumed run is exact.
import * as fs from "node:fs";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as rt from "../../src/runtime/index.js";
import { checkFile } from "../../src/check/check.js";
import { moduleFor } from "../../src/cli/build.js";
import { ganc, quietStderr, readMetrics, setFlags, tempDir, tinySets, values } from "../train/helpers.js";
import { constantImages, expectAllNear, expectNear, harness, linearD, mean, SEED, softplus } from "./harness.js";

const [N, H, W] = [3, 28, 28];
let x: tf.Tensor4D;
let rgb: tf.Tensor4D;
const tmp = tempDir("augment");

beforeAll(async () => {
  await rt.useBackend("cpu");
  x = rt.rng.uniform([N, H, W, 1], 5, 0, "test/x", -1, 1) as tf.Tensor4D;
  rgb = rt.rng.uniform([N, 8, 8, 3], 5, 0, "test/rgb", -1, 1) as tf.Tensor4D;
});
afterAll(() => {
  tf.dispose([x, rgb]);
  tmp.cleanup();
});

const at = (v: Float32Array | Int32Array | Uint8Array, b: number, i: number, j: number, c = 0, h = H, w = W, ch = 1) => v[((b * h + i) * w + j) * ch + c]!;

/** Translation as documented: per example dy then dx, uniform in [−s, s], s = round(ratio·size); out(i, j) = in(i + dy, j + dx). */
function handShifts(step: number, stream: string, s: number): [number, number][] {
  const rng = rt.rng.prngFor(SEED, step, stream);
  return Array.from({ length: N }, () => {
    const dy = rng.nextInt(2 * s + 1) - s;
    return [dy, rng.nextInt(2 * s + 1) - s];
  });
}

describe("augmentations = their definition by hand", () => {
  it("translate: each image shifted by its own (dy, dx) within ±round(28/8) = ±4 pixels, zeros shifted in", () => {
    const out = rt.augment.translate(x, 0.125, SEED, 3, "s1/t");
    const [o, v] = [out.dataSync() as Float32Array, x.dataSync() as Float32Array];
    const shifts = handShifts(3, "s1/t", 4);
    expect(new Set(shifts.map(String)).size).toBeGreaterThan(1);
    for (let b = 0; b < N; b++)
      for (let i = 0; i < H; i++)
        for (let j = 0; j < W; j++) {
          const [si, sj] = [i + shifts[b]![0], j + shifts[b]![1]];
          expect(at(o, b, i, j)).toBe(si >= 0 && si < H && sj >= 0 && sj < W ? at(v, b, si, sj) : 0);
        }
    out.dispose();
  });

  it("cutout: a 14 × 14 square (ratio 1/2) at a drawn centre, clipped at the border, set to zero", () => {
    const out = rt.augment.cutout(x, 0.5, SEED, 3, "s1/c");
    const [o, v] = [out.dataSync() as Float32Array, x.dataSync() as Float32Array];
    const rng = rt.rng.prngFor(SEED, 3, "s1/c");
    // (`+ 0` below: a masked negative pixel is −0)
    for (let b = 0; b < N; b++) {
      const top = rng.nextInt(H + 1) - 7;
      const left = rng.nextInt(W + 1) - 7;
      for (let i = 0; i < H; i++)
        for (let j = 0; j < W; j++) expect(at(o, b, i, j) + 0).toBe(i >= top && i < top + 14 && j >= left && j < left + 14 ? 0 : at(v, b, i, j));
    }
    out.dispose();
  });

  it("color_jitter: brightness + (u₁ − ½), saturation × 2u₂ around the channel mean, contrast × (u₃ + ½) around the image mean", () => {
    const out = rt.augment.colorJitter(rgb, SEED, 3, "s1/j");
    const [o, v] = [out.dataSync() as Float32Array, rgb.dataSync() as Float32Array];
    const rng = rt.rng.prngFor(SEED, 3, "s1/j");
    const u = [0, 1, 2].map(() => Array.from({ length: N }, () => rng.nextFloat()));
    for (let b = 0; b < N; b++) {
      const px = (i: number, j: number, c: number) => at(v, b, i, j, c, 8, 8, 3) + u[0]![b]! - 0.5;
      const sat = (i: number, j: number, c: number) => {
        const m = (px(i, j, 0) + px(i, j, 1) + px(i, j, 2)) / 3;
        return (px(i, j, c) - m) * 2 * u[1]![b]! + m;
      };
      let total = 0;
      for (let i = 0; i < 8; i++) for (let j = 0; j < 8; j++) for (let c = 0; c < 3; c++) total += sat(i, j, c);
      const m = total / 192;
      for (let i = 0; i < 8; i++)
        for (let j = 0; j < 8; j++) for (let c = 0; c < 3; c++) expectNear(at(o, b, i, j, c, 8, 8, 3), (sat(i, j, c) - m) * (u[2]![b]! + 0.5) + m, `pixel ${b},${i},${j},${c}`, 1e-5);
    }
    out.dispose();
  });

  it("draws are a pure function of (seed, step, stream): the same again, another step or stream differs", () => {
    for (const f of [
      (step: number, s: string) => rt.augment.translate(x, 0.125, SEED, step, s),
      (step: number, s: string) => rt.augment.cutout(x, 0.5, SEED, step, s),
      (step: number, s: string) => rt.augment.colorJitter(x, SEED, step, s),
    ]) {
      const [a, again, later, other] = [f(4, "s1/a"), f(4, "s1/a"), f(5, "s1/a"), f(4, "s2/a")];
      expect(Array.from(again.dataSync())).toEqual(Array.from(a.dataSync()));
      expect(Array.from(later.dataSync())).not.toEqual(Array.from(a.dataSync()));
      expect(Array.from(other.dataSync())).not.toEqual(Array.from(a.dataSync()));
      tf.dispose([a, again, later, other]);
    }
  });

  it("gradients: translate passes R back shifted the other way, cutout masks it, color_jitter scales it by the contrast γ around the mean", () => {
    const R = rt.rng.normal([N, H, W, 1], 5, 0, "test/R");
    const gradOf = (f: (v: tf.Tensor) => tf.Tensor) => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(f(v), R)))(x).dataSync() as Float32Array;
    const r = R.dataSync() as Float32Array;
    const shifts = handShifts(3, "s1/t", 4);
    const gt = gradOf((v) => rt.augment.translate(v, 0.125, SEED, 3, "s1/t"));
    for (let b = 0; b < N; b++)
      for (let k = 0; k < H; k++)
        for (let l = 0; l < W; l++) {
          const [i, j] = [k - shifts[b]![0], l - shifts[b]![1]];
          expect(at(gt, b, k, l)).toBe(i >= 0 && i < H && j >= 0 && j < W ? at(r, b, i, j) : 0);
        }
    const cut = rt.augment.cutout(tf.onesLike(x), 0.5, SEED, 3, "s1/c").dataSync();
    expectAllNear(gradOf((v) => rt.augment.cutout(v, 0.5, SEED, 3, "s1/c")), (p) => r[p]! * cut[p]!, "cutout's gradient", 1e-6);
    // one channel: out = γ·(x + β − m) + m, m the image mean of x + β, so ∂/∂x_q Σ R·out = γ·R_q + (1 − γ)·mean(R)
    const rng = rt.rng.prngFor(SEED, 3, "s1/j");
    const u = [0, 1, 2].map(() => Array.from({ length: N }, () => rng.nextFloat()));
    const gc = gradOf((v) => rt.augment.colorJitter(v, SEED, 3, "s1/j"));
    const P = H * W;
    expectAllNear(
      gc,
      (p) => {
        const b = Math.floor(p / P);
        const gamma = u[2]![b]! + 0.5;
        return gamma * r[p]! + (1 - gamma) * mean(Array.from(r.subarray(b * P, (b + 1) * P)));
      },
      "color_jitter's gradient",
      1e-4,
    );
    R.dispose();
  });
});

describe("augmentation streams in generated code", () => {
  it("one call is one draw, inside a gradient closure too: grad(D(translate(x)), x) differentiates the translation the loss uses", async () => {
    const text = [
      `extends "${path.relative(tmp.dir, path.resolve("specs/gan.gan"))}"`,
      "let seen = D(translate(x))",
      "let pen = mean(sum(square(grad(seen, x)), per_sample = true))",
      "let other = D(translate(G(z)))",
      "loss d_loss = mean(softplus(-seen)) + mean(softplus(other)) + pen",
    ].join("\n");
    const file = path.join(tmp.dir, "probe.gan");
    fs.writeFileSync(file, text);
    const r = checkFile(file);
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const code = await moduleFor(r.ir!);
    const streams = [...code.matchAll(/rt\.augment\.translate\([^;]*?(`\$\{id\}\/[a-z_0-9]+`)\)/g)].map((m) => m[1]);
    // the loss's translate(x), the closure's recomputation of it, and translate(G(z))
    expect(streams.sort()).toEqual(["`${id}/translate_g_z`", "`${id}/translate_x`", "`${id}/translate_x`"]);
  });
});

describe("diffaugment.gan", () => {
  const REAL = [0.5, -0.3, 0.8];
  const FAKE = [-0.6, 0.2, 0.9];
  const w0 = 0.01;
  /** T as the spec writes it, colour then translation then cutout, from the draws of streams `<id>/<name>`. */
  const T = (v: tf.Tensor, step: number, id: string, names: string[]) =>
    rt.augment.cutout(rt.augment.translate(rt.augment.colorJitter(v, SEED, step, `${id}/${names[0]}`), 0.125, SEED, step, `${id}/${names[1]}`), 0.5, SEED, step, `${id}/${names[2]}`);
  const D = (v: tf.Tensor) => Array.from(tf.sum(tf.mul(v, w0), [1, 2, 3]).dataSync());

  function setUp() {
    const [real, fake] = [constantImages(REAL), constantImages(FAKE)];
    const h = harness("diffaugment", { real, D: linearD, G: (_z, a) => tf.mul(fake, tf.add(a, 1)), w0 });
    return { h, real, fake, done: () => (h.dispose(), tf.dispose([real, fake])) };
  }

  it("T is applied to real and fake before D in D's loss, and to fake in G's, with independent draws; G's gradient flows through T", () => {
    const { h, real, fake, done } = setUp();
    const values = h.iterate(2);
    const realT = D(T(real, 2, "s1", ["color_jitter_x", "translate_color_jitter", "cutout_translate"]));
    const fakeT = D(T(fake, 2, "s1", ["color_jitter_g_z", "translate_color_jitter_2", "cutout_translate_2"]));
    expectNear(values.d_loss, mean(realT.map((l) => softplus(-l))) + mean(fakeT.map(softplus)), "diffaugment d_loss");
    const gNames = ["color_jitter_g_z", "translate_color_jitter", "cutout_translate"];
    const gT = (a: tf.Tensor) => tf.mean(tf.softplus(tf.neg(tf.sum(tf.mul(T(tf.mul(fake, tf.add(a, 1)), 2, "s2", gNames), w0), [1, 2, 3]))));
    expectNear(values.g_loss, gT(tf.scalar(0)).dataSync()[0]!, "diffaugment g_loss");
    const dG = tf.grad(gT)(tf.scalar(0)).dataSync()[0]!;
    expect(Math.abs(dG)).toBeGreaterThan(1e-3); // the gradient reaches G through the augmentation
    expectNear(h.grads.G[0]![0], dG, "∂ g_loss / ∂a through T", 1e-4);
    // without T, D of a constant image is 784·w0·c: the augmentation changed what D saw
    expect(realT.map((l, i) => Math.abs(l - 784 * w0 * REAL[i]!)).some((d) => d > 1e-3)).toBe(true);
    done();
  });

  it("the same step draws the same T in a fresh run; the next step draws another", () => {
    const one = setUp();
    const [at2, at3] = [one.h.iterate(2), one.h.iterate(3)];
    one.done();
    const two = setUp();
    expect(two.h.iterate(2)).toEqual(at2);
    two.done();
    expect(at3.d_loss).not.toBe(at2.d_loss);
  });

  it("a run resumed from its step-3 checkpoint logs exactly the uninterrupted run's losses (wasm)", async () => {
    const spec = "specs/diffaugment.gan";
    const sets = setFlags([...tinySets(spec), "log_every=1"]);
    const [full, part] = [path.join(tmp.dir, "full"), path.join(tmp.dir, "part")];
    const restore = quietStderr();
    try {
      for (const [steps, out] of [["6", full], ["3", part]] as const) expect((await ganc("run", spec, "--steps", steps, "--backend", "wasm", "--no-report", "--out", out, ...sets)).code).toBe(0);
      expect((await ganc("run", "--resume", part, "--steps", "6", "--backend", "wasm")).code).toBe(0);
    } finally {
      restore();
    }
    const a = readMetrics(full).map(values);
    expect(a.map((m) => m.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(readMetrics(part).map(values)).toEqual(a);
    expect(JSON.parse(fs.readFileSync(path.join(part, "run.json"), "utf8")).resumedAt).toBe(3);
  });
});
