import { describe, expect, it } from "vitest";
import { useBackend } from "../../src/runtime/backend.js";
import { bernoulli, categorical, normal, permutation, sampleIndices, seedFor, truncatedNormal, uniform } from "../../src/runtime/rng.js";

describe("deterministic rng", () => {
  it("seedFor is a deterministic 32-bit hash sensitive to every input", () => {
    const a = seedFor(1, 5, "z");
    expect(seedFor(1, 5, "z")).toBe(a);
    expect(a).toBeGreaterThanOrEqual(0);
    expect(a).toBeLessThan(2 ** 32);
    const others = [seedFor(2, 5, "z"), seedFor(1, 6, "z"), seedFor(1, 5, "y"), seedFor(1, 5, "z2"), seedFor(1, 5 + 2 ** 32, "z")];
    for (const o of others) expect(o).not.toBe(a);
    const many = new Set<number>();
    for (let s = 0; s < 2000; s++) many.add(seedFor(0, s, "stream"));
    expect(many.size).toBe(2000);
  });

  it("same (seed, step, stream) gives the same tensors; a different stream or step differs", async () => {
    await useBackend("cpu");
    const a = Array.from(normal([4, 3], 7, 2, "z").dataSync());
    expect(Array.from(normal([4, 3], 7, 2, "z").dataSync())).toEqual(a);
    expect(Array.from(normal([4, 3], 7, 2, "w").dataSync())).not.toEqual(a);
    expect(Array.from(normal([4, 3], 7, 3, "z").dataSync())).not.toEqual(a);
    // identical on another backend: values are generated in JavaScript
    await useBackend("wasm");
    expect(Array.from(normal([4, 3], 7, 2, "z").dataSync())).toEqual(a);
  });

  it("distributions have the right moments and ranges", async () => {
    await useBackend("cpu");
    const n = Array.from(normal([20000], 1, 0, "n", 2, 3).dataSync());
    const mean = n.reduce((s, v) => s + v, 0) / n.length;
    const sd = Math.sqrt(n.reduce((s, v) => s + (v - mean) ** 2, 0) / n.length);
    expect(Math.abs(mean - 2)).toBeLessThan(0.1);
    expect(Math.abs(sd - 3)).toBeLessThan(0.1);
    const u = uniform([5000], 1, 0, "u", -1, 1).dataSync();
    expect(Math.min(...u)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...u)).toBeLessThan(1);
    const t = truncatedNormal([5000], 1, 0, "t", 0.5).dataSync();
    expect(Math.max(...Array.from(t, Math.abs))).toBeLessThanOrEqual(0.5);
    const c = categorical(10, 5000, 1, 0, "c").dataSync();
    const counts = new Array(10).fill(0);
    for (const v of c) counts[v]++;
    for (const k of counts) expect(k).toBeGreaterThan(400);
    const b = Array.from(bernoulli([10000], 0.3, 1, 0, "b").dataSync());
    expect(Math.abs(b.reduce((s, v) => s + v, 0) / 10000 - 0.3)).toBeLessThan(0.02);
  });

  it("truncated normals end for any threshold (1e-300 to Infinity), stay within it, and have the truncated moments", async () => {
    await useBackend("cpu");
    // Standard deviations of N(0, 1) truncated to [-t, t]: sqrt(1 - 2t·φ(t) / (2Φ(t) - 1)).
    for (const [tau, sd] of [[1, 0.53956], [2, 0.87963], [0.1, 0.1 / Math.sqrt(3)], [1e-6, 1e-6 / Math.sqrt(3)]] as const) {
      const v = Array.from(truncatedNormal([20000], 5, 1, "t", tau).dataSync());
      expect(Math.max(...v.map(Math.abs))).toBeLessThanOrEqual(Math.fround(tau));
      const mean = v.reduce((s, x) => s + x, 0) / v.length;
      expect(Math.abs(mean)).toBeLessThan(0.03 * sd);
      const got = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / v.length);
      expect(Math.abs(got / sd - 1)).toBeLessThan(0.02);
    }
    // tiny thresholds used to resample forever; huge ones are a plain normal
    expect(Array.from(truncatedNormal([1000], 1, 0, "t", 1e-300).dataSync()).every((x) => Math.abs(x) <= 1e-300)).toBe(true);
    const wide = Array.from(truncatedNormal([20000], 1, 0, "t", Infinity).dataSync());
    expect(Math.abs(Math.sqrt(wide.reduce((s, x) => s + x * x, 0) / wide.length) - 1)).toBeLessThan(0.02);
    // a pure function of (seed, step, stream), one draw per value
    expect(Array.from(truncatedNormal([50], 3, 4, "z", 0.7).dataSync())).toEqual(Array.from(truncatedNormal([50], 3, 4, "z", 0.7).dataSync()));
    expect(Array.from(truncatedNormal([50], 3, 5, "z", 0.7).dataSync())).not.toEqual(Array.from(truncatedNormal([50], 3, 4, "z", 0.7).dataSync()));
    expect(Array.from(truncatedNormal([60], 3, 4, "z", 0.7).dataSync()).slice(0, 50)).toEqual(Array.from(truncatedNormal([50], 3, 4, "z", 0.7).dataSync()));
  }, 20_000);

  it("permutations and index samples are deterministic and valid", () => {
    const p = permutation(100, 3, 1, "shuffle");
    expect(Array.from(p).sort((x, y) => x - y)).toEqual([...Array(100).keys()]);
    expect(Array.from(permutation(100, 3, 1, "shuffle"))).toEqual(Array.from(p));
    expect(Array.from(permutation(100, 3, 2, "shuffle"))).not.toEqual(Array.from(p));
    const s = sampleIndices(10, 50, 3, 1, "idx");
    expect(s.every((v) => v >= 0 && v < 10)).toBe(true);
    expect(() => sampleIndices(0, 5, 1, 1, "x")).toThrow(/empty/);
    expect(() => seedFor(-1, 0, "x")).toThrow(/non-negative integer/);
  });
});
