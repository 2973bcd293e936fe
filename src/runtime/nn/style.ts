/**
 * StyleGAN building blocks (Karras et al. 2019) and progressive-growing fade.
 *
 * - adain: y = (1 + s)·instnorm(x) + b, where [s, b] = dense(w) per channel
 *   (`<name>/style/kernel` [styleDim, 2·channels], bias zeros: starts as plain
 *   instance norm).
 * - noise: x + strength[c]·n, n ~ N(0, 1) per pixel shared over channels,
 *   drawn from (store seed, step, "<name>#k"); `<name>/strength` starts at 0.
 * - constant: a learned input `<name>/const` [1, H, W, C] (init ones) tiled to
 *   the batch.
 * - fade: (1 − alpha)·a + alpha·b for progressive growing (alpha a number or
 *   scalar tensor in [0, 1]).
 */
import * as tf from "@tensorflow/tfjs";
import { RuntimeUserError } from "../errors.js";
import { normal } from "../rng.js";
import { checkInput, checkRank4 } from "./check.js";
import { dense } from "./dense.js";
import type { ParamStore } from "./params.js";

export interface Adain {
  apply(x: tf.Tensor, w: tf.Tensor): tf.Tensor4D;
}

export function adain(store: ParamStore, name: string, o: { styleDim: number; channels: number; epsilon?: number }): Adain {
  const style = dense(store, `${name}/style`, { inFeatures: o.styleDim, units: 2 * o.channels });
  const eps = o.epsilon ?? 1e-5;
  return {
    apply(x: tf.Tensor, w: tf.Tensor): tf.Tensor4D {
      checkRank4(name, x.shape);
      checkInput(name, "channels", x.shape[3], o.channels);
      return tf.tidy(() => {
        const { mean, variance } = tf.moments(x, [1, 2], true);
        const xn = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps)));
        const sb = tf.reshape(style.apply(w), [-1, 1, 1, 2 * o.channels]);
        const [s, b] = tf.split(sb, 2, 3) as [tf.Tensor, tf.Tensor];
        return tf.add(tf.mul(xn, tf.add(s, 1)), b) as tf.Tensor4D;
      });
    },
  };
}

export interface NoiseInput {
  strength: tf.Variable;
  apply(x: tf.Tensor): tf.Tensor4D;
}

export function noise(store: ParamStore, name: string, o: { channels: number }): NoiseInput {
  const strength = store.variable(`${name}/strength`, [o.channels], "zeros");
  return {
    strength,
    apply(x: tf.Tensor): tf.Tensor4D {
      checkRank4(name, x.shape);
      checkInput(name, "channels", x.shape[3], o.channels);
      const [n, h, w] = x.shape as [number, number, number, number];
      return tf.tidy(() => {
        const z = normal([n, h, w, 1], store.seed, store.step, `noise/${store.drawStream(name)}`);
        return tf.add(x, tf.mul(z, strength)) as tf.Tensor4D;
      });
    },
  };
}

export interface LearnedConstant {
  value: tf.Variable;
  apply(batch: number): tf.Tensor4D;
}

export function constant(store: ParamStore, name: string, o: { height: number; width: number; channels: number }): LearnedConstant {
  const value = store.variable(`${name}/const`, [1, o.height, o.width, o.channels], "ones");
  return {
    value,
    apply(batch: number): tf.Tensor4D {
      return tf.tidy(() => tf.tile(value, [batch, 1, 1, 1]) as tf.Tensor4D);
    },
  };
}

export function fade(a: tf.Tensor, b: tf.Tensor, alpha: number | tf.Scalar): tf.Tensor {
  if (typeof alpha === "number" && !(alpha >= 0 && alpha <= 1)) {
    throw new RuntimeUserError(`fade: alpha must be in [0, 1], got ${alpha}`);
  }
  if (!tf.util.arraysEqual(a.shape, b.shape)) {
    throw new RuntimeUserError(`fade: the two inputs have different shapes [${a.shape.join(", ")}] and [${b.shape.join(", ")}]`);
  }
  return tf.tidy(() => tf.add(tf.mul(a, tf.sub(1, alpha)), tf.mul(b, alpha)));
}
