/**
 * Spectral normalisation (Miyato et al. 2018): a kernel W viewed as a matrix
 * [fanIn, out] is divided by an estimate σ = vᵀ W u of its largest singular
 * value. The vectors `<layer>/sn_u` [out] and `<layer>/sn_v` [fanIn] are
 * non-trainable variables (saved in checkpoints), refined by one power
 * iteration per train-mode call and frozen in eval mode; at creation they are
 * set by 10 power iterations on the initial kernel. As in the reference
 * implementation, u and v are constants for differentiation: only W carries a
 * gradient through σ.
 */
import * as tf from "@tensorflow/tfjs";
import type { ParamStore } from "./params.js";

/** Identity whose gradient is zero. */
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
  /** The kernel divided by σ (same shape); in train mode also advances u and v. */
  normalise(kernel: tf.Tensor): tf.Tensor;
  u: tf.Variable;
  v: tf.Variable;
}

/** One power iteration on the matrix w [fanIn, out] from u [out]: returns [v, u']. */
function powerStep(w: tf.Tensor2D, u: tf.Tensor): [tf.Tensor, tf.Tensor] {
  const out = w.shape[1];
  const v = l2normalize(tf.matMul(w, tf.reshape(u, [out, 1])));
  const uNew = l2normalize(tf.matMul(w, v, true, false));
  return [tf.reshape(v, [-1]), tf.reshape(uNew, [-1])];
}

/** Creates `<name>/sn_u` and `<name>/sn_v` for `kernel`, viewed as [-1, out]. */
export function spectralNorm(store: ParamStore, name: string, kernel: tf.Variable, out: number): SpectralNorm {
  const fanIn = kernel.size / out;
  const u = store.variable(`${name}/sn_u`, [out], { normal: 1 }, { trainable: false });
  const v = store.variable(`${name}/sn_v`, [fanIn], "zeros", { trainable: false });
  tf.tidy(() => {
    const w = tf.reshape(kernel, [fanIn, out]) as tf.Tensor2D;
    let uc: tf.Tensor = u;
    let vc: tf.Tensor = v;
    for (let i = 0; i < 10; i++) [vc, uc] = powerStep(w, uc);
    u.assign(uc);
    v.assign(vc);
  });
  return {
    u,
    v,
    normalise(k: tf.Tensor): tf.Tensor {
      return tf.tidy(() => {
        const w = tf.reshape(k, [fanIn, out]) as tf.Tensor2D;
        if (store.training) {
          const [vNew, uNew] = powerStep(stopGradient(w), u);
          v.assign(stopGradient(vNew));
          u.assign(stopGradient(uNew));
        }
        const sigma = tf.sum(tf.mul(tf.matMul(w, tf.reshape(u, [out, 1])), tf.reshape(v, [fanIn, 1])));
        return tf.div(k, sigma);
      });
    },
  };
}
