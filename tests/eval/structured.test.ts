// Metrics of structured generators (`ganc eval`): class accuracy (cgan, acgan), InfoGAN code
// purity, and translation L1 against the do-nothing baseline (pix2pix, cyclegan, srgan) — unit
// checks with hand-made generators and classifiers, then `ganc eval` on one-step runs of the real
// specs at tiny widths. Uses the cached MNIST classifier (trained once, 2–3 minutes, if missing).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { useBackend } from "../../src/runtime/backend.js";
import { loadMnist } from "../../src/runtime/data/mnist.js";
import { transformImages } from "../../src/runtime/data/transforms.js";
import {
  classAccuracy,
  codePurity,
  evaluateClasses,
  evaluateCodes,
  evaluateTranslation,
  formatMetrics,
  heldOutPairs,
  scalarMetrics,
  type EvalMetrics,
} from "../../src/runtime/eval/index.js";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ganc-eval-structured-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
beforeAll(async () => {
  await useBackend("wasm");
});

/** A classifier stub: an image whose mean pixel (0..1) is v is class round(10 v) (mod 10), with certainty. */
const stub = {
  async predict(images: tf.Tensor) {
    const n = images.shape[0]!;
    const mean = tf.tidy(() => tf.mean(tf.reshape(images, [n, -1]), 1));
    const means = await mean.data();
    mean.dispose();
    const probs = new Float32Array(n * 10);
    for (let i = 0; i < n; i++) probs[i * 10 + (Math.round(means[i]! * 10) % 10)] = 1;
    return { probs, features: new Float32Array(0), count: n };
  },
};
/** Images the stub reads as class c, in range -1..1. */
const digitOf = (c: number, n: number) => tf.fill([n, 28, 28, 1], (2 * c) / 10 - 1);

describe("class accuracy and code purity", () => {
  it("count hits per class and majority classes per code value", () => {
    const m = classAccuracy([0, 1, 1, 2, 0, 2], [0, 0, 1, 1, 2, 2], 3);
    expect(m.class_samples).toBe(6);
    expect(m.class_accuracy).toBeCloseTo(3 / 6);
    expect(m.per_class_accuracy).toEqual([0.5, 0.5, 0.5]);
    const p = codePurity([7, 7, 3, 1, 1, 1, 4, 4], [0, 0, 0, 1, 1, 1, 2, 2], 3);
    expect(p.code_majority).toEqual([7, 1, 4]);
    expect(p.per_code_purity.map((v) => Number(v.toFixed(4)))).toEqual([0.6667, 1, 1]);
    expect(p.code_purity).toBeCloseTo((2 / 3 + 1 + 1) / 3);
    expect(p.code_classes).toBe(3);
  });

  it("a generator that draws the class asked for scores accuracy 1 and purity 1 with ten classes", async () => {
    const perfect = (v: number, n: number) => digitOf(v, n);
    const acc = await evaluateClasses(perfect, { values: 10, samples: 100, range: "-1..1", classifier: stub, batch: 4 });
    expect(acc).toEqual({ class_samples: 100, class_accuracy: 1, per_class_accuracy: new Array(10).fill(1) });
    const codes = await evaluateCodes((v, n) => digitOf((v + 3) % 10, n), { values: 10, samples: 100, range: "-1..1", classifier: stub });
    expect(codes.code_purity).toBe(1);
    expect(codes.code_classes).toBe(10);
    expect(codes.code_majority).toEqual([3, 4, 5, 6, 7, 8, 9, 0, 1, 2]);
  });

  it("a generator that ignores its class is at chance, and its code maps every value to one digit", async () => {
    const deaf = (_: number, n: number) => digitOf(3, n);
    const acc = await evaluateClasses(deaf, { values: 10, samples: 50, range: "-1..1", classifier: stub });
    expect(acc.class_accuracy).toBeCloseTo(0.1);
    expect(acc.per_class_accuracy[3]).toBe(1);
    const codes = await evaluateCodes(deaf, { values: 10, samples: 50, range: "-1..1", classifier: stub });
    expect(codes.code_purity).toBe(1);
    expect(codes.code_classes).toBe(1);
    // Half the samples of each value one digit, half another: purity 0.5.
    const split = (v: number, n: number, part: number) => digitOf(part === 0 ? v : (v + 1) % 10, n);
    const half = await evaluateCodes(split, { values: 10, samples: 80, range: "-1..1", classifier: stub, batch: 4 });
    expect(half.code_purity).toBeCloseTo(0.5);
  });
});

describe("translation L1 on held-out pairs", () => {
  it("pairs are the same MNIST test digits, transformed as the data declarations say", () => {
    const edges = heldOutPairs({ source: "mnist_pairs", args: { transform: "edges", range: [-1, 1] }, part: 0 }, { source: "mnist_pairs", args: { transform: "edges", range: [-1, 1] }, part: 1 }, 5);
    const test = loadMnist({ split: "test", range: "-1..1", limit: 5 });
    expect(edges.target.data).toEqual(test.data);
    expect(edges.input.data).toEqual(transformImages(test, "edges").data);
    expect(Array.from(edges.labels)).toEqual(Array.from(test.labels!));
    const cycle = heldOutPairs({ source: "mnist", args: { transform: "none", range: [-1, 1] } }, { source: "mnist", args: { transform: "thicken", range: [0, 1] } }, 5);
    expect(cycle.input.data).toEqual(test.data);
    expect(cycle.target.range).toBe("0..1");
    expect(cycle.target.data).toEqual(transformImages(loadMnist({ split: "test", range: "0..1", limit: 5 }), "thicken").data);
    expect(cycle.target.source).toBe("mnist test (thicken)");
  });

  it("an identity generator scores translation_l1 == identity_l1; the true map scores 0", async () => {
    const side = (transform: string, part?: number) => ({ source: part === undefined ? "mnist" : "mnist_pairs", args: { transform, range: [-1, 1] }, ...(part === undefined ? {} : { part }) });
    const edges = heldOutPairs(side("edges", 0), side("edges", 1), 60);
    const same = await evaluateTranslation((x) => x.clone(), edges, { classifier: stub, batch: 25 });
    expect(same.pairs).toBe(60);
    expect(same.translation_l1).toBeCloseTo(same.identity_l1, 6);
    expect(same.identity_l1).toBeGreaterThan(0.05);
    expect(same.identity_l1).toBeLessThan(1);
    // srgan: the baseline is the 7×7 input upsampled by nearest neighbour.
    const small = heldOutPairs(side("downsample", 0), side("downsample", 1), 40);
    expect(small.input.shape).toEqual([7, 7, 1]);
    const nearest = await evaluateTranslation((x) => tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [28, 28]), small, { classifier: false });
    expect(nearest.translation_l1).toBeCloseTo(nearest.identity_l1, 6);
    expect(nearest.output_class_accuracy).toBeUndefined();
    // cyclegan: (x, thicken(x)); a 3×3 max filter is the true map.
    const thick = heldOutPairs(side("none"), side("thicken"), 40);
    const truth = await evaluateTranslation((x) => tf.maxPool(x as tf.Tensor4D, 3, 1, "same"), thick, { classifier: false });
    expect(truth.translation_l1).toBeLessThan(1e-6);
    expect(truth.identity_l1).toBeGreaterThan(0.05);
  });
});

describe("ganc eval on one-step runs of the structured specs", () => {
  const runs: Record<string, string> = {};
  async function ganc(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
    return { code, out: out.join(""), err: err.join("") };
  }
  /** Trains `spec` one step at tiny width, evaluates it with `samples` samples; returns eval.json. */
  async function evaluated(spec: string, samples: number, set: string[] = ["ngf=4", "ndf=4"]): Promise<{ report: EvalMetrics & Record<string, unknown>; out: string }> {
    const dir = path.join(tmp, spec);
    runs[spec] = dir;
    const sets = ["batch=2", ...set].flatMap((s) => ["--set", s]);
    const trained = await ganc("run", `specs/${spec}.gan`, "--steps", "1", "--backend", "wasm", "--out", dir, ...sets);
    expect(trained.code, trained.err).toBe(0);
    const r = await ganc("eval", dir, "--samples", String(samples), "--backend", "wasm");
    expect(r.code, r.err).toBe(0);
    return { report: JSON.parse(fs.readFileSync(path.join(dir, "eval.json"), "utf8")) as EvalMetrics & Record<string, unknown>, out: r.out };
  }
  const inUnit = (v: unknown) => {
    expect(typeof v).toBe("number");
    expect(v as number).toBeGreaterThanOrEqual(0);
    expect(v as number).toBeLessThanOrEqual(1);
  };

  it.each(["cgan", "acgan"])("%s: class accuracy per class, besides the sample metrics", async (spec) => {
    const { report, out } = await evaluated(spec, 100);
    expect(report).toMatchObject({ spec, step: 1, kind: "mnist", samples: 100, class_latent: "c", class_samples: 100 });
    inUnit(report.class_accuracy);
    const per = report.per_class_accuracy as number[];
    expect(per).toHaveLength(10);
    per.forEach(inUnit);
    expect(report.class_accuracy).toBeCloseTo(per.reduce((a, b) => a + b, 0) / 10, 10);
    for (const k of ["fid", "inception_score", "classes_covered"]) expect(report).toHaveProperty(k);
    expect(report).not.toHaveProperty("code_purity");
    expect(out).toContain("class accuracy");
    expect(scalarMetrics(report)).toHaveProperty("eval_class_accuracy");
  });

  it("infogan: code purity and the digits its code values map to", async () => {
    const { report, out } = await evaluated("infogan", 100);
    expect(report).toMatchObject({ spec: "infogan", kind: "mnist", code_latent: "c", code_samples: 100 });
    expect(report.code_purity as number).toBeGreaterThanOrEqual(0.1);
    inUnit(report.code_purity);
    expect(report.code_classes as number).toBeGreaterThanOrEqual(1);
    expect(report.code_classes as number).toBeLessThanOrEqual(10);
    expect(report.code_majority as number[]).toHaveLength(10);
    expect(new Set(report.code_majority as number[]).size).toBe(report.code_classes);
    expect(report).not.toHaveProperty("class_accuracy");
    expect(out).toContain("code purity");
  });

  it.each([
    ["pix2pix", "mnist test (edges)", "mnist test"],
    ["srgan", "mnist test (downsample)", "mnist test"],
    ["cyclegan", "mnist test", "mnist test (thicken)"],
    ["cyclegan_fused", "mnist test", "mnist test (thicken)"],
  ])("%s: translation and identity L1 on held-out test pairs", async (spec, input, target) => {
    const { report, out } = await evaluated(spec, 60);
    expect(report).toMatchObject({ spec, step: 1, kind: "translation", pairs: 60, input, target });
    for (const k of ["translation_l1", "identity_l1", "output_class_accuracy", "target_class_accuracy"]) inUnit(report[k]);
    expect(report.identity_l1 as number).toBeGreaterThan(0.01);
    expect(report).not.toHaveProperty("fid");
    expect(out).toContain("translation L1");
    expect(Object.keys(scalarMetrics(report)).sort()).toEqual(["eval_identity_l1", "eval_output_class_accuracy", "eval_pairs", "eval_target_class_accuracy", "eval_translation_l1"]);
    expect(formatMetrics(report)).toContain("identity L1");
  });
});
