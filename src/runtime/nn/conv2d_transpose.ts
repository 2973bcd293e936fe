/**
 * Transposed 2-D convolution ("deconvolution") over NHWC images. Output size:
 * "same": H·stride; "valid": (H − 1)·stride + kernel.
 */
import * as tf from "@tensorflow/tfjs";
import type { Init, ParamStore } from "./params.js";
import { spectralNorm } from "./spectral_norm.js";
import { checkInput, checkRank4 } from "./check.js";

export interface Conv2dTransposeOptions {
  inChannels: number;
  filters: number;
  kernel: number;
  /** Default 1. */
  stride?: number;
  /** Default "same". */
  padding?: "same" | "valid";
  bias?: boolean;
  init?: Init;
  spectralNorm?: boolean;
}

export interface Conv2dTranspose {
  /** Shape [k, k, filters, inChannels] (tfjs's layout for conv2dTranspose). */
  kernel: tf.Variable;
  bias: tf.Variable | null;
  apply(x: tf.Tensor): tf.Tensor4D;
}

export function conv2dTranspose(store: ParamStore, name: string, o: Conv2dTransposeOptions): Conv2dTranspose {
  const k = o.kernel;
  // Fans as for the equivalent forward conv (in = inChannels).
  const kernel = store.variable(`${name}/kernel`, [k, k, o.filters, o.inChannels], o.init ?? store.kernelInit, {
    fans: [k * k * o.inChannels, k * k * o.filters],
  });
  const bias = o.bias === false ? null : store.variable(`${name}/bias`, [o.filters], "zeros");
  // For spectral norm view the kernel as [k·k·filters, inChannels].
  const sn = o.spectralNorm === true ? spectralNorm(store, name, kernel, o.inChannels) : null;
  const stride = o.stride ?? 1;
  const padding = o.padding ?? "same";
  return {
    kernel,
    bias,
    apply(x: tf.Tensor): tf.Tensor4D {
      checkRank4(name, x.shape);
      checkInput(name, "channels", x.shape[3], o.inChannels);
      const [n, h, w] = x.shape as [number, number, number, number];
      const outH = padding === "same" ? h * stride : (h - 1) * stride + k;
      const outW = padding === "same" ? w * stride : (w - 1) * stride + k;
      return tf.tidy(() => {
        const filt = (sn !== null ? sn.normalise(kernel) : kernel) as tf.Tensor4D;
        const y = tf.conv2dTranspose(x as tf.Tensor4D, filt, [n, outH, outW, o.filters], stride, padding);
        return bias !== null ? tf.add(y, bias) : y;
      });
    },
  };
}
