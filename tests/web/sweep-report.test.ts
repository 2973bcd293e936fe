// The report of a sweep, for real: a tiny sweep (2 specs × 2 seeds on the ring) writes
// SWEEP_DIR/report.html at its end; opened in headless Chromium it shows each variant's summary
// over seeds, the tested differences, every run's final samples by variant, and curves coloured
// by variant. `ganc report SWEEP_DIR` writes the same page.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compareSweep } from "../../src/sweep/compare.js";
import { readSweep } from "../../src/sweep/state.js";
import { ganc } from "../helpers/ganc.js";
import { ARTIFACTS, inChromium, openPage } from "./browser.js";
import { distinctColours, tempDir } from "./helpers.js";

const tmp = tempDir("sweep-report");
const dir = path.join(tmp.dir, "sweep");

describe("the report of a sweep", () => {
  beforeAll(async () => {
    const r = await ganc(
      "sweep", "specs/ring_gan.gan", "specs/ring_wgan_gp.gan", "--seeds", "1..2", "--steps", "60", "--backend", "wasm", "--jobs", "2", "--out", dir,
      "--set", "width=16", "--set", "log_every=20", "--set", "sample_every=60", "--set", "checkpoint_every=60",
    );
    if (r.code !== 0) throw new Error(`ganc sweep failed (${r.code}):\n${r.err}`);
    expect(r.out).toContain(`report: ${path.join(dir, "report.html")}`);
  }, 300_000);
  afterAll(() => tmp.cleanup());

  it("ganc report SWEEP_DIR writes it again; a broken sweep.json is a usage error, not a stack trace", async () => {
    const out = path.join(tmp.dir, "again.html");
    const r = await ganc("report", dir, "-o", out);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/report of the sweep's 2 variants, 4 runs: .*again\.html/);
    const broken = path.join(tmp.dir, "broken");
    fs.mkdirSync(broken);
    fs.writeFileSync(path.join(broken, "sweep.json"), "{ not json");
    const bad = await ganc("report", broken);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^ganc: cannot report on the sweep: /m);
    expect(bad.err).not.toMatch(/\n\s+at /);
  });

  inChromium((browser) => {

    it("shows the comparison of `ganc compare`, each run's final samples by variant, and curves by variant", async () => {
      const comparison = compareSweep(readSweep(dir), dir);
      const { page, errors } = await openPage(browser(), `file://${path.resolve(dir, "report.html")}`);
      try {
        await page.waitForSelector("body[data-ready]");
        const rows = await page.$$eval("table.variants tbody tr", (trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent!.trim())));
        expect(rows.map((r) => r[0])).toEqual(["ring_gan", "ring_wgan_gp"]);
        expect(rows.map((r) => r[1])).toEqual(["2 of 2", "2 of 2"]);
        const heads = await page.$$eval("table.variants thead th", (ths) => ths.map((th) => th.textContent));
        const modes = heads.indexOf("modes_covered ↑");
        expect(modes).toBeGreaterThan(1);
        const summary = comparison.variants[0]!.metrics.modes_covered!;
        expect(rows[0]![modes]).toContain(`n=${summary.n}`);
        expect(rows[0]![modes]!.startsWith(String(Number(summary.mean.toPrecision(4))))).toBe(true);
        // One row per tested pair and metric, the significant ones marked.
        const diffs = await page.$$eval("table.differences tbody tr", (trs) => trs.map((tr) => [tr.classList.contains("significant"), tr.lastElementChild!.textContent]));
        expect(diffs.length).toBe(comparison.differences.length);
        expect(diffs.map(([marked, said]) => [marked, said])).toEqual(comparison.differences.map((d) => [!!d.significant, d.significant ? "yes" : "no"]));
        // Four final grids, decoded, two per variant; the curves of all four runs in two colours.
        const grids = await page.$$eval(".sweep-samples .variant", (vs) => vs.map((v) => [(v as HTMLElement).dataset.variant, [...v.querySelectorAll("img")].filter((i) => i.complete && i.naturalWidth > 0).length]));
        expect(grids).toEqual([["ring_gan", 2], ["ring_wgan_gp", 2]]);
        const legend = await page.$$eval(".chart[data-series='d_loss'] .u-legend .u-series", (rs) => rs.filter((r) => (r as HTMLElement).style.display !== "none").map((r) => r.textContent));
        expect(legend.join(" ")).toMatch(/ring_gan-s1.*ring_gan-s2.*ring_wgan_gp-s1.*ring_wgan_gp-s2/);
        const swatches = await page.$$eval("table.runs .swatch", (ss) => ss.map((s) => (s as HTMLElement).style.background));
        expect(new Set(swatches).size).toBe(2);
        expect(swatches[0]).toBe(swatches[1]);
        expect(await distinctColours(page, ".chart[data-series='d_loss'] canvas")).toBeGreaterThan(3);
        expect(await page.$eval(".diff h3", (h) => h.textContent)).toBe("ring_gan → ring_wgan_gp");
        await page.screenshot({ path: path.join(ARTIFACTS, "report-sweep.png"), fullPage: true });
        expect(errors).toEqual([]);
      } finally {
        await page.close();
      }
    });
  });
});
