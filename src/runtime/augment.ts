/**
 * Differentiable augmentations (DiffAugment, Zhao et al. 2020, "colour, translation, cutout";
 * bCR's translation, Zhao et al. 2021): functions of an image batch [N, H, W, C] whose
 * randomness is a pure function of (seed, step, stream), as latents are, so a resumed run draws
 * the same augmentations as the uninterrupted one. Gradients flow through them to whatever
 * computed the batch (a generator's fakes). Each example gets its own draw; the ranges are the
 * paper's for images in [-1, 1].
 */
import * as tf from "@tensorflow/tfjs";
import { prngFor, type Prng } from "./rng.js";

function dims(x: tf.Tensor): [number, number, number, number] {
  const [n, h, w, c] = x.shape;
  return [n ?? 1, h ?? 1, w ?? 1, c ?? 1];
}

/** One uniform draw in [0, 1) per example, as [N, 1, 1, 1]. */
function perExample(rng: Prng, n: number): tf.Tensor {
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = rng.nextFloat();
  return tf.tensor4d(v, [n, 1, 1, 1]);
}

/**
 * DiffAugment's colour: brightness + (u − 0.5), then saturation ×2u around the mean over
 * channels, then contrast ×(u + 0.5) around the example's mean, u ~ U[0, 1) each, per example.
 */
export function colorJitter(x: tf.Tensor, seed: number, step: number, stream: string): tf.Tensor {
  const rng = prngFor(seed, step, stream);
  const n = dims(x)[0];
  return tf.tidy(() => {
    const [b, s, c] = [perExample(rng, n), perExample(rng, n), perExample(rng, n)];
    const bright = tf.add(x, tf.sub(b, 0.5));
    const channelMean = tf.mean(bright, 3, true);
    const saturated = tf.add(tf.mul(tf.sub(bright, channelMean), tf.mul(s, 2)), channelMean);
    const mean = tf.mean(saturated, [1, 2, 3], true);
    return tf.add(tf.mul(tf.sub(saturated, mean), tf.add(c, 0.5)), mean);
  });
}

/** One-hot shift matrices [N, size, size]: row i picks i + shift[b], or nothing beyond the edge. */
function shiftMatrices(shifts: Int32Array, size: number): tf.Tensor3D {
  const m = new Float32Array(shifts.length * size * size);
  shifts.forEach((d, b) => {
    for (let i = 0; i < size; i++) if (i + d >= 0 && i + d < size) m[(b * size + i) * size + i + d] = 1;
  });
  return tf.tensor3d(m, [shifts.length, size, size]);
}

/**
 * Translation by a whole number of pixels drawn uniformly from [−s, s] on each axis per example,
 * s = round(ratio · size), zeros shifted in (DiffAugment's translation, ratio 1/8; bCR's).
 * Output pixel (i, j) is input pixel (i + dy, j + dx). Written as products with shift matrices
 * (rows, then columns), which every backend differentiates, twice if need be.
 */
export function translate(x: tf.Tensor, ratio: number, seed: number, step: number, stream: string): tf.Tensor {
  const [n, h, w, c] = dims(x);
  const sy = Math.floor(h * ratio + 0.5);
  const sx = Math.floor(w * ratio + 0.5);
  const rng = prngFor(seed, step, stream);
  const [dy, dx] = [new Int32Array(n), new Int32Array(n)];
  for (let b = 0; b < n; b++) {
    dy[b] = rng.nextInt(2 * sy + 1) - sy;
    dx[b] = rng.nextInt(2 * sx + 1) - sx;
  }
  return tf.tidy(() => {
    const rows = tf.matMul(shiftMatrices(dy, h), tf.reshape(x, [n, h, w * c]));
    const byColumn = tf.reshape(tf.transpose(tf.reshape(rows, [n, h, w, c]), [0, 2, 1, 3]), [n, w, h * c]);
    const cols = tf.matMul(shiftMatrices(dx, w), byColumn);
    return tf.transpose(tf.reshape(cols, [n, w, h, c]), [0, 2, 1, 3]);
  });
}

/**
 * Cutout: a square of side round(ratio · size) set to zero, centred at a position drawn per
 * example (DiffAugment's cutout, ratio 1/2; the square is clipped at the border).
 */
export function cutout(x: tf.Tensor, ratio: number, seed: number, step: number, stream: string): tf.Tensor {
  const [n, h, w] = dims(x);
  const [ch, cw] = [Math.floor(h * ratio + 0.5), Math.floor(w * ratio + 0.5)];
  const rng = prngFor(seed, step, stream);
  const mask = new Float32Array(n * h * w).fill(1);
  for (let b = 0; b < n; b++) {
    const top = rng.nextInt(h + (1 - (ch % 2))) - Math.floor(ch / 2);
    const left = rng.nextInt(w + (1 - (cw % 2))) - Math.floor(cw / 2);
    for (let i = Math.max(top, 0); i < Math.min(top + ch, h); i++)
      for (let j = Math.max(left, 0); j < Math.min(left + cw, w); j++) mask[(b * h + i) * w + j] = 0;
  }
  return tf.tidy(() => tf.mul(x, tf.tensor4d(mask, [n, h, w, 1])));
}
