/**
 * Metrics of image-to-image generators G(input) on held-out pairs whose true pairing is known
 * because both sides come from the same MNIST test digit through ganc's transforms (data/transforms.ts):
 *
 * - pix2pix, `mnist_pairs(transform = "edges")`: (edges(x), x); srgan, `mnist_pairs(transform =
 *   "downsample")`: (downsample(x), x);
 * - CycleGAN, `mnist(...)` vs `mnist(transform = "thicken")`: (x, thicken(x)) for G: X → Y.
 *
 * `translation_l1` = mean |G(input) − target| and `identity_l1` = mean |input − target| (the input
 * resized by nearest neighbour to the target's size when smaller, as for srgan), both in 0..1
 * pixel units whatever the data's range: G is worth something where translation_l1 is below
 * identity_l1. With 28×28×1 outputs, also the MNIST classifier's agreement with the digit's
 * label: `output_class_accuracy` for G(input) and `target_class_accuracy` for the targets (the
 * classifier's accuracy on the target domain, e.g. below its test accuracy on thickened digits).
 */
import * as tf from "@tensorflow/tfjs";
import type { Dataset, ValueRange } from "../data/dataset.js";
import { loadMnist } from "../data/mnist.js";
import { pairedByTransform, transformImages, type TransformName } from "../data/transforms.js";
import { RuntimeUserError } from "../errors.js";
import type { ClassifierOptions, MnistClassifier } from "./classifier.js";
import { classifierOf } from "./conditional.js";
import { topClasses, unitImages } from "./mnist.js";

/** The value range of a data declaration's `range` argument ([-1, 1] when absent); null when ganc has no such range. */
export function rangeOf(r: unknown): ValueRange | null {
  if (!Array.isArray(r)) return "-1..1";
  if (r[0] === -1 && r[1] === 1) return "-1..1";
  if (r[0] === 0 && r[1] === 1) return "0..1";
  return null;
}

/**
 * One side of a translation pair, as a spec's data declaration gives it: an `mnist` source
 * (optionally transformed) or one `part` of an `mnist_pairs` source (0: the transformed input,
 * 1: the digit).
 */
export interface MnistSide {
  source: string;
  args: Record<string, unknown>;
  part?: number;
}

export interface HeldOutPairs {
  input: Dataset;
  target: Dataset;
  /** The digit of each pair. */
  labels: Int32Array;
}

/** The first n MNIST test digits (after the side's digit filter) as the side sees them. */
function heldOutSide(s: MnistSide, n: number): Dataset {
  const range = rangeOf(s.args.range);
  if (range === null) throw new RuntimeUserError(`translation metrics need data in range [-1, 1] or [0, 1], not [${String(s.args.range)}]`);
  const digits = (s.args.digits as number[] | undefined) ?? [];
  const base = loadMnist({ split: "test", range, labels: true, limit: n, ...(digits.length ? { digits } : {}) });
  const transform = (s.args.transform as string | undefined) ?? "none";
  if (s.source === "mnist") return transform === "none" ? base : { ...transformImages(base, transform as TransformName), source: `${base.source} (${transform})` };
  if (s.source === "mnist_pairs") {
    const p = pairedByTransform(base, transform as TransformName);
    return s.part === 0 ? p.a : p.b;
  }
  throw new RuntimeUserError(`translation metrics need MNIST-derived data (mnist or mnist_pairs), not \`${s.source}\``);
}

/**
 * n aligned held-out pairs from the MNIST test split: both sides are the same test digits, each
 * transformed as its data declaration says (the training data comes from the train split).
 */
export function heldOutPairs(input: MnistSide, target: MnistSide, n: number): HeldOutPairs {
  if (!Number.isInteger(n) || n < 1) throw new RuntimeUserError(`translation metrics need at least one pair, got ${n}`);
  const digitsOf = (s: MnistSide) => JSON.stringify((s.args.digits as number[] | undefined) ?? []);
  if (digitsOf(input) !== digitsOf(target)) throw new RuntimeUserError("translation metrics need both domains drawn from the same digits (their `digits` arguments differ)");
  const a = heldOutSide(input, n);
  const b = heldOutSide(target, n);
  return { input: a, target: b, labels: a.labels! };
}

export interface TranslationMetrics {
  pairs: number;
  translation_l1: number;
  identity_l1: number;
  /** The classifier's agreement with the digit label, for G(input) and for the target (28×28×1 outputs only). */
  output_class_accuracy?: number;
  target_class_accuracy?: number;
  input: string;
  target: string;
}

/**
 * Sums over a batch of pairs: Σ|G(input) − target| and Σ|resize(input) − target| in 0..1 units.
 * `output` is in the target's range.
 */
export async function l1Sums(output: tf.Tensor, input: tf.Tensor, target: tf.Tensor, ranges: { input: ValueRange; target: ValueRange }): Promise<{ translation: number; identity: number }> {
  const sums = tf.tidy(() => {
    if (output.shape.join() !== target.shape.join()) throw new RuntimeUserError(`the generator's output [${output.shape.slice(1).join(", ")}] does not match the target [${target.shape.slice(1).join(", ")}]`);
    const [h, w, c] = target.shape.slice(1) as [number, number, number];
    if (input.shape[3] !== c) throw new RuntimeUserError(`the identity baseline needs as many channels in the input as in the target (${input.shape[3]} vs ${c})`);
    const sized = input.shape[1] === h && input.shape[2] === w ? input : tf.image.resizeNearestNeighbor(input as tf.Tensor4D, [h, w]);
    const unitTarget = unitImages(target, ranges.target);
    const translation = tf.sum(tf.abs(tf.sub(unitImages(output, ranges.target), unitTarget)));
    const identity = tf.sum(tf.abs(tf.sub(unitImages(sized, ranges.input), unitTarget)));
    return tf.stack([translation, identity]);
  });
  try {
    const [translation, identity] = await sums.data();
    return { translation: translation!, identity: identity! };
  } finally {
    sums.dispose();
  }
}

export interface TranslationOptions {
  /** Largest generator call (default 250). */
  batch?: number;
  /** For the class agreement: the classifier, or options for the cached one; `false` to skip it. */
  classifier?: ClassifierOptions | Pick<MnistClassifier, "predict"> | false;
}

/** Translation metrics of `translate` (input batch → output batch in the target's range) over held-out pairs. */
export async function evaluateTranslation(translate: (input: tf.Tensor) => tf.Tensor, pairs: HeldOutPairs, options: TranslationOptions = {}): Promise<TranslationMetrics> {
  const { input, target, labels } = pairs;
  const n = Math.min(input.count, target.count);
  const batch = options.batch ?? 250;
  const inSize = input.shape.reduce((a, b) => a * b, 1);
  const outSize = target.shape.reduce((a, b) => a * b, 1);
  const digits = target.shape.join() === "28,28,1" && options.classifier !== false;
  const classifier = digits ? await classifierOf(options.classifier === false ? undefined : options.classifier) : undefined;
  let translation = 0;
  let identity = 0;
  let outputHits = 0;
  let targetHits = 0;
  for (let i = 0; i < n; i += batch) {
    const k = Math.min(batch, n - i);
    const x = tf.tensor(input.data.subarray(i * inSize, (i + k) * inSize), [k, ...input.shape]);
    const y = tf.tensor(target.data.subarray(i * outSize, (i + k) * outSize), [k, ...target.shape]);
    const out = translate(x);
    try {
      const sums = await l1Sums(out, x, y, { input: input.range, target: target.range });
      translation += sums.translation;
      identity += sums.identity;
      if (classifier) {
        const hits = async (images: tf.Tensor) => {
          const unit = unitImages(images, target.range);
          try {
            const top = topClasses((await classifier.predict(unit)).probs, k);
            return top.reduce((s, c, j) => s + (c === labels[i + j] ? 1 : 0), 0);
          } finally {
            unit.dispose();
          }
        };
        outputHits += await hits(out);
        targetHits += await hits(y);
      }
    } finally {
      tf.dispose([x, y, out]);
    }
  }
  return {
    pairs: n,
    translation_l1: translation / (n * outSize),
    identity_l1: identity / (n * outSize),
    ...(classifier ? { output_class_accuracy: outputHits / n, target_class_accuracy: targetHits / n } : {}),
    input: input.source,
    target: target.source,
  };
}
