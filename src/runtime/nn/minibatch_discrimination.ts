/**
 * Minibatch discrimination (Salimans et al. 2016). Features x [N, in] are
 * projected by a learned tensor T (`<name>/T`, [in, kernels·dim]) to
 * M [N, kernels, dim]; for each kernel b, o(x_i)_b = Σ_j exp(−‖M_i,b − M_j,b‖₁)
 * over the whole batch (including j = i). Output: concat(x, o) [N, in + kernels].
 */
import * as tf from "@tensorflow/tfjs";
import type { Init, ParamStore } from "./params.js";
import { checkInput } from "./check.js";
import { exp } from "../ops.js";

export interface MinibatchDiscriminationOptions {
  inFeatures: number;
  kernels: number;
  dim: number;
  /** Default { normal: 0.02 }: small projections keep exp(−distance) from vanishing at the start. */
  init?: Init;
}

export interface MinibatchDiscrimination {
  T: tf.Variable;
  /** Output width: inFeatures + kernels. */
  outFeatures: number;
  apply(x: tf.Tensor): tf.Tensor2D;
}

export function minibatchDiscrimination(store: ParamStore, name: string, o: MinibatchDiscriminationOptions): MinibatchDiscrimination {
  const T = store.variable(`${name}/T`, [o.inFeatures, o.kernels * o.dim], o.init ?? { normal: 0.02 });
  return {
    T,
    outFeatures: o.inFeatures + o.kernels,
    apply(x: tf.Tensor): tf.Tensor2D {
      return tf.tidy(() => {
        const flat = tf.reshape(x, [x.shape[0] ?? 1, -1]) as tf.Tensor2D;
        checkInput(name, "features", flat.shape[1], o.inFeatures);
        const n = flat.shape[0];
        const m = tf.reshape(tf.matMul(flat, T as tf.Tensor2D), [n, o.kernels, o.dim]);
        const diff = tf.sub(tf.expandDims(m, 1), tf.expandDims(m, 0)); // [N, N, K, D]
        const l1 = tf.sum(tf.abs(diff), 3); // [N, N, K]
        const features = tf.sum(exp(tf.neg(l1)), 1); // [N, K]
        return tf.concat([flat, features], 1) as tf.Tensor2D;
      });
    },
  };
}
