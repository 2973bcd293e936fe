/**
 * Batch normalisation over all axes but the last (channels). In train mode it
 * normalises with the batch statistics and updates the moving averages
 * (`<name>/moving_mean`, `<name>/moving_var`, non-trainable):
 *   moving = momentum·moving + (1 − momentum)·batch.
 * In eval mode it normalises with the moving averages. Written with
 * elementary ops so it is twice differentiable.
 */
import * as tf from "@tensorflow/tfjs";
import type { ParamStore } from "./params.js";
import { checkInput } from "./check.js";
import { affineParams } from "./layernorm.js";

export interface BatchNormOptions {
  channels: number;
  /** Default 0.99. */
  momentum?: number;
  /** Default 1e-5. */
  epsilon?: number;
  /** Learn gamma and beta; default true. */
  affine?: boolean;
}

export interface BatchNorm {
  gamma: tf.Variable | null;
  beta: tf.Variable | null;
  movingMean: tf.Variable;
  movingVar: tf.Variable;
  /** `training` defaults to the store's mode. */
  apply(x: tf.Tensor, training?: boolean): tf.Tensor;
}

export function batchnorm(store: ParamStore, name: string, o: BatchNormOptions): BatchNorm {
  const { gamma, beta } = affineParams(store, name, o.channels, o.affine);
  const movingMean = store.variable(`${name}/moving_mean`, [o.channels], "zeros", { trainable: false });
  const movingVar = store.variable(`${name}/moving_var`, [o.channels], "ones", { trainable: false });
  const momentum = o.momentum ?? 0.99;
  const eps = o.epsilon ?? 1e-5;
  return {
    gamma,
    beta,
    movingMean,
    movingVar,
    apply(x: tf.Tensor, training = store.training): tf.Tensor {
      checkInput(name, "channels", x.shape[x.rank - 1], o.channels);
      return tf.tidy(() => {
        let mean: tf.Tensor;
        let variance: tf.Tensor;
        if (training) {
          const axes = [...Array(x.rank - 1).keys()];
          const m = tf.moments(x, axes);
          mean = m.mean;
          variance = m.variance;
          movingMean.assign(tf.add(tf.mul(movingMean, momentum), tf.mul(mean, 1 - momentum)));
          movingVar.assign(tf.add(tf.mul(movingVar, momentum), tf.mul(variance, 1 - momentum)));
        } else {
          mean = movingMean;
          variance = movingVar;
        }
        let y = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps)));
        if (gamma !== null && beta !== null) y = tf.add(tf.mul(y, gamma), beta);
        return y;
      });
    },
  };
}
