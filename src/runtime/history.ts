/**
 * An image history pool (Shrivastava et al.; CycleGAN): the discriminator sees a
 * batch in which each fake is, with probability p, swapped for one generated at an
 * earlier step (which the fresh fake then replaces).
 *
 * The images stay on the device, in one tensor of `size` rows, and `query` never
 * reads them: which row goes where is decided on the host from (seed, step, stream)
 * and how full the pool is, then one gather builds the output and one the new pool.
 * So a step with a pool does not wait for the GPU, the choices are deterministic,
 * and the tensor count stays constant. `state()` reads the images for a checkpoint.
 */
import * as tf from "@tensorflow/tfjs";
import { stopGradient } from "./nn/spectral_norm.js";
import { prngFor } from "./rng.js";

export interface HistoryState {
  items: number[][];
}

export class HistoryPool {
  /** [size, ...image], rows at and beyond `count` unused; null until the first query. */
  private pool: tf.Tensor | null = null;
  private count = 0;
  /** Images restored from a checkpoint, placed on the device at the first query (whose shape they take). */
  private pending: Float32Array[] | null = null;

  constructor(
    readonly size: number,
    readonly p: number,
    readonly stream: string,
  ) {}

  /** A batch of the same shape as `fakes`, mixing them with earlier ones; no gradient flows. */
  query(fakes: tf.Tensor, seed: number, step: number): tf.Tensor {
    const [n, ...image] = fakes.shape as number[];
    this.materialise(image);
    // Rows of concat([pool, fakes]): pool row j is j, fresh image i is size + i.
    const slot = Array.from({ length: this.size }, (_, j) => j);
    const out: number[] = [];
    const rng = prngFor(seed, step, this.stream);
    for (let i = 0; i < n!; i++) {
      const fresh = this.size + i;
      if (this.count < this.size) {
        slot[this.count++] = fresh;
        out.push(fresh);
      } else if (rng.nextFloat() < this.p) {
        const j = Math.floor(rng.nextFloat() * this.size);
        out.push(slot[j]!);
        slot[j] = fresh;
      } else {
        out.push(fresh);
      }
    }
    const [batch, next] = tf.tidy(() => {
      // The fakes enter as constants: the pool passes no gradient back to the generator.
      const all = tf.concat([this.pool!, stopGradient(tf.cast(fakes, "float32"))], 0);
      return [tf.gather(all, tf.tensor1d(out, "int32")), tf.gather(all, tf.tensor1d(slot, "int32"))];
    });
    this.pool!.dispose();
    this.pool = tf.keep(next);
    return batch;
  }

  private materialise(image: number[]): void {
    if (this.pool !== null) return;
    const per = image.reduce((a, b) => a * b, 1);
    const data = new Float32Array(this.size * per);
    this.pending?.forEach((a, j) => data.set(a.subarray(0, per), j * per));
    this.count = this.pending?.length ?? 0;
    this.pending = null;
    this.pool = tf.keep(tf.tensor(data, [this.size, ...image], "float32"));
  }

  /** The images in the pool, in order (read from the device). */
  async state(): Promise<HistoryState> {
    if (this.pool === null) return { items: (this.pending ?? []).map((a) => Array.from(a)) };
    const per = this.pool.size / this.size;
    const data = (await this.pool.data()) as Float32Array;
    return { items: Array.from({ length: this.count }, (_, j) => Array.from(data.subarray(j * per, (j + 1) * per))) };
  }

  restore(s: HistoryState): void {
    this.dispose();
    this.pending = s.items.map((a) => Float32Array.from(a));
  }

  dispose(): void {
    this.pool?.dispose();
    this.pool = null;
    this.count = 0;
  }
}
