// The grid of a sweep (seeds, setting axes, run ids), sweep.json, and the comparison built from
// a sweep's records — without training anything.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compareSweep, formatComparison } from "../../src/sweep/compare.js";
import { GridError, defaultSweepDir, expand, gridDigest, parseAxes, parseSeeds, variantsOf, type Grid } from "../../src/sweep/grid.js";
import { inSeedOrder } from "../../src/sweep/local.js";
import { SweepFileError, lockSweep, openSweep, readSweep, sweepId, writeSweep, type SweepFile } from "../../src/sweep/state.js";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ganc-grid-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const grid = (over: Partial<Grid> = {}): Grid => ({ specs: ["/s/ring_gan.gan", "/s/ring_wgan_gp.gan"], sets: {}, seeds: [1, 2], steps: null, backend: "wasm", ...over });

describe("the grid", () => {
  it("parses seeds as ranges and lists", () => {
    expect(parseSeeds("1..5")).toEqual([1, 2, 3, 4, 5]);
    expect(parseSeeds("0..2,10")).toEqual([0, 1, 2, 10]);
    expect(parseSeeds("7")).toEqual([7]);
    expect(() => parseSeeds("5..1")).toThrow(GridError);
    expect(() => parseSeeds("1,1")).toThrow(/twice/);
    expect(() => parseSeeds("a")).toThrow(/expected seeds/);
  });

  it("parses settings into axes; a setting given twice is an error", () => {
    expect(parseAxes(["lr=1e-4,2e-4", "width=64"])).toEqual({ lr: ["1e-4", "2e-4"], width: ["64"] });
    expect(() => parseAxes(["lr=1", "lr=2"])).toThrow(/given twice/);
    expect(() => parseAxes(["lr"])).toThrow(/name=value/);
    expect(() => parseAxes(["lr=1,,2"])).toThrow(/empty value/);
  });

  it("expands specs × settings × seeds; variants are named by the settings that vary", () => {
    const g = grid({ sets: { lr: ["1e-4", "2e-4"], width: ["64"] } });
    expect(variantsOf(g).map((v) => v.key)).toEqual(["ring_gan lr=1e-4", "ring_gan lr=2e-4", "ring_wgan_gp lr=1e-4", "ring_wgan_gp lr=2e-4"]);
    expect(variantsOf(g)[0]!.settings).toEqual({ lr: "1e-4", width: "64" });
    const runs = expand(g);
    expect(runs).toHaveLength(8);
    expect(runs.map((r) => r.id).slice(0, 3)).toEqual(["ring_gan-lr=1e-4-s1", "ring_gan-lr=1e-4-s2", "ring_gan-lr=2e-4-s1"]);
    expect(() => variantsOf(grid({ specs: ["/a/x.gan", "/b/x.gan"] }))).toThrow(/two specs are named x.gan/);
    expect(() => expand(grid({ sets: { mode: ["a/b", "a_b"] } }))).toThrow(/share the folder name/);
  });

  it("schedules seed by seed, so a sweep stopped early has every variant", () => {
    const s = openSweep(tmp, "x", grid(), () => ({ steps: 10, data: "ring()" }));
    expect(inSeedOrder(s.runs, s.grid.seeds).map((r) => r.id)).toEqual(["ring_gan-s1", "ring_wgan_gp-s1", "ring_gan-s2", "ring_wgan_gp-s2"]);
    // What is left of a stopped sweep goes on in the grid's seed order too.
    expect(inSeedOrder([s.runs[1]!, s.runs[2]!], s.grid.seeds).map((r) => r.id)).toEqual(["ring_wgan_gp-s1", "ring_gan-s2"]);
  });

  it("names the default folder after the specs and a digest of the grid and their texts", () => {
    const d = gridDigest(grid(), { a: { "ring_gan.gan": "x" } });
    expect(defaultSweepDir(grid(), d)).toBe(path.join("sweeps", `ring_gan+ring_wgan_gp-${d}`));
    expect(gridDigest(grid(), { a: { "ring_gan.gan": "y" } })).not.toBe(d);
    expect(gridDigest(grid({ seeds: [1, 2, 3] }), { a: { "ring_gan.gan": "x" } })).not.toBe(d);
  });
});

describe("sweep.json", () => {
  it("is written atomically, read back, and refuses another sweep's folder", () => {
    const dir = path.join(tmp, "s");
    fs.mkdirSync(dir);
    const id = sweepId(dir, "digest");
    const facts = () => ({ steps: 300, data: "ring(modes=8)" });
    const s = openSweep(dir, id, grid(), facts);
    expect(s.runs.every((r) => r.state === "pending" && r.steps === 300 && r.attempts === 0)).toBe(true);
    expect(s.variants.map((v) => v.data)).toEqual(["ring(modes=8)", "ring(modes=8)"]);
    s.runs[0]!.state = "running";
    writeSweep(dir, s);
    expect(fs.readdirSync(dir)).toEqual(["sweep.json"]);
    // A sweep that died leaves runs "running": they are pending again.
    expect(openSweep(dir, id, grid(), facts).runs[0]!.state).toBe("pending");
    expect(() => openSweep(dir, sweepId(dir, "other"), grid(), facts)).toThrow(SweepFileError);
    fs.writeFileSync(path.join(dir, "sweep.json"), "{");
    expect(() => readSweep(dir)).toThrow(/not valid JSON/);
  });

  it("is driven by one process at a time (sweep.lock); a lock of a process that is gone is taken over", () => {
    const dir = path.join(tmp, "locked");
    fs.mkdirSync(dir);
    const lock = path.join(dir, "sweep.lock");
    fs.writeFileSync(lock, `${process.ppid}\n`); // a live process
    expect(() => lockSweep(dir)).toThrow(/another ganc sweep \(process \d+\) is running/);
    fs.writeFileSync(lock, "2147483646\n"); // no such process
    const release = lockSweep(dir);
    expect(fs.readFileSync(lock, "utf8").trim()).toBe(String(process.pid));
    release();
    expect(fs.existsSync(lock)).toBe(false);
  });
});

/** A finished sweep with the given metric values per variant (variants named grid* train on the grid). */
function finished(values: Record<string, Record<string, number>[]>): SweepFile {
  const specs = Object.keys(values).map((k) => `/s/${k}.gan`);
  const s = openSweep(tmp, "id", grid({ specs, seeds: [1, 2, 3] }), (v) => ({ steps: 100, data: v.startsWith("grid") ? "grid(size=5)" : "ring(modes=8)" }));
  for (const r of s.runs) {
    const ev = values[r.variant]![r.seed - 1];
    if (!ev) continue;
    r.state = "done";
    r.result = { dir: `/r/${r.id}`, host: "h", step: 100, resumed_from: null, losses: {}, eval: ev, eval_kind: "toy2d", sample: `/r/${r.id}/s.png`, seconds: 1 };
  }
  return s;
}

describe("the comparison", () => {
  const s = finished({
    a: [
      { samples: 2500, modes_covered: 8, high_quality_fraction: 0.7 },
      { samples: 2500, modes_covered: 8, high_quality_fraction: 0.75 },
      { samples: 2500, modes_covered: 8, high_quality_fraction: 0.8 },
    ],
    b: [
      { samples: 2500, modes_covered: 6, high_quality_fraction: 0.1 },
      { samples: 2500, modes_covered: 6, high_quality_fraction: 0.2 },
      { samples: 2500, modes_covered: 6, high_quality_fraction: 0.15 },
    ],
    c: [{ samples: 2500, modes_covered: 3, high_quality_fraction: 0.5 }],
    grid_x: [
      { samples: 2500, modes_covered: 20, high_quality_fraction: 0.3 },
      { samples: 2500, modes_covered: 22, high_quality_fraction: 0.4 },
    ],
  });
  const c = compareSweep(s, "sweeps/x");

  it("summarises every metric per variant over seeds, leaving bookkeeping out", () => {
    expect(c.metrics.map((m) => m.name)).toEqual(["modes_covered", "high_quality_fraction"]);
    expect(c.metrics[0]!.better).toBe("higher");
    const a = c.variants[0]!.metrics.high_quality_fraction!;
    expect(a.values).toEqual([0.7, 0.75, 0.8]);
    expect(a.mean).toBeCloseTo(0.75, 12);
    expect(a.sd).toBeCloseTo(0.05, 12);
    expect(a.ci95![1] - a.mean).toBeCloseTo((4.302652729749464 * 0.05) / Math.sqrt(3), 6);
    expect(c.variants[2]!.metrics.modes_covered).toMatchObject({ n: 1, sd: null, ci95: null });
    expect(c.sweep).toMatchObject({ dir: "sweeps/x", runs: 12, done: 9, pending: 3 });
  });

  it("tests each pair with Welch's t, Holm-adjusted within a metric, and says when a test is undefined", () => {
    const hq = c.differences.filter((d) => d.metric === "high_quality_fraction");
    expect(hq.map((d) => [d.a, d.b])).toEqual([
      ["a", "b"],
      ["a", "c"],
      ["b", "c"],
    ]);
    expect(hq[0]!.p).toBeGreaterThan(0);
    expect(hq[0]!.p_holm).toBe(hq[0]!.p); // the only testable pair of its family
    expect(hq[0]!.significant).toBe(true);
    expect(hq[1]).toMatchObject({ p: null, significant: null, untestable: "fewer than 2 runs in a variant" });
    const modes = c.differences.find((d) => d.metric === "modes_covered" && d.b === "b")!;
    expect(modes).toMatchObject({ difference: 2, p: null, untestable: "no spread within either variant" });
    // The grid's variant is not compared with the ring's.
    expect(c.differences.some((d) => d.a === "grid_x" || d.b === "grid_x")).toBe(false);
    expect(c.variants[3]!.data).toBe("grid(size=5)");
  });

  it("prints a table per variant and the differences", () => {
    const text = formatComparison(c);
    expect(text).toContain("sweep sweeps/x: 12 runs, 9 done, 3 not finished");
    expect(text).toContain("a: 3 of 3 runs done (seeds 1, 2, 3)");
    expect(text).toContain("c: 1 of 3 runs done (seeds 1)");
    expect(text).toMatch(/high_quality_fraction ↑\s+3\s+0.75\s+0.05\s+\[/);
    expect(text).toContain("untestable: no spread within either variant");
    expect(JSON.parse(JSON.stringify(c))).toEqual(c); // plain JSON for `--format json` and a report
  });
});
