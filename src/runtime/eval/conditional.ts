/**
 * Metrics of generators with a categorical input, through the MNIST classifier (classifier.ts):
 *
 * - conditional generators (cgan, acgan: the input is the digit to draw): for each class c,
 *   N/k samples drawn with class c; `class_accuracy` is the fraction the classifier puts in the
 *   class asked for (overall, and `per_class_accuracy` per class; 0.1 is chance for 10 classes);
 * - InfoGAN codes (the generator invents what each code value means): for each code value,
 *   N/k samples; `code_purity` is the mean over code values of the fraction of that value's
 *   samples in its majority class (1 when every value draws one digit; near 0.1 when a value
 *   draws every digit alike), `code_majority` the majority class of each value, and
 *   `code_classes` how many distinct digits the values map to (10 for a code that found all
 *   ten digits; fewer when values share a digit).
 *
 * The generator is a callback, so this module knows nothing of specs: `generate(value, n, part)`
 * returns n images [n, 28, 28, 1] in the data's range, all drawn with the categorical input set
 * to `value` (`part` numbers the calls for the same value, for independent draws).
 */
import * as tf from "@tensorflow/tfjs";
import type { ValueRange } from "../data/dataset.js";
import { RuntimeUserError } from "../errors.js";
import { mnistClassifier, type ClassifierOptions, type MnistClassifier } from "./classifier.js";
import { topClasses, unitImages } from "./mnist.js";

export type ValueGenerator = (value: number, n: number, part: number) => tf.Tensor;

export interface ClassMetrics {
  /** Samples per class × classes. */
  class_samples: number;
  class_accuracy: number;
  per_class_accuracy: number[];
}

export interface CodeMetrics {
  /** Samples per code value × values. */
  code_samples: number;
  code_purity: number;
  /** Distinct majority classes over the code values. */
  code_classes: number;
  /** The majority class of each code value. */
  code_majority: number[];
  /** The fraction of each code value's samples in its majority class. */
  per_code_purity: number[];
}

/** `predicted[i]` vs the class `intended[i]` asked for, over `classes` classes. */
export function classAccuracy(predicted: ArrayLike<number>, intended: ArrayLike<number>, classes = 10): ClassMetrics {
  const hits = new Array<number>(classes).fill(0);
  const totals = new Array<number>(classes).fill(0);
  let correct = 0;
  for (let i = 0; i < intended.length; i++) {
    const c = intended[i]!;
    totals[c]!++;
    if (predicted[i] === c) {
      hits[c]!++;
      correct++;
    }
  }
  return {
    class_samples: intended.length,
    class_accuracy: intended.length ? correct / intended.length : 0,
    per_class_accuracy: hits.map((h, c) => (totals[c] ? h / totals[c]! : 0)),
  };
}

/** Purity of the predicted classes (0..9) of samples drawn with code values `codes[i]` in 0..values-1. */
export function codePurity(predicted: ArrayLike<number>, codes: ArrayLike<number>, values: number): CodeMetrics {
  const counts = Array.from({ length: values }, () => new Array<number>(10).fill(0));
  for (let i = 0; i < codes.length; i++) counts[codes[i]!]![predicted[i]!]!++;
  const majority = counts.map((row) => row.indexOf(Math.max(...row)));
  const used = counts.map((row) => row.reduce((a, b) => a + b, 0));
  const purity = counts.map((row, v) => (used[v] ? row[majority[v]!]! / used[v]! : 0));
  const present = purity.filter((_, v) => used[v]! > 0);
  return {
    code_samples: codes.length,
    code_purity: present.length ? present.reduce((a, b) => a + b, 0) / present.length : 0,
    code_classes: new Set(majority.filter((_, v) => used[v]! > 0)).size,
    code_majority: majority,
    per_code_purity: purity,
  };
}

export interface PerValueOptions {
  /** The number of values of the categorical input (classes or code values). */
  values: number;
  /** Samples in all (default 2,000); each value gets floor(samples / values), at least 1. */
  samples?: number;
  /** The generator's output range. */
  range: ValueRange;
  /** Largest generator call (default 500). */
  batch?: number;
  /** The classifier (anything with its `predict`), or options for the cached one. */
  classifier?: ClassifierOptions | Pick<MnistClassifier, "predict">;
}

/** The classifier given, or the cached MNIST classifier. */
export async function classifierOf(c: ClassifierOptions | Pick<MnistClassifier, "predict"> | undefined): Promise<Pick<MnistClassifier, "predict">> {
  return c !== undefined && "predict" in c && typeof c.predict === "function" ? c : mnistClassifier(c as ClassifierOptions | undefined);
}

/** The classifier's top class for samples of each value: { predicted, values asked for } in the same order. */
export async function classifyPerValue(generate: ValueGenerator, o: PerValueOptions): Promise<{ predicted: Int32Array; asked: Int32Array }> {
  if (!Number.isInteger(o.values) || o.values < 1) throw new RuntimeUserError(`a categorical input needs at least one value, got ${o.values}`);
  const per = Math.max(1, Math.floor((o.samples ?? 2000) / o.values));
  const batch = o.batch ?? 500;
  const classifier = await classifierOf(o.classifier);
  const predicted = new Int32Array(per * o.values);
  const asked = new Int32Array(per * o.values);
  let at = 0;
  for (let v = 0; v < o.values; v++) {
    for (let part = 0, done = 0; done < per; part++) {
      const n = Math.min(batch, per - done);
      const images = generate(v, n, part);
      const shape = images.shape;
      if (images.rank !== 4 || shape[0] !== n || shape[1] !== 28 || shape[2] !== 28 || shape[3] !== 1) {
        images.dispose();
        throw new RuntimeUserError(`class and code metrics need n MNIST digits [n, 28, 28, 1] per value, got [${shape.join(", ")}]`);
      }
      const unit = unitImages(images, o.range);
      images.dispose();
      try {
        predicted.set(topClasses((await classifier.predict(unit)).probs, n), at);
      } finally {
        unit.dispose();
      }
      asked.fill(v, at, at + n);
      at += n;
      done += n;
    }
  }
  return { predicted, asked };
}

/** Class accuracy of a conditional generator (`values` classes, 10 for MNIST digits). */
export async function evaluateClasses(generate: ValueGenerator, o: PerValueOptions): Promise<ClassMetrics> {
  const { predicted, asked } = await classifyPerValue(generate, o);
  return classAccuracy(predicted, asked, o.values);
}

/** Purity of a categorical code (`values` code values). */
export async function evaluateCodes(generate: ValueGenerator, o: PerValueOptions): Promise<CodeMetrics> {
  const { predicted, asked } = await classifyPerValue(generate, o);
  return codePurity(predicted, asked, o.values);
}
