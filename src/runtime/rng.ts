/**
 * Deterministic randomness. Every draw is a pure function of
 * (seed, step, stream name): there is no global RNG state, so a run resumed at
 * step k reproduces the uninterrupted run exactly, and the values are the same
 * on every backend (they are generated in JavaScript, then uploaded).
 *
 * Use a distinct stream name for each distinct draw within a step
 * ("z/D", "z/G", "dropout/D/drop1", ...).
 */
import * as tf from "@tensorflow/tfjs";
import { RuntimeUserError } from "./errors.js";

/** A 32-bit hash of (seed, step, stream) — murmur3-style mixing of every input. */
export function seedFor(seed: number, step: number, stream: string): number {
  checkInt("seed", seed);
  checkInt("step", step);
  let h = fmix32((seed >>> 0) ^ 0x9e3779b9);
  h = fmix32(h ^ (Math.floor(seed / 0x100000000) >>> 0));
  h = fmix32((h + Math.imul(step >>> 0, 0x85ebca6b)) >>> 0);
  h = fmix32(h ^ (Math.floor(step / 0x100000000) >>> 0));
  for (let i = 0; i < stream.length; i++) {
    h = Math.imul(h ^ stream.charCodeAt(i), 0x5bd1e995) >>> 0;
    h = (h ^ (h >>> 15)) >>> 0;
  }
  return fmix32((h ^ stream.length) >>> 0);
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function checkInt(what: string, v: number): void {
  if (!Number.isSafeInteger(v) || v < 0) throw new RuntimeUserError(`${what} must be a non-negative integer, got ${v}`);
}

/** A small pure-JS PRNG (sfc32) with uniform and normal draws. */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare: number | null = null;

  constructor(seed32: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed32 >>> 0;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1) with 32 bits of randomness. */
  nextFloat(): number {
    return this.nextUint32() / 0x100000000;
  }

  /** Uniform integer in [0, n). */
  nextInt(n: number): number {
    // Rejection sampling removes modulo bias.
    const limit = Math.floor(0x100000000 / n) * n;
    let v = this.nextUint32();
    while (v >= limit) v = this.nextUint32();
    return v % n;
  }

  /** Standard normal (Box–Muller, both values used). */
  nextNormal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u = this.nextFloat();
    while (u === 0) u = this.nextFloat();
    const v = this.nextFloat();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
}

/** The PRNG for (seed, step, stream). */
export function prngFor(seed: number, step: number, stream: string): Prng {
  return new Prng(seedFor(seed, step, stream));
}

function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new RuntimeUserError(`invalid shape [${shape.join(", ")}]`);
    n *= d;
  }
  return n;
}

/** Normal(mean, std) samples as a float32 tensor. */
export function normal(shape: number[], seed: number, step: number, stream: string, mean = 0, std = 1): tf.Tensor {
  const rng = prngFor(seed, step, stream);
  const out = new Float32Array(sizeOf(shape));
  for (let i = 0; i < out.length; i++) out[i] = mean + std * rng.nextNormal();
  return tf.tensor(out, shape, "float32");
}

/** Uniform [min, max) samples as a float32 tensor. */
export function uniform(shape: number[], seed: number, step: number, stream: string, min = 0, max = 1): tf.Tensor {
  const rng = prngFor(seed, step, stream);
  const out = new Float32Array(sizeOf(shape));
  for (let i = 0; i < out.length; i++) out[i] = min + (max - min) * rng.nextFloat();
  return tf.tensor(out, shape, "float32");
}

/**
 * Normal(0, std) truncated to |z| ≤ tau·std (the "truncation trick" for sampling), by inverting
 * the normal CDF: one uniform draw per value, so it takes the same time for any tau (rejection
 * sampling never ends for a tiny one). A uniform u in (−1, 1) maps to the quantile 1/2 + u·p with
 * p = Φ(tau) − 1/2, computed in the lower tail where the quantile is most precise.
 */
export function truncatedNormal(shape: number[], seed: number, step: number, stream: string, tau = 2, std = 1): tf.Tensor {
  if (!(tau > 0)) throw new RuntimeUserError(`truncation threshold must be > 0, got ${tau}`);
  const rng = prngFor(seed, step, stream);
  const p = erf(tau / Math.SQRT2) / 2;
  const out = new Float32Array(sizeOf(shape));
  for (let i = 0; i < out.length; i++) {
    const u = 2 * ((rng.nextUint32() + 0.5) / 0x100000000) - 1; // open interval (−1, 1)
    const z = -normalQuantile(0.5 - Math.abs(u) * p);
    out[i] = std * Math.sign(u) * Math.min(z, tau);
  }
  return tf.tensor(out, shape, "float32");
}

/** erf(x) for x ≥ 0: 2/√π·e^(−x²)·Σ 2ⁿx^(2n+1)/(1·3···(2n+1)), a series of positive terms (no cancellation). */
function erf(x: number): number {
  if (x > 6) return 1; // erfc(6) ≈ 2e-17
  let term = x;
  let sum = x;
  for (let n = 1; term > sum * 1e-17; n++) {
    term *= (2 * x * x) / (2 * n + 1);
    sum += term;
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * sum;
}

/** Φ⁻¹(q) for 0 < q < 1 (Acklam's rational approximation, relative error < 1.2e-9: below float32's). */
function normalQuantile(q: number): number {
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const tail = (r: number) => (((((c[0]! * r + c[1]!) * r + c[2]!) * r + c[3]!) * r + c[4]!) * r + c[5]!) / ((((d[0]! * r + d[1]!) * r + d[2]!) * r + d[3]!) * r + 1);
  if (q < 0.02425) return tail(Math.sqrt(-2 * Math.log(q)));
  if (q > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - q)));
  const r = q - 0.5;
  const t = r * r;
  return ((((((a[0]! * t + a[1]!) * t + a[2]!) * t + a[3]!) * t + a[4]!) * t + a[5]!) * r) / (((((b[0]! * t + b[1]!) * t + b[2]!) * t + b[3]!) * t + b[4]!) * t + 1);
}

/** `batch` class labels drawn uniformly from 0..n-1, as an int32 tensor [batch]. */
export function categorical(n: number, batch: number, seed: number, step: number, stream: string): tf.Tensor1D {
  if (!Number.isInteger(n) || n < 1) throw new RuntimeUserError(`number of classes must be a positive integer, got ${n}`);
  const rng = prngFor(seed, step, stream);
  const out = new Int32Array(sizeOf([batch]));
  for (let i = 0; i < out.length; i++) out[i] = rng.nextInt(n);
  return tf.tensor1d(out, "int32");
}

/** 0/1 float32 mask with P(1) = keep (for dropout). */
export function bernoulli(shape: number[], keep: number, seed: number, step: number, stream: string): tf.Tensor {
  if (!(keep >= 0 && keep <= 1)) throw new RuntimeUserError(`keep probability must be in [0, 1], got ${keep}`);
  const rng = prngFor(seed, step, stream);
  const out = new Float32Array(sizeOf(shape));
  for (let i = 0; i < out.length; i++) out[i] = rng.nextFloat() < keep ? 1 : 0;
  return tf.tensor(out, shape, "float32");
}

/** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
export function permutation(n: number, seed: number, step: number, stream: string): Int32Array {
  const rng = prngFor(seed, step, stream);
  const p = new Int32Array(sizeOf([n]));
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}

/** k indices drawn uniformly from 0..n-1 with replacement. */
export function sampleIndices(n: number, k: number, seed: number, step: number, stream: string): Int32Array {
  if (!Number.isInteger(n) || n < 1) throw new RuntimeUserError(`cannot sample indices from an empty set (n = ${n})`);
  const rng = prngFor(seed, step, stream);
  const out = new Int32Array(sizeOf([k]));
  for (let i = 0; i < k; i++) out[i] = rng.nextInt(n);
  return out;
}
