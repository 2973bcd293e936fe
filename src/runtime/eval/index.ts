/**
 * Evaluation of generated samples (`ganc eval`, and `run { eval_every = N }` during training).
 *
 *   referenceFromData(spec data declarations) → EvalReference   what the samples are compared with
 *   await evaluateSamples(samples, reference, options?) → EvalMetrics
 *       [N, 2] points   → toy 2-D mode coverage (toy.ts) against the ring/grid modes
 *       [N, 28, 28, 1]  → MNIST classifier metrics (mnist.ts; the classifier is trained once and cached)
 *   await evaluateProgram(program, model, reference, { samples }) → EvalMetrics   draws the samples too
 *   scalarMetrics(metrics, "eval_") → flat numbers for metrics.jsonl;  formatMetrics(metrics) → a table
 *
 * Structured generators (conditional.ts, translation.ts), driven by callbacks the CLI builds:
 *   await evaluateClasses(generate(value, n, part), { values, range }) → class_accuracy (cgan, acgan)
 *   await evaluateCodes(generate(value, n, part), { values, range })   → code_purity, code_classes (InfoGAN)
 *   await evaluateTranslation(G, heldOutPairs(inputSide, targetSide, n)) → translation_l1, identity_l1
 * (`ganc eval` adds class and code metrics to the MNIST metrics of samples: MnistEvalMetrics).
 *
 * Independent of the compiler: a data declaration is anything shaped { source, args }.
 */
import * as tf from "@tensorflow/tfjs";
import type { ValueRange } from "../data/dataset.js";
import { mixtureOf } from "../data/toy2d.js";
import { RuntimeUserError } from "../errors.js";
import type { ModelBase, Program } from "../program.js";
import { seedFor } from "../rng.js";
import { mnistClassifier, type ClassifierOptions } from "./classifier.js";
import type { ClassMetrics, CodeMetrics } from "./conditional.js";
import { mnistMetrics, unitImages, type MnistMetrics } from "./mnist.js";
import { toyMetrics, type ToyMetrics, type ToyReference } from "./toy.js";
import { rangeOf, type TranslationMetrics } from "./translation.js";

export { toyMetrics, type ToyMetrics, type ToyReference } from "./toy.js";
export { mnistMetrics, unitImages, topClasses, type MnistMetrics } from "./mnist.js";
export {
  classAccuracy,
  codePurity,
  classifyPerValue,
  evaluateClasses,
  evaluateCodes,
  type ClassMetrics,
  type CodeMetrics,
  type PerValueOptions,
  type ValueGenerator,
} from "./conditional.js";
export { evaluateTranslation, heldOutPairs, l1Sums, rangeOf, type HeldOutPairs, type MnistSide, type TranslationMetrics, type TranslationOptions } from "./translation.js";
export { frechetDistance, gaussianOf, symmetricEigen, sqrtPsd, type Gaussian } from "./frechet.js";
export { mnistClassifier, cacheRoot, MnistClassifier, MNIST_CLASSIFIER_VERSION, type ClassifierInfo, type ClassifierOptions, type Prediction } from "./classifier.js";

/** What generated samples are compared with, from the spec's real data. */
export interface EvalReference {
  /** From a `ring` or `grid` source: its modes and their std. */
  toy2d?: ToyReference & { source: string };
  /** From an untransformed `mnist` source: the value range of its images. */
  mnist?: { range: ValueRange };
}

/** MNIST metrics of samples, with the class accuracy (conditional generators) or the code purity (InfoGAN) when measured. */
export type MnistEvalMetrics = { kind: "mnist" } & MnistMetrics & Partial<ClassMetrics> & Partial<CodeMetrics> & { class_latent?: string; code_latent?: string };

export type EvalMetrics = ({ kind: "toy2d"; std: number } & ToyMetrics) | MnistEvalMetrics | ({ kind: "translation" } & TranslationMetrics);

/** Default sample counts: the literature's 2,500 for toy mixtures; 2,000 digits for MNIST. */
export const DEFAULT_SAMPLES = { toy2d: 2500, mnist: 2000 } as const;

/** The reference for a spec's `data` declarations (IR `data` entries or anything shaped like them). */
export function referenceFromData(decls: readonly { source: string; args: Record<string, unknown> }[]): EvalReference {
  const ref: EvalReference = {};
  for (const d of decls) {
    if (!ref.toy2d && (d.source === "ring" || d.source === "grid")) {
      const m = mixtureOf(d.source, d.args);
      ref.toy2d = { source: d.source, centers: m.centers, std: m.std };
    }
    if (!ref.mnist && d.source === "mnist" && (d.args.transform ?? "none") === "none") {
      const range = rangeOf(d.args.range);
      if (range) ref.mnist = { range };
    }
  }
  return ref;
}

/** True when the reference supports some metric. */
export function hasReference(ref: EvalReference): boolean {
  return ref.toy2d !== undefined || ref.mnist !== undefined;
}

export interface EvaluateOptions {
  /** For MNIST metrics: where the classifier is cached, and progress messages while it trains. */
  classifier?: ClassifierOptions;
}

/** Metrics of `samples` ([N, 2] points or [N, 28, 28, 1] images in the data's range). Does not dispose `samples`. */
export async function evaluateSamples(samples: tf.Tensor, ref: EvalReference, options: EvaluateOptions = {}): Promise<EvalMetrics> {
  const shape = samples.shape;
  if (samples.rank === 2 && shape[1] === 2) {
    if (!ref.toy2d) throw new RuntimeUserError("ganc has no metrics for 2-D samples unless the real data is a `ring` or `grid` mixture");
    const m = toyMetrics(await samples.data(), ref.toy2d);
    return { kind: "toy2d", std: ref.toy2d.std, ...m };
  }
  if (samples.rank === 4 && shape[1] === 28 && shape[2] === 28 && shape[3] === 1) {
    if (!ref.mnist) throw new RuntimeUserError("ganc has image metrics only for MNIST digits (the real data must be an untransformed `mnist` source)");
    const classifier = await mnistClassifier(options.classifier);
    const range = ref.mnist.range;
    const unit = unitImages(samples, range);
    try {
      return { kind: "mnist", ...(await mnistMetrics(unit, classifier)) };
    } finally {
      unit.dispose();
    }
  }
  throw new RuntimeUserError(`ganc has no metrics for samples of shape [${shape.slice(1).join(", ")}] (it evaluates 2-D points and 28×28×1 MNIST digits)`);
}

/**
 * n samples of a program's generator in batches (in eval mode). Batch 0 is the program's fixed
 * sample draw; batch k > 0 draws with the model's seed replaced by seedFor(seed, k, "eval"), so
 * the batches are independent and the result depends only on the weights and the seed.
 */
export function drawSamples<M extends ModelBase>(program: Program<M>, model: M, n: number, batch = 500): tf.Tensor {
  const sample = program.sample;
  if (!sample) throw new RuntimeUserError(`spec "${program.name}" has no generator to sample from`);
  if (!Number.isInteger(n) || n < 2) throw new RuntimeUserError(`evaluation needs at least 2 samples, got ${n}`);
  const seed = model.seed;
  const mode = model.store.mode;
  const parts: tf.Tensor[] = [];
  model.store.mode = "eval";
  try {
    for (let k = 0; k * batch < n; k++) {
      model.seed = k === 0 ? seed : seedFor(seed, k, "eval");
      parts.push(sample(model, Math.min(batch, n - k * batch)));
    }
    return parts.length === 1 ? parts[0]! : tf.concat(parts, 0);
  } finally {
    model.seed = seed;
    model.store.mode = mode;
    if (parts.length > 1) tf.dispose(parts);
  }
}

/** Draws `samples` samples (default by kind: DEFAULT_SAMPLES) and evaluates them. */
export async function evaluateProgram<M extends ModelBase>(
  program: Program<M>,
  model: M,
  ref: EvalReference,
  options: EvaluateOptions & { samples?: number; batch?: number } = {},
): Promise<EvalMetrics> {
  const n = options.samples ?? (ref.toy2d ? DEFAULT_SAMPLES.toy2d : DEFAULT_SAMPLES.mnist);
  const samples = drawSamples(program, model, n, options.batch);
  try {
    return await evaluateSamples(samples, ref, options);
  } finally {
    samples.dispose();
  }
}

/** The scalar metrics as flat numbers (nulls and per-mode/class/code lists left out), keys prefixed. */
export function scalarMetrics(m: EvalMetrics, prefix = "eval_"): Record<string, number> {
  const out: Record<string, number> = {};
  const keys =
    m.kind === "toy2d"
      ? ["samples", "modes_covered", "high_quality_fraction", "reverse_kl"]
      : m.kind === "mnist"
        ? ["samples", "classes_covered", "class_entropy", "inception_score", "fid", "fid_floor", "class_accuracy", "code_purity", "code_classes"]
        : ["pairs", "translation_l1", "identity_l1", "output_class_accuracy", "target_class_accuracy"];
  for (const k of keys) {
    const v = (m as unknown as Record<string, unknown>)[k];
    if (typeof v === "number") out[prefix + k] = v;
  }
  return out;
}

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toPrecision(4));
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

/** A small two-column table of the metrics. */
export function formatMetrics(m: EvalMetrics): string {
  let rows: [string, string][];
  if (m.kind === "toy2d")
    rows = [
      ["samples", fmt(m.samples)],
      ["modes covered", `${m.modes_covered} / ${m.modes}`],
      ["high-quality fraction", `${fmt(m.high_quality_fraction)}  (within 3 std = ${fmt(3 * m.std)} of a mode)`],
      ["reverse KL (modes)", m.reverse_kl === null ? "n/a (no high-quality sample)" : `${fmt(m.reverse_kl)}  (0 = uniform, log ${m.modes} = ${fmt(Math.log(m.modes))} = one mode)`],
      ["high-quality per mode", m.mode_counts.join(" ")],
    ];
  else if (m.kind === "translation")
    rows = [
      ["held-out pairs", `${m.pairs}  (${m.input} → ${m.target})`],
      ["translation L1", `${fmt(m.translation_l1)}  mean |G(input) − target|, pixels in 0..1`],
      ["identity L1", `${fmt(m.identity_l1)}  mean |input − target| (doing nothing)${m.translation_l1 < m.identity_l1 ? "" : "  — G does not beat it"}`],
      ...(m.output_class_accuracy !== undefined
        ? ([
            ["digit kept", `${pct(m.output_class_accuracy)} of G(input) classified as the input's digit (targets: ${pct(m.target_class_accuracy!)})`],
          ] as [string, string][])
        : []),
    ];
  else {
    rows = [
      ["samples", fmt(m.samples)],
      ["classes covered", `${m.classes_covered} / 10`],
      ["class entropy", `${fmt(m.class_entropy)}  (max log 10 = ${fmt(Math.log(10))})`],
      ["inception score", `${fmt(m.inception_score)}  (1..10)`],
      ["FID (classifier)", `${fmt(m.fid)}  (floor: ${Math.min(m.samples, 10000)} test images ${fmt(m.fid_floor)})`],
      ["predictions per digit", m.class_counts.join(" ")],
    ];
    if (m.class_accuracy !== undefined)
      rows.push(
        ["class accuracy", `${fmt(m.class_accuracy)}  (${m.class_samples} samples, ${m.class_samples! / m.per_class_accuracy!.length} per class of ${m.class_latent ?? "the class latent"}; chance ${fmt(1 / m.per_class_accuracy!.length)})`],
        ["accuracy per class", m.per_class_accuracy!.map((a) => a.toFixed(2)).join(" ")],
      );
    if (m.code_purity !== undefined)
      rows.push(
        ["code purity", `${fmt(m.code_purity)}  (${m.code_samples} samples, ${m.code_samples! / m.code_majority!.length} per value of ${m.code_latent ?? "the code"})`],
        ["code classes", `${m.code_classes} / ${Math.min(10, m.code_majority!.length)} distinct digits`],
        ["majority digit per value", m.code_majority!.join(" ")],
      );
    rows.push(["classifier", `${m.classifier.version}, test accuracy ${(m.classifier.test_accuracy * 100).toFixed(2)}%`]);
  }
  const w = Math.max(...rows.map((r) => r[0].length));
  return rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`).join("\n");
}
