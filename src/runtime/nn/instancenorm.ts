/**
 * Instance normalisation: each (example, channel) of NHWC images is normalised
 * over H and W, then scaled and shifted per channel.
 */
import type * as tf from "@tensorflow/tfjs";
import type { ParamStore } from "./params.js";
import { checkInput, checkRank4 } from "./check.js";
import { affineParams, normaliseOver, type Norm, type NormOptions } from "./layernorm.js";

export function instancenorm(store: ParamStore, name: string, o: NormOptions): Norm {
  const { gamma, beta } = affineParams(store, name, o.channels, o.affine);
  return {
    gamma,
    beta,
    apply(x: tf.Tensor): tf.Tensor {
      checkRank4(name, x.shape);
      checkInput(name, "channels", x.shape[3], o.channels);
      return normaliseOver(x, [1, 2], o.epsilon ?? 1e-5, gamma, beta);
    },
  };
}
