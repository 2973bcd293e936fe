// `ganc report` and the live report of `ganc run`, for real: two tiny runs (dcgan and lsgan, the
// same model with least-squares losses) are trained once; their reports are opened from disk
// (file://) and from 127.0.0.1 in headless Chromium.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diffIr } from "../../src/ir/diff.js";
import type { IrSpec } from "../../src/ir/types.js";
import { ganc } from "../helpers/ganc.js";
import { readMetrics } from "../train/helpers.js";
import { ARTIFACTS, inChromium, noChromium, openPage, serve } from "./browser.js";
import { distinctColours, tempDir, train } from "./helpers.js";

const tmp = tempDir("report");
if (noChromium) console.warn(`skipping the report tests in a browser: ${noChromium}`);

const SETS = ["ngf=8", "ndf=8", "log_every=5", "sample_every=10", "checkpoint_every=1000"];

/** Every name logged in metrics.jsonl, besides the step. */
const loggedNames = (dir: string) => [...new Set(readMetrics(dir).flatMap((m) => Object.keys(m)))].filter((k) => k !== "step");

describe("ganc run keeps RUN_DIR/report.html current; ganc report", () => {
  const dcgan = path.join(tmp.dir, "dcgan");
  const lsgan = path.join(tmp.dir, "lsgan");
  let liveSeen: string | undefined;

  beforeAll(async () => {
    // While dcgan trains, look at its report the way a reader would: it must always be whole.
    const report = path.join(dcgan, "report.html");
    const watch = setInterval(() => {
      if (!fs.existsSync(report)) return;
      const html = fs.readFileSync(report, "utf8");
      expect(html.trimEnd().endsWith("</html>")).toBe(true);
      if (html.includes('http-equiv="refresh"') && html.includes('"steps_per_sec"')) liveSeen = html;
    }, 20);
    try {
      await train("specs/dcgan.gan", dcgan, 30, SETS);
    } finally {
      clearInterval(watch);
    }
    await train("specs/lsgan.gan", lsgan, 20, SETS, "--no-report");
  }, 300_000);

  afterAll(() => tmp.cleanup());

  it("the live report was rewritten during training, and the final one does not reload", () => {
    expect(liveSeen, "a live report with logged steps was seen while training").toBeDefined();
    const final = fs.readFileSync(path.join(dcgan, "report.html"), "utf8");
    expect(final).not.toContain('http-equiv="refresh"');
    expect(fs.existsSync(path.join(lsgan, "report.html"))).toBe(false); // --no-report
    expect(fs.readdirSync(dcgan).filter((f) => f.includes(".tmp"))).toEqual([]);
  });

  it("the report is one self-contained file: nothing loaded from anywhere", () => {
    const html = fs.readFileSync(path.join(dcgan, "report.html"), "utf8");
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+stylesheet|https?:\/\/(?!www\.w3\.org)/);
    expect(html.includes(".u-legend"), "uPlot is inlined").toBe(true);
  });

  it("bad input: not a run folder, a folder as the output", async () => {
    const r = await ganc("report", tmp.dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain("is it a ganc run folder?");
    const r2 = await ganc("report", dcgan, "-o", tmp.dir);
    expect(r2.code).toBe(2);
    expect(r2.err).toContain("it is a folder");
  });

  inChromium((browser) => {

    it("one run, opened from disk: a chart per logged value, drawn; the step slider changes the grid", async () => {
      const r = await ganc("report", dcgan);
      expect(r.code, r.err).toBe(0);
      const { page, errors } = await openPage(browser(), `file://${path.resolve(dcgan, "report.html")}`);
      try {
        await page.waitForSelector("body[data-ready]");
        const names = loggedNames(dcgan);
        expect(names).toEqual(expect.arrayContaining(["d_loss", "g_loss", "steps_per_sec"]));
        expect((await page.$$eval(".chart", (cs) => cs.map((c) => (c as HTMLElement).dataset.series))).sort()).toEqual([...names].sort());
        for (const n of names) expect(await distinctColours(page, `.chart[data-series="${n}"] canvas`), n).toBeGreaterThan(3);
        const step = () => page.$eval("img.grid", (i) => [(i as HTMLImageElement).dataset.step, (i as HTMLImageElement).src.length]);
        const [last] = await step();
        expect(last).toBe("30");
        await page.$eval(".step-slider", (s) => {
          (s as HTMLInputElement).value = "0";
          s.dispatchEvent(new Event("input"));
        });
        expect((await step())[0]).toBe("10");
        await page.click("#log-scale");
        await page.$eval("#smoothing", (s) => {
          (s as HTMLInputElement).value = "0";
          s.dispatchEvent(new Event("input"));
        });
        expect(await page.$$eval(".chart canvas", (cs) => cs.length)).toBe(names.length);
        await page.screenshot({ path: path.join(ARTIFACTS, "report-dcgan.png"), fullPage: true });
        expect(errors).toEqual([]);
      } finally {
        await page.close();
      }
    });

    it("two runs, served from 127.0.0.1: both in every legend, final metrics side by side, the diff of their specs", async () => {
      const out = path.join(tmp.dir, "both", "report.html");
      fs.mkdirSync(path.dirname(out));
      const r = await ganc("report", dcgan, lsgan, "-o", out);
      expect(r.code, r.err).toBe(0);
      const server = await serve(path.dirname(out));
      const { page, errors } = await openPage(browser(), `${server.url}report.html`);
      try {
        await page.waitForSelector("body[data-ready]");
        const legends = await page.$$eval(".chart[data-series='g_loss'] .u-legend .u-series", (rows) => rows.filter((r) => (r as HTMLElement).style.display !== "none").map((r) => r.textContent));
        expect(legends.join(" ")).toContain("dcgan");
        expect(legends.join(" ")).toContain("lsgan");
        const read = (d: string) => JSON.parse(fs.readFileSync(path.join(d, "ir.json"), "utf8")) as IrSpec;
        const lines = diffIr(read(dcgan), read(lsgan));
        expect(lines.length).toBeGreaterThan(0);
        const shown = await page.$eval(".diff pre", (p) => p.textContent);
        expect(shown!.split("\n")).toEqual(lines);
        expect(await page.$eval("h1", (h) => h.textContent)).toBe("dcgan vs lsgan: 2 runs");
        await page.screenshot({ path: path.join(ARTIFACTS, "report-two-runs.png"), fullPage: true });
        expect(errors).toEqual([]);
      } finally {
        await page.close();
        await server.close();
      }
    });
  });
});
