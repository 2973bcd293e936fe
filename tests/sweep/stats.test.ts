// The statistics of `ganc compare` against known values: t quantiles (R's qt), the closed-form
// t CDFs of 1 and 2 degrees of freedom, the CDF by numerical integration of the density at
// non-integer df, Welch's statistic and degrees of freedom by hand, and Holm's adjustment.
import { describe, expect, it } from "vitest";
import { holm, incompleteBeta, logGamma, summarize, tCdf, tQuantile, tTwoSided, welch } from "../../src/sweep/stats.js";

/** The t density, integrated by Simpson's rule from 0 to t (an independent route to the CDF). */
function cdfByIntegration(t: number, df: number): number {
  const c = Math.exp(logGamma((df + 1) / 2) - logGamma(df / 2)) / Math.sqrt(df * Math.PI);
  const f = (x: number) => c * (1 + (x * x) / df) ** (-(df + 1) / 2);
  const n = 20_000;
  const h = t / n;
  let s = f(0) + f(t);
  for (let i = 1; i < n; i++) s += (i % 2 === 1 ? 4 : 2) * f(i * h);
  return 0.5 + (s * h) / 3;
}

describe("the t distribution", () => {
  it("has the tabulated 97.5%, 95% and 99.5% quantiles", () => {
    // [p, df, the quantile as printed in t tables]
    const table: [number, number, number][] = [
      [0.975, 1, 12.7062],
      [0.975, 2, 4.3027],
      [0.975, 3, 3.1824],
      [0.975, 4, 2.7764],
      [0.975, 5, 2.5706],
      [0.975, 10, 2.2281],
      [0.975, 30, 2.0423],
      [0.95, 3, 2.3534],
      [0.995, 4, 4.6041],
    ];
    for (const [p, df, q] of table) expect(tQuantile(p, df)).toBeCloseTo(q, 4);
    expect(tQuantile(0.975, 1e7)).toBeCloseTo(1.96, 4); // the normal quantile in the limit
    expect(tQuantile(0.025, 4)).toBeCloseTo(-2.7764, 4);
    expect(tQuantile(0.5, 7)).toBe(0);
  });

  it("matches the closed forms for 1 df (Cauchy) and 2 df", () => {
    for (const t of [-30, -2.5, -0.3, 0, 0.7, 1.5, 12]) {
      expect(tCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 13);
      expect(tCdf(t, 2)).toBeCloseTo(0.5 + t / (2 * Math.sqrt(2 + t * t)), 13);
    }
  });

  it("matches the integrated density at non-integer degrees of freedom", () => {
    for (const [t, df] of [
      [2.1, 3.7],
      [0.4, 1.3],
      [3.5, 24.99],
      [1.0, 0.8],
    ] as const)
      expect(tCdf(t, df)).toBeCloseTo(cdfByIntegration(t, df), 8);
  });

  it("quantile and CDF are inverse; the two-sided p is twice the upper tail", () => {
    for (const df of [1.5, 4.0755, 9, 57.3])
      for (const p of [0.6, 0.9, 0.975, 0.999]) {
        const q = tQuantile(p, df);
        expect(tCdf(q, df)).toBeCloseTo(p, 12);
        expect(tTwoSided(q, df)).toBeCloseTo(2 * (1 - p), 12);
      }
  });

  it("the incomplete beta function has its symmetry and known values", () => {
    expect(incompleteBeta(0.3, 2, 3)).toBeCloseTo(1 - incompleteBeta(0.7, 3, 2), 14);
    expect(incompleteBeta(0.5, 1, 1)).toBeCloseTo(0.5, 14); // uniform
    expect(incompleteBeta(0.25, 2, 1)).toBeCloseTo(0.0625, 14); // x²
    expect(Math.exp(logGamma(6))).toBeCloseTo(120, 9);
    expect(Math.exp(logGamma(0.5))).toBeCloseTo(Math.sqrt(Math.PI), 12);
  });
});

describe("summaries and tests over seeds", () => {
  it("summarises with the sample sd and the t interval of the mean", () => {
    const s = summarize([6, 7, 8, 6, 8]);
    expect(s.mean).toBe(7);
    expect(s.sd).toBeCloseTo(1, 14);
    const half = tQuantile(0.975, 4) / Math.sqrt(5); // 2.7764 · sd / √n
    expect(s.ci95).toEqual([7 - half, 7 + half]);
    expect(half).toBeCloseTo(1.2417, 4);
    expect(summarize([3])).toEqual({ n: 1, mean: 3, sd: null, ci95: null });
  });

  it("computes Welch's t and degrees of freedom by the Welch–Satterthwaite formula", () => {
    // a: mean 2, variance 1, n 3; b: mean 7, variance 20/3, n 4.
    // se² = 1/3 + 5/3 = 2, t = −5/√2, df = 2² / ((1/3)²/2 + (5/3)²/3) = 216/53.
    const w = welch([1, 2, 3], [4, 6, 8, 10])!;
    expect(w.difference).toBe(-5);
    expect(w.t).toBeCloseTo(-5 / Math.SQRT2, 12);
    expect(w.df).toBeCloseTo(216 / 53, 12);
    expect(w.p).toBeCloseTo(2 * (1 - cdfByIntegration(-w.t, w.df)), 8);
    // Equal sizes and variances: Welch's df is 2(n − 1), as Student's.
    const e = welch([1, 2, 3, 4], [11, 12, 13, 14])!;
    expect(e.df).toBeCloseTo(6, 12);
  });

  it("reproduces a published Welch test (t −2.46, df 24.99, p 0.021)", () => {
    // The first worked example of the Wikipedia article "Welch's t-test".
    const a = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4];
    const b = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4];
    const w = welch(a, b)!;
    expect(w.t).toBeCloseTo(-2.46, 2);
    expect(w.df).toBeCloseTo(24.99, 2);
    expect(w.p).toBeCloseTo(0.021, 3);
  });

  it("is undefined without two values a side or without any spread", () => {
    expect(welch([1], [2, 3])).toBeNull();
    expect(welch([8, 8], [6, 6])).toBeNull();
    expect(welch([8, 8], [6, 7])).not.toBeNull();
  });

  it("adjusts p-values by Holm's step-down method", () => {
    expect(holm([0.01, 0.04, 0.03, 0.5])).toEqual([0.04, 0.09, 0.09, 0.5]);
    expect(holm([0.2])).toEqual([0.2]);
    expect(holm([0.6, 0.5])).toEqual([1, 1]);
    expect(holm([])).toEqual([]);
  });
});
