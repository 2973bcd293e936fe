/**
 * An image history pool (Shrivastava et al.; CycleGAN): the discriminator sees a
 * batch in which each fake is, with probability p, swapped for one generated at an
 * earlier step (which the fresh fake then replaces). The pool lives in plain
 * JavaScript arrays, so it holds no tensors and its state is a JSON value for
 * checkpoints. Draws come from (seed, step, stream), like every other random draw.
 */
import * as tf from "@tensorflow/tfjs";
import { prngFor } from "./rng.js";

export interface HistoryState {
  items: number[][];
}

export class HistoryPool {
  private items: Float32Array[] = [];

  constructor(
    readonly size: number,
    readonly p: number,
    readonly stream: string,
  ) {}

  /** A batch of the same shape as `fakes`, mixing them with earlier ones; no gradient flows. */
  query(fakes: tf.Tensor, seed: number, step: number): tf.Tensor {
    const [n, ...rest] = fakes.shape as number[];
    const per = rest.reduce((a, b) => a * b, 1);
    const data = fakes.dataSync() as Float32Array;
    const out = new Float32Array(data.length);
    const rng = prngFor(seed, step, this.stream);
    for (let i = 0; i < n!; i++) {
      const fresh: Float32Array = data.slice(i * per, (i + 1) * per);
      let chosen: Float32Array = fresh;
      if (this.items.length < this.size) this.items.push(fresh);
      else if (rng.nextFloat() < this.p) {
        const j = Math.floor(rng.nextFloat() * this.size);
        chosen = this.items[j]!;
        this.items[j] = fresh;
      }
      out.set(chosen, i * per);
    }
    return tf.tensor(out, fakes.shape, "float32");
  }

  state(): HistoryState {
    return { items: this.items.map((a) => Array.from(a)) };
  }

  restore(s: HistoryState): void {
    this.items = s.items.map((a) => Float32Array.from(a));
  }
}
