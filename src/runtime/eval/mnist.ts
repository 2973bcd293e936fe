/**
 * Metrics of generated MNIST digits through the cached classifier (classifier.ts):
 *
 * - `classes_covered`: digits that are the classifier's top prediction for at least one sample;
 * - `class_entropy`: entropy (nats) of the histogram of top predictions (log 10 ≈ 2.303 when every
 *   digit is equally frequent; lower means some digits are missing or rare);
 * - `inception_score`: exp E_x[KL(p(y|x) ‖ p(y))], p(y) the mean prediction (1..10; high when each
 *   sample is confidently one digit and the digits are balanced);
 * - `fid`: the Fréchet distance between the classifier features of the samples and of the 60 000
 *   training images; `fid_floor`: the same for the first N test images (N = the number of
 *   samples, since FID grows as N shrinks) — what a perfect generator would score.
 */
import * as tf from "@tensorflow/tfjs";
import { frechetDistance, gaussianOf } from "./frechet.js";
import type { ValueRange } from "../data/dataset.js";
import type { MnistClassifier } from "./classifier.js";

/** Images in a data range mapped to 0..1 (the classifier's input), clipped. A new tensor. */
export function unitImages(images: tf.Tensor, range: ValueRange): tf.Tensor {
  return tf.tidy(() => tf.clipByValue(range === "-1..1" ? tf.div(tf.add(images, 1), 2) : images, 0, 1));
}

/** The top class of each row of probabilities [n, 10]. */
export function topClasses(probs: ArrayLike<number>, n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < 10; k++) if (probs[i * 10 + k]! > probs[i * 10 + best]!) best = k;
    out[i] = best;
  }
  return out;
}

export interface MnistMetrics {
  samples: number;
  classes_covered: number;
  class_entropy: number;
  inception_score: number;
  fid: number;
  fid_floor: number;
  /** Top predictions per digit. */
  class_counts: number[];
  classifier: { version: string; test_accuracy: number };
}

/** `images` [N, 28, 28, 1] with values in 0..1 (N ≥ 2). */
export async function mnistMetrics(images: tf.Tensor, classifier: MnistClassifier): Promise<MnistMetrics> {
  const { probs, features, count: n } = await classifier.predict(images);
  const counts = new Array<number>(10).fill(0);
  const marginal = new Float64Array(10);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 0; k < 10; k++) {
      const p = probs[i * 10 + k]!;
      marginal[k]! += p / n;
      if (p > probs[i * 10 + best]!) best = k;
    }
    counts[best]!++;
  }
  let entropy = 0;
  for (const c of counts) if (c > 0) entropy -= (c / n) * Math.log(c / n);
  let kl = 0;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 10; k++) {
      const p = probs[i * 10 + k]!;
      if (p > 0) kl += p * (Math.log(p) - Math.log(marginal[k]!));
    }
  }
  const fid = frechetDistance(gaussianOf(features, n, classifier.featureDim), classifier.trainStats);
  return {
    samples: n,
    classes_covered: counts.filter((c) => c > 0).length,
    class_entropy: entropy,
    inception_score: Math.exp(kl / n),
    fid,
    fid_floor: await classifier.floor(Math.min(n, 10000)),
    class_counts: counts,
    classifier: { version: classifier.info.version, test_accuracy: classifier.info.test_accuracy },
  };
}
