/**
 * The Fréchet distance between two Gaussians fitted to feature vectors (FID when the features
 * come from an image classifier), in Float64:
 *
 *   d² = ‖μ₁ − μ₂‖² + tr Σ₁ + tr Σ₂ − 2 tr (Σ₁^½ Σ₂ Σ₁^½)^½
 *
 * (Σ₁^½ Σ₂ Σ₁^½ is symmetric positive semi-definite and has the eigenvalues of Σ₁Σ₂, so its
 * square root's trace equals tr (Σ₁Σ₂)^½.) Both square roots come from a cyclic Jacobi
 * eigendecomposition of a symmetric matrix; tiny negative eigenvalues from rounding are clamped
 * to zero.
 */

/** Mean and covariance of D-dimensional features; `cov` is D×D row-major. */
export interface Gaussian {
  dim: number;
  /** The number of vectors the statistics came from. */
  count: number;
  mean: Float64Array;
  cov: Float64Array;
}

/** Mean and unbiased covariance of `n` vectors of `dim` values stored row by row in `x`. */
export function gaussianOf(x: ArrayLike<number>, n: number, dim: number): Gaussian {
  if (x.length !== n * dim) throw new Error(`gaussianOf: expected ${n}×${dim} values, got ${x.length}`);
  if (n < 2) throw new Error("gaussianOf needs at least two vectors");
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) mean[j]! += x[i * dim + j]!;
  for (let j = 0; j < dim; j++) mean[j]! /= n;
  const cov = new Float64Array(dim * dim);
  const v = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dim; j++) v[j] = x[i * dim + j]! - mean[j]!;
    for (let a = 0; a < dim; a++) {
      const va = v[a]!;
      if (va === 0) continue;
      const row = a * dim;
      for (let b = a; b < dim; b++) cov[row + b]! += va * v[b]!;
    }
  }
  for (let a = 0; a < dim; a++) {
    for (let b = a; b < dim; b++) {
      const c = cov[a * dim + b]! / (n - 1);
      cov[a * dim + b] = c;
      cov[b * dim + a] = c;
    }
  }
  return { dim, count: n, mean, cov };
}

/**
 * Eigendecomposition of the symmetric n×n matrix `a` (row-major; not modified) by cyclic
 * Jacobi rotations: a = V diag(values) Vᵀ, eigenvector k in column k of `vectors` (row-major).
 */
export function symmetricEigen(a: ArrayLike<number>, n: number): { values: Float64Array; vectors: Float64Array } {
  const A = Float64Array.from(a as ArrayLike<number>);
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  let scale = 0;
  for (let i = 0; i < n * n; i++) scale += A[i]! * A[i]!;
  const tolerance = 1e-30 * Math.max(scale, Number.MIN_VALUE);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += A[p * n + q]! ** 2;
    if (off <= tolerance) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q]!;
        if (apq === 0) continue;
        const theta = (A[q * n + q]! - A[p * n + p]!) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          // columns p and q: A ← A J
          const akp = A[k * n + p]!;
          const akq = A[k * n + q]!;
          A[k * n + p] = c * akp - s * akq;
          A[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          // rows p and q: A ← Jᵀ A
          const apk = A[p * n + k]!;
          const aqk = A[q * n + k]!;
          A[p * n + k] = c * apk - s * aqk;
          A[q * n + k] = s * apk + c * aqk;
        }
        A[p * n + q] = 0;
        A[q * n + p] = 0;
        for (let k = 0; k < n; k++) {
          const vkp = V[k * n + p]!;
          const vkq = V[k * n + q]!;
          V[k * n + p] = c * vkp - s * vkq;
          V[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = A[i * n + i]!;
  return { values, vectors: V };
}

/** The square root of a symmetric positive semi-definite matrix (negative eigenvalues clamped to 0). */
export function sqrtPsd(a: ArrayLike<number>, n: number): Float64Array {
  const { values, vectors: V } = symmetricEigen(a, n);
  const out = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const r = Math.sqrt(Math.max(values[k]!, 0));
    if (r === 0) continue;
    for (let i = 0; i < n; i++) {
      const vik = V[i * n + k]! * r;
      if (vik === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j]! += vik * V[j * n + k]!;
    }
  }
  return out;
}

function matMul(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k]!;
      if (aik === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j]! += aik * b[k * n + j]!;
    }
  }
  return out;
}

/** The Fréchet distance (squared, as FID reports it) between two Gaussians of the same dimension. */
export function frechetDistance(g1: Gaussian, g2: Gaussian): number {
  const n = g1.dim;
  if (g2.dim !== n) throw new Error(`frechetDistance: dimensions differ (${n} vs ${g2.dim})`);
  let meanTerm = 0;
  let tr1 = 0;
  let tr2 = 0;
  for (let i = 0; i < n; i++) {
    meanTerm += (g1.mean[i]! - g2.mean[i]!) ** 2;
    tr1 += g1.cov[i * n + i]!;
    tr2 += g2.cov[i * n + i]!;
  }
  const s = sqrtPsd(g1.cov, n);
  const m = matMul(matMul(s, g2.cov, n), s, n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const avg = (m[i * n + j]! + m[j * n + i]!) / 2;
      m[i * n + j] = avg;
      m[j * n + i] = avg;
    }
  }
  const { values } = symmetricEigen(m, n);
  let trSqrt = 0;
  for (const v of values) trSqrt += Math.sqrt(Math.max(v, 0));
  return Math.max(0, meanTerm + tr1 + tr2 - 2 * trSqrt);
}
