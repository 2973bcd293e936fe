/**
 * Deterministic batches: the batch for step t depends only on (seed, stream, t).
 * Examples are visited in epochs; epoch e uses the permutation drawn from
 * (seed, e, stream), and a partial last batch is dropped, so epoch
 * e = floor(t / stepsPerEpoch) and position t mod stepsPerEpoch.
 * Several aligned datasets (paired A/B) share the same indices.
 */
import * as tf from "@tensorflow/tfjs";
import { RuntimeUserError } from "../errors.js";
import { permutation } from "../rng.js";
import { type Dataset, exampleSize } from "./dataset.js";

export interface Batch {
  /** One tensor [B, ...shape] per dataset, in the order given. */
  images: tf.Tensor[];
  /** Labels of the first dataset [B] (int32), or null. */
  labels: tf.Tensor1D | null;
}

export class Batcher {
  readonly stepsPerEpoch: number;
  private epoch = -1;
  private perm: Int32Array = new Int32Array(0);

  constructor(
    readonly datasets: Dataset[],
    readonly batchSize: number,
    readonly seed: number,
    readonly stream = "data",
  ) {
    if (datasets.length === 0) throw new RuntimeUserError("a batcher needs at least one dataset");
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RuntimeUserError(`batch size must be a positive integer, got ${batchSize}`);
    const n = datasets[0]!.count;
    for (const d of datasets) {
      if (d.count !== n) throw new RuntimeUserError(`paired datasets differ in size: ${datasets[0]!.source} has ${n}, ${d.source} has ${d.count}`);
    }
    if (n < batchSize) {
      throw new RuntimeUserError(`${datasets[0]!.source} has ${n} examples, fewer than the batch size ${batchSize}`);
    }
    this.stepsPerEpoch = Math.floor(n / batchSize);
  }

  /** Example indices of the batch for `step`. */
  indices(step: number): Int32Array {
    const e = Math.floor(step / this.stepsPerEpoch);
    if (e !== this.epoch) {
      this.perm = permutation(this.datasets[0]!.count, this.seed, e, this.stream);
      this.epoch = e;
    }
    const start = (step % this.stepsPerEpoch) * this.batchSize;
    return this.perm.slice(start, start + this.batchSize);
  }

  /** The batch for `step` as tensors (the caller disposes them). */
  batch(step: number): Batch {
    const idx = this.indices(step);
    const images = this.datasets.map((d) => gather(d, idx));
    const first = this.datasets[0]!;
    const labels = first.labels === null ? null : tf.tensor1d(Int32Array.from(idx, (i) => first.labels![i]!), "int32");
    return { images, labels };
  }
}

/** The examples `idx` of a dataset as a tensor [idx.length, ...shape]. */
export function gather(d: Dataset, idx: ArrayLike<number>): tf.Tensor {
  const size = exampleSize(d);
  const out = new Float32Array(idx.length * size);
  for (let j = 0; j < idx.length; j++) {
    const i = idx[j]!;
    out.set(d.data.subarray(i * size, (i + 1) * size), j * size);
  }
  return tf.tensor(out, [idx.length, ...d.shape], "float32");
}
