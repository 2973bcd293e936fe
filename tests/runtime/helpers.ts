/** Shared test helpers for the runtime tests. */
import * as tf from "@tensorflow/tfjs";
import { expect } from "vitest";
import { Prng } from "../../src/runtime/rng.js";

export const BACKENDS = ["cpu", "wasm"] as const;

/** A deterministic tensor of uniform values in [lo, hi) (tests only). */
export function rand(shape: number[], seed: number, lo = -1, hi = 1): tf.Tensor {
  const r = new Prng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = lo + (hi - lo) * r.nextFloat();
  return tf.tensor(v, shape);
}

export function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  expect(a.shape).toEqual(b.shape);
  const x = a.dataSync();
  const y = b.dataSync();
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
}

/** |a − b| ≤ rel·max(|a|, |b|) + abs. */
export function expectClose(a: number, b: number, rel = 1e-2, abs = 1e-3): void {
  const tol = rel * Math.max(Math.abs(a), Math.abs(b)) + abs;
  if (!(Math.abs(a - b) <= tol)) throw new Error(`expected ${a} ≈ ${b} (tolerance ${tol})`);
}

/**
 * Central finite difference of the scalar `loss()` with respect to entry
 * `index` of variable `v` (the variable is restored afterwards).
 */
export function finiteDifference(loss: () => tf.Scalar, v: tf.Variable, index: number, eps = 1e-3): number {
  const original = v.dataSync().slice();
  const at = (delta: number): number => {
    const vals = original.slice();
    vals[index] = vals[index]! + delta;
    v.assign(tf.tensor(vals, v.shape));
    return tf.tidy(() => loss().dataSync()[0]!);
  };
  const plus = at(eps);
  const minus = at(-eps);
  v.assign(tf.tensor(original, v.shape));
  return (plus - minus) / (2 * eps);
}
