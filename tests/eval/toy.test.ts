// Toy 2-D mode-coverage metrics on hand-made samples (VEEGAN/PacGAN protocol).
import { beforeAll, describe, expect, it } from "vitest";
import { useBackend } from "../../src/runtime/backend.js";
import { toyMetrics, referenceFromData } from "../../src/runtime/eval/index.js";
import { ring } from "../../src/runtime/data/toy2d.js";

const RING = ring(8, 1, 0.01);
const ref = { centers: RING.centers, std: RING.std };

/** n copies of point p, flattened. */
const at = (p: readonly [number, number], n: number) => Array.from({ length: n }, () => [p[0], p[1]]).flat();

beforeAll(async () => {
  await useBackend("cpu");
});

describe("toy 2-D metrics", () => {
  it("all samples on one mode: 1 mode covered, reverse KL = log 8", () => {
    const m = toyMetrics(at(RING.centers[3]!, 100), ref);
    expect(m.modes).toBe(8);
    expect(m.modes_covered).toBe(1);
    expect(m.high_quality_fraction).toBe(1);
    expect(m.reverse_kl).toBeCloseTo(Math.log(8), 12);
    expect(m.mode_counts).toEqual([0, 0, 0, 100, 0, 0, 0, 0]);
  });

  it("samples spread evenly over the modes: 8 covered, reverse KL = 0", () => {
    const pts = RING.centers.flatMap((c) => at([c[0] + 0.02, c[1] - 0.01], 25)); // within 3 std = 0.03
    const m = toyMetrics(pts, ref);
    expect(m.modes_covered).toBe(8);
    expect(m.high_quality_fraction).toBe(1);
    expect(m.reverse_kl).toBeCloseTo(0, 12);
  });

  it("far samples are not high quality and do not count towards coverage or the histogram", () => {
    // 30 on mode 0, 10 on mode 1 (hand: q = (3/4, 1/4), KL = 3/4 log 6 + 1/4 log 2), 60 off every mode
    const pts = [...at(RING.centers[0]!, 30), ...at(RING.centers[1]!, 10), ...at([0, 0], 40), ...at([RING.centers[2]![0] + 0.05, RING.centers[2]![1]], 20)];
    const m = toyMetrics(pts, ref);
    expect(m.samples).toBe(100);
    expect(m.modes_covered).toBe(2);
    expect(m.high_quality_fraction).toBeCloseTo(0.4, 12);
    expect(m.reverse_kl).toBeCloseTo(0.75 * Math.log(6) + 0.25 * Math.log(2), 12);
  });

  it("no high-quality sample: nothing covered, reverse KL undefined (null)", () => {
    const m = toyMetrics(at([0, 0], 10), ref);
    expect(m).toMatchObject({ modes_covered: 0, high_quality_fraction: 0, reverse_kl: null });
  });

  it("the quality threshold is 3 std from the nearest centre", () => {
    const c = RING.centers[0]!;
    expect(toyMetrics([c[0] + 0.0299, c[1]], ref).high_quality_fraction).toBe(1);
    expect(toyMetrics([c[0] + 0.0301, c[1]], ref).high_quality_fraction).toBe(0);
  });

  it("samples drawn from the mixture itself score like the data", () => {
    const x = RING.sample(2500, 7, 0);
    const m = toyMetrics(x.dataSync(), ref);
    x.dispose();
    expect(m.modes_covered).toBe(8);
    expect(m.high_quality_fraction).toBeGreaterThan(0.98); // P(|N(0, I)| ≤ 3) = 1 − e^{−4.5} ≈ 0.989
    expect(m.reverse_kl!).toBeLessThan(0.01);
  });

  it("the reference comes from the spec's ring/grid data declaration", () => {
    const r = referenceFromData([{ source: "grid", args: { size: 5, spacing: 2, std: 0.05 } }]);
    expect(r.toy2d!.centers).toHaveLength(25);
    expect(r.toy2d!.std).toBe(0.05);
    expect(r.toy2d!.centers).toContainEqual([-4, 4]);
    const mn = referenceFromData([{ source: "mnist", args: { range: [0, 1], transform: "none" } }]);
    expect(mn).toEqual({ mnist: { range: "0..1" } });
    expect(referenceFromData([{ source: "mnist", args: { range: [-1, 1], transform: "edges" } }])).toEqual({});
  });
});
