/** Parameter-free resampling layers (twice differentiable; see ops.ts). */
import type * as tf from "@tensorflow/tfjs";
import { avgPool, upsampleNearest } from "../ops.js";
import { checkRank4 } from "./check.js";

export interface Resample {
  apply(x: tf.Tensor): tf.Tensor4D;
}

/** Nearest-neighbour upsampling by an integer factor. */
export function upsample(o: { factor: number }): Resample {
  return {
    apply(x: tf.Tensor): tf.Tensor4D {
      checkRank4("upsample", x.shape);
      return upsampleNearest(x as tf.Tensor4D, o.factor);
    },
  };
}

/** Average pooling with window = stride = factor. */
export function avgpool(o: { factor: number }): Resample {
  return {
    apply(x: tf.Tensor): tf.Tensor4D {
      checkRank4("avgpool", x.shape);
      return avgPool(x as tf.Tensor4D, o.factor);
    },
  };
}
