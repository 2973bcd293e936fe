// The Fréchet distance and its Jacobi eigendecomposition, in Float64, against closed forms.
import { describe, expect, it } from "vitest";
import { frechetDistance, gaussianOf, sqrtPsd, symmetricEigen, type Gaussian } from "../../src/runtime/eval/frechet.js";
import { Prng } from "../../src/runtime/rng.js";

function randomSpd(n: number, seed: number): Float64Array {
  const r = new Prng(seed);
  const b = Float64Array.from({ length: n * n }, () => r.nextNormal());
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) a[i * n + j]! += b[i * n + k]! * b[j * n + k]!;
  return a;
}

const gauss = (mean: number[], cov: number[]): Gaussian => ({ dim: mean.length, count: 100, mean: Float64Array.from(mean), cov: Float64Array.from(cov) });

describe("symmetric eigendecomposition (Jacobi)", () => {
  it("reconstructs a random 64×64 SPD matrix with orthonormal eigenvectors", () => {
    const n = 64;
    const a = randomSpd(n, 3);
    const { values, vectors: v } = symmetricEigen(a, n);
    let err = 0;
    let orth = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        let o = 0;
        for (let k = 0; k < n; k++) {
          s += v[i * n + k]! * values[k]! * v[j * n + k]!;
          o += v[k * n + i]! * v[k * n + j]!;
        }
        err = Math.max(err, Math.abs(s - a[i * n + j]!));
        orth = Math.max(orth, Math.abs(o - (i === j ? 1 : 0)));
      }
    }
    expect(err).toBeLessThan(1e-9);
    expect(orth).toBeLessThan(1e-12);
  });

  it("a 2×2 case by hand: [[2, 1], [1, 2]] has eigenvalues 1 and 3", () => {
    const { values } = symmetricEigen([2, 1, 1, 2], 2);
    expect([...values].sort()).toEqual([expect.closeTo(1, 14), expect.closeTo(3, 14)]);
  });

  it("sqrtPsd(A)² = A", () => {
    const n = 16;
    const a = randomSpd(n, 5);
    const s = sqrtPsd(a, n);
    let err = 0;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let t = 0;
        for (let k = 0; k < n; k++) t += s[i * n + k]! * s[k * n + j]!;
        err = Math.max(err, Math.abs(t - a[i * n + j]!));
      }
    expect(err).toBeLessThan(1e-9);
  });
});

describe("Fréchet distance", () => {
  it("1-D: (μ₁ − μ₂)² + (σ₁ − σ₂)²", () => {
    expect(frechetDistance(gauss([1], [4]), gauss([3], [9]))).toBeCloseTo(4 + 1, 12);
  });

  it("diagonal covariances: ‖μ₁ − μ₂‖² + Σ (√a − √b)²", () => {
    const d = frechetDistance(gauss([0, 0, 1], [1, 0, 0, 0, 4, 0, 0, 0, 9]), gauss([1, 0, 0], [4, 0, 0, 0, 1, 0, 0, 0, 16]));
    expect(d).toBeCloseTo(1 + 1 + (1 - 2) ** 2 + (2 - 1) ** 2 + (3 - 4) ** 2, 10);
  });

  it("commuting covariances by hand: Σ₁ = I, Σ₂ = [[2, 1], [1, 2]] → tr Σ₂ + 2 − 2(1 + √3)", () => {
    expect(frechetDistance(gauss([0, 0], [1, 0, 0, 1]), gauss([0, 0], [2, 1, 1, 2]))).toBeCloseTo(4 + 2 - 2 * (1 + Math.sqrt(3)), 12);
  });

  it("FD(x, x) ≈ 0 for a random 128-dimensional Gaussian, and FD is symmetric", () => {
    const n = 128;
    const a: Gaussian = { dim: n, count: 1, mean: new Float64Array(n).fill(0.5), cov: randomSpd(n, 9) };
    const self = frechetDistance(a, a);
    const scale = a.cov.reduce((t, v, i) => (i % (n + 1) === 0 ? t + v : t), 0); // tr Σ ≈ 128²
    expect(self / scale).toBeLessThan(1e-9);
    const b: Gaussian = { dim: n, count: 1, mean: new Float64Array(n), cov: randomSpd(n, 10) };
    expect(frechetDistance(a, b)).toBeCloseTo(frechetDistance(b, a), 6);
  });

  it("gaussianOf: mean and unbiased covariance", () => {
    const g = gaussianOf([1, 2, 3, 6, 5, 10], 3, 2); // x = (1, 3, 5), y = (2, 6, 10)
    expect([...g.mean]).toEqual([3, 6]);
    expect([...g.cov]).toEqual([4, 8, 8, 16]);
  });
});
