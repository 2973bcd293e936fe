// The MNIST evaluation classifier (trained once by ganc, cached), its metrics, and `ganc eval` /
// `eval_every` on a short MNIST run. Uses the real cache ($GANC_CACHE or ~/.cache/ganc) when it
// already holds the classifier; otherwise trains it once into a temporary cache (about 2–3
// minutes on two CPU cores with the wasm backend).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useBackend } from "../../src/runtime/backend.js";
import { loadMnist } from "../../src/runtime/data/mnist.js";
import { cacheRoot, frechetDistance, gaussianOf, mnistClassifier, mnistMetrics, MNIST_CLASSIFIER_VERSION, type MnistClassifier } from "../../src/runtime/eval/index.js";
import { Prng } from "../../src/runtime/rng.js";
import { main } from "../../src/cli/main.js";

const real = cacheRoot();
const cached = fs.existsSync(path.join(real, "mnist-classifier", MNIST_CLASSIFIER_VERSION, "info.json"));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ganc-eval-mnist-"));
const cacheDir = cached ? real : path.join(tmp, "cache");
let classifier: MnistClassifier;
let seconds = 0;
const logs: string[] = [];

beforeAll(async () => {
  await useBackend("wasm");
  process.env.GANC_CACHE = cacheDir; // for `ganc eval` below
  const t0 = performance.now();
  classifier = await mnistClassifier({ cacheDir, log: (t) => logs.push(t) });
  seconds = (performance.now() - t0) / 1000;
  console.log(`classifier ${cached ? "loaded from" : "trained into"} ${cacheDir} in ${seconds.toFixed(1)} s:`, classifier.info);
}, 600_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The first n test images (0..1) as a tensor, optionally only one digit. */
function testImages(n: number, digits?: number[]): tf.Tensor4D {
  const d = loadMnist({ split: "test", range: "0..1", limit: n, ...(digits ? { digits } : {}) });
  return tf.tensor4d(d.data, [d.count, 28, 28, 1]);
}

describe("MNIST classifier", () => {
  it("reaches at least 98% accuracy on the 10k test split, stored with it", async () => {
    expect(classifier.info.test_accuracy).toBeGreaterThanOrEqual(0.98);
    expect(await classifier.testAccuracy()).toBeCloseTo(classifier.info.test_accuracy, 3);
    if (!cached) expect(logs.join("\n")).toMatch(/MNIST classifier: test accuracy 9\d\.\d\d% \(10 000 test images\), trained in/);
    const dir = path.join(cacheDir, "mnist-classifier", MNIST_CLASSIFIER_VERSION);
    for (const f of ["model.json", "weights.bin", "info.json", "train-stats.bin"]) expect(fs.existsSync(path.join(dir, f)), f).toBe(true);
    expect(fs.readdirSync(path.dirname(dir)).filter((f) => f.includes(".tmp-") || f.endsWith(".lock"))).toEqual([]);
  });

  it("loads again from the cache (a second process gets the same predictions)", async () => {
    const again = await mnistClassifier({ cacheDir, log: () => {} });
    expect(again).toBe(classifier); // memoised per process
    const x = testImages(50);
    const p = await classifier.predict(x);
    x.dispose();
    expect(p.features.length).toBe(50 * classifier.featureDim);
    expect(p.probs.length).toBe(500);
  });

  it("FID: x vs x ≈ 0, test vs train small, noise large", async () => {
    const x = testImages(2000);
    const { features } = await classifier.predict(x);
    x.dispose();
    const g = gaussianOf(features, 2000, classifier.featureDim);
    expect(frechetDistance(g, g)).toBeLessThan(1e-6);
    const floor = await classifier.floor(2000);
    expect(floor).toBe(frechetDistance(g, classifier.trainStats));
    const r = new Prng(1);
    const noise = tf.tensor4d(Float32Array.from({ length: 2000 * 784 }, () => r.nextFloat()), [2000, 28, 28, 1]);
    const noiseFid = frechetDistance(gaussianOf((await classifier.predict(noise)).features, 2000, classifier.featureDim), classifier.trainStats);
    noise.dispose();
    console.log(`FID floor (2000 test images vs train) ${floor.toFixed(3)}, 10k ${classifier.info.fid_floor["10000"]!.toFixed(3)}; uniform noise ${noiseFid.toFixed(1)}`);
    expect(noiseFid).toBeGreaterThan(50 * floor);
    expect(classifier.info.fid_floor["10000"]!).toBeLessThan(floor);
  });

  it("metrics of real test digits: 10 classes, entropy ≈ log 10, high IS; one digit only: low", async () => {
    const x = testImages(2000);
    const m = await mnistMetrics(x, classifier);
    x.dispose();
    expect(m.classes_covered).toBe(10);
    expect(m.class_entropy).toBeGreaterThan(Math.log(10) - 0.02);
    expect(m.inception_score).toBeGreaterThan(8.5);
    expect(m.fid).toBeCloseTo(m.fid_floor, 10);
    const ones = testImages(500, [1]);
    const m1 = await mnistMetrics(ones, classifier);
    ones.dispose();
    expect(m1.classes_covered).toBeLessThanOrEqual(3);
    expect(m1.class_entropy).toBeLessThan(0.1);
    expect(m1.inception_score).toBeLessThan(1.2);
    expect(m1.fid).toBeGreaterThan(10 * m.fid_floor);
    console.log("real test digits:", { ...m, class_counts: undefined }, "only 1s:", { fid: m1.fid, is: m1.inception_score });
  });
});

describe("ganc eval on an MNIST run", () => {
  it("eval_every logs FID during training; ganc eval writes the MNIST metrics", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t) };
    const runDir = path.join(tmp, "dcgan");
    const sets = ["ngf=8", "ndf=8", "batch=16", "eval_every=2", "log_every=1"].flatMap((s) => ["--set", s]);
    expect(await main(["run", "specs/dcgan.gan", "--steps", "2", "--backend", "wasm", "--out", runDir, ...sets], io), err.join("")).toBe(0);
    const lines = fs.readFileSync(path.join(runDir, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, number>);
    const ev = lines.find((l) => "eval_fid" in l)!;
    expect(ev).toMatchObject({ step: 2, eval_samples: 500 });
    for (const k of ["eval_classes_covered", "eval_class_entropy", "eval_inception_score", "eval_fid_floor"]) expect(ev).toHaveProperty(k);
    expect(ev.eval_fid).toBeGreaterThan(ev.eval_fid_floor!);

    expect(await main(["eval", runDir, "--samples", "600", "--backend", "wasm"], io), err.join("")).toBe(0);
    const report = JSON.parse(fs.readFileSync(path.join(runDir, "eval.json"), "utf8")) as Record<string, unknown>;
    expect(report).toMatchObject({ spec: "dcgan", step: 2, kind: "mnist", samples: 600 });
    for (const k of ["classes_covered", "class_entropy", "inception_score", "fid", "fid_floor", "class_counts", "classifier"]) expect(report).toHaveProperty(k);
    expect(out.join("")).toContain("FID (classifier)");
  });
});
