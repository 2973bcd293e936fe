/**
 * Dropout with inverted scaling (kept units are divided by 1 − rate). Active
 * only in train mode. The mask is drawn from (store seed, store step,
 * "<name>#k") where k counts this layer's calls in the current step.
 */
import * as tf from "@tensorflow/tfjs";
import { RuntimeUserError } from "../errors.js";
import { bernoulli } from "../rng.js";
import type { ParamStore } from "./params.js";

export interface Dropout {
  apply(x: tf.Tensor, training?: boolean): tf.Tensor;
}

export function dropout(store: ParamStore, name: string, o: { rate: number }): Dropout {
  if (!(o.rate >= 0 && o.rate < 1)) throw new RuntimeUserError(`dropout ${name}: rate must be in [0, 1), got ${o.rate}`);
  return {
    apply(x: tf.Tensor, training = store.training): tf.Tensor {
      if (!training || o.rate === 0) return x.clone();
      const keep = 1 - o.rate;
      return tf.tidy(() => {
        const mask = bernoulli(x.shape, keep, store.seed, store.step, `dropout/${store.drawStream(name)}`);
        return tf.mul(x, tf.div(mask, keep));
      });
    },
  };
}
