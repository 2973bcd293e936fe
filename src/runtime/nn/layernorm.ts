/**
 * Layer normalisation: each example is normalised over all its non-batch axes,
 * then scaled and shifted per channel (last axis) by `<name>/gamma`, `<name>/beta`.
 */
import * as tf from "@tensorflow/tfjs";
import type { ParamStore } from "./params.js";
import { checkInput } from "./check.js";

export interface NormOptions {
  channels: number;
  /** Default 1e-5. */
  epsilon?: number;
  /** Learn gamma and beta; default true. */
  affine?: boolean;
}

export interface Norm {
  gamma: tf.Variable | null;
  beta: tf.Variable | null;
  apply(x: tf.Tensor): tf.Tensor;
}

/** The per-channel scale `<name>/gamma` (ones) and shift `<name>/beta` (zeros), or nulls when not affine. */
export function affineParams(store: ParamStore, name: string, channels: number, affine = true): { gamma: tf.Variable | null; beta: tf.Variable | null } {
  if (!affine) return { gamma: null, beta: null };
  return { gamma: store.variable(`${name}/gamma`, [channels], "ones"), beta: store.variable(`${name}/beta`, [channels], "zeros") };
}

/** Normalises x over `axes` (kept for broadcasting), then applies the optional affine transform. */
export function normaliseOver(x: tf.Tensor, axes: number[], eps: number, gamma: tf.Variable | null, beta: tf.Variable | null): tf.Tensor {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, axes, true);
    let y = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps)));
    if (gamma !== null && beta !== null) y = tf.add(tf.mul(y, gamma), beta);
    return y;
  });
}

export function layernorm(store: ParamStore, name: string, o: NormOptions): Norm {
  const { gamma, beta } = affineParams(store, name, o.channels, o.affine);
  return {
    gamma,
    beta,
    apply(x: tf.Tensor): tf.Tensor {
      checkInput(name, "channels", x.shape[x.rank - 1], o.channels);
      const axes = [...Array(x.rank).keys()].slice(1);
      return normaliseOver(x, axes, o.epsilon ?? 1e-5, gamma, beta);
    },
  };
}
