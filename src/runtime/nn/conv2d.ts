/** 2-D convolution over NHWC images. */
import * as tf from "@tensorflow/tfjs";
import type { Init, ParamStore } from "./params.js";
import { spectralNorm } from "./spectral_norm.js";
import { checkInput, checkRank4 } from "./check.js";

export interface Conv2dOptions {
  inChannels: number;
  filters: number;
  kernel: number;
  /** Default 1. */
  stride?: number;
  /** Default "same". */
  padding?: "same" | "valid";
  /** Default true. */
  bias?: boolean;
  init?: Init;
  spectralNorm?: boolean;
}

export interface Conv2d {
  kernel: tf.Variable;
  bias: tf.Variable | null;
  /** x: [N, H, W, inChannels] → [N, H', W', filters]. */
  apply(x: tf.Tensor): tf.Tensor4D;
}

/** Creates `<name>/kernel` [k, k, in, filters] and `<name>/bias` [filters]. */
export function conv2d(store: ParamStore, name: string, o: Conv2dOptions): Conv2d {
  const kernel = store.variable(`${name}/kernel`, [o.kernel, o.kernel, o.inChannels, o.filters], o.init ?? store.kernelInit);
  const bias = o.bias === false ? null : store.variable(`${name}/bias`, [o.filters], "zeros");
  const sn = o.spectralNorm === true ? spectralNorm(store, name, kernel, o.filters) : null;
  const stride = o.stride ?? 1;
  const padding = o.padding ?? "same";
  return {
    kernel,
    bias,
    apply(x: tf.Tensor): tf.Tensor4D {
      checkRank4(name, x.shape);
      checkInput(name, "channels", x.shape[3], o.inChannels);
      return tf.tidy(() => {
        const w = (sn !== null ? sn.normalise(kernel) : kernel) as tf.Tensor4D;
        const y = tf.conv2d(x as tf.Tensor4D, w, stride, padding);
        return bias !== null ? tf.add(y, bias) : y;
      });
    },
  };
}
