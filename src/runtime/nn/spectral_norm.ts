/**
 * Spectral normalisation (Miyato et al. 2018): a kernel W viewed as a matrix
 * [fanIn, out] is divided by an estimate of its largest singular value σ.
 * One power-iteration step per training-mode call refines the estimate; the
 * vector `u` ([out]) is a non-trainable variable "<layer>/sn_u" saved in
 * checkpoints. As in the reference implementation, u and v are treated as
 * constants for differentiation.
 */
import * as tf from "@tensorflow/tfjs";
import type { ParamStore } from "./params.js";

/** Identity whose gradient is zero: u and v of the power iteration are constants. */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  const f = tf.customGrad(((a: tf.Tensor) => ({
    value: a.clone(),
    gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
  })) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(x) as T;
}

function l2normalize(x: tf.Tensor, eps = 1e-12): tf.Tensor {
  return tf.div(x, tf.add(tf.norm(x), eps));
}

export interface SpectralNorm {
  /** The normalised kernel (same shape as the kernel); updates `u` in train mode. */
  normalise(kernel: tf.Tensor): tf.Tensor;
  u: tf.Variable;
}

/** Creates `<name>/sn_u` (initialised from a normal draw) for a kernel with `out` output units. */
export function spectralNorm(store: ParamStore, name: string, out: number): SpectralNorm {
  const u = store.variable(`${name}/sn_u`, [out], { normal: 1 }, { trainable: false });
  return {
    u,
    normalise(kernel: tf.Tensor): tf.Tensor {
      return tf.tidy(() => {
        const w = tf.reshape(kernel, [-1, out]) as tf.Tensor2D;
        const wConst = stopGradient(w);
        const v = l2normalize(tf.matMul(wConst, tf.reshape(u, [out, 1]))); // [fanIn, 1]
        const uNew = l2normalize(tf.matMul(wConst, v, true, false)); // [out, 1]
        const vc = stopGradient(v);
        const uc = stopGradient(uNew);
        const sigma = tf.sum(tf.mul(tf.matMul(w, uc), vc)); // vᵀ W u
        if (store.training) u.assign(tf.reshape(uc, [out]));
        return tf.div(kernel, sigma);
      });
    },
  };
}
