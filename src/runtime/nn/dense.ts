/** Fully connected layer: y = x·W + b, with x flattened to [N, inFeatures]. */
import * as tf from "@tensorflow/tfjs";
import type { Init, ParamStore } from "./params.js";
import { spectralNorm } from "./spectral_norm.js";
import { checkInput } from "./check.js";

export interface DenseOptions {
  inFeatures: number;
  units: number;
  /** Default true. */
  bias?: boolean;
  /** Kernel init; default the store's kernelInit. */
  init?: Init;
  /** Wrap the kernel in spectral normalisation. */
  spectralNorm?: boolean;
}

export interface Dense {
  kernel: tf.Variable;
  bias: tf.Variable | null;
  /** x: [N, inFeatures] (or [N, ...] flattening to inFeatures) → [N, units]. */
  apply(x: tf.Tensor): tf.Tensor2D;
}

/** Creates `<name>/kernel` [in, units] and `<name>/bias` [units]. */
export function dense(store: ParamStore, name: string, o: DenseOptions): Dense {
  const kernel = store.variable(`${name}/kernel`, [o.inFeatures, o.units], o.init ?? store.kernelInit);
  const bias = o.bias === false ? null : store.variable(`${name}/bias`, [o.units], "zeros");
  const sn = o.spectralNorm === true ? spectralNorm(store, name, kernel, o.units) : null;
  return {
    kernel,
    bias,
    apply(x: tf.Tensor): tf.Tensor2D {
      return tf.tidy(() => {
        const flat = tf.reshape(x, [x.shape[0] ?? 1, -1]) as tf.Tensor2D;
        checkInput(name, "features", flat.shape[1], o.inFeatures);
        const w = (sn !== null ? sn.normalise(kernel) : kernel) as tf.Tensor2D;
        const y = tf.matMul(flat, w);
        return (bias !== null ? tf.add(y, bias) : y) as tf.Tensor2D;
      });
    },
  };
}
