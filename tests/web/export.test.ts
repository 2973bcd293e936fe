// `ganc export` for real: tiny dcgan, acgan and pix2pix runs are trained, exported, served from
// 127.0.0.1 and opened in headless Chromium. The page renders; for fixed inputs its generator
// gives Node's G(z) from the same checkpoint within 1e-3; the acgan class picker drives the class
// G reads (and so what ganc's MNIST classifier sees); generator.js also runs from Node and
// through a bundler.
import * as fs from "node:fs";
import * as path from "node:path";
import * as esbuild from "esbuild";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import * as rt from "../../src/runtime/index.js";
import { generatorOf } from "../../src/cli/generator.js";
import { readRun, restoreRun } from "../../src/cli/run.js";
import { ganc } from "../helpers/ganc.js";
import { ARTIFACTS, chromiumPath, launch, noChromium, openPage, serve } from "./browser.js";
import { distinctColours, gridImages, tempDir, train } from "./helpers.js";

const tmp = tempDir("export");
const suite = chromiumPath ? describe : describe.skip;
if (noChromium) console.warn(`skipping the exported-page tests: ${noChromium}`);

const restored = new Map<string, { g: (...inputs: tf.Tensor[]) => tf.Tensor; dispose(): void }>();

/** Node's G(...inputs) from the run's latest checkpoint. */
async function nodeGenerator(runDir: string, inputs: tf.Tensor[]): Promise<number[]> {
  if (!restored.has(runDir)) {
    const saved = readRun(runDir, "test");
    const r = await restoreRun({ out: () => {}, err: () => {} }, saved, runDir);
    restored.set(runDir, { g: generatorOf(r.model, saved.ir.roles.generator!), dispose: r.dispose });
  }
  const out = restored.get(runDir)!.g(...inputs);
  const values = Array.from(out.dataSync());
  out.dispose();
  return values;
}

const maxDiff = (a: number[], b: number[]) => {
  expect(a.length).toBe(b.length);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
};

/** The page's own generator.js (the module instance the page uses), run on `input` in the browser. */
function browserGenerate(page: Page, call: "generate" | "translate", input: { values: number[]; shape: number[] }, options: Record<string, unknown> = {}): Promise<number[]> {
  // A string, so that the test runner does not rewrite its dynamic import.
  return page.evaluate(`(async () => {
    const g = await import(location.origin + "/generator.js");
    const x = g.tf.tensor(${JSON.stringify(input.values)}, ${JSON.stringify(input.shape)});
    const out = ${call === "generate" ? `g.generate(x, ${JSON.stringify(options)})` : "g.translate(x)"};
    const values = Array.from(out.dataSync());
    g.tf.dispose([x, out]);
    return values;
  })()`);
}

const GL_NOISE = /GPU stall due to ReadPixels/;

suite(`ganc export in Chromium${noChromium ? ` (skipped: ${noChromium})` : ""}`, () => {
  let browser: { browser: Browser; close(): Promise<void> };
  const runs: Record<string, string> = {};
  const exports: Record<string, string> = {};

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const common = ["log_every=10", "sample_every=1000", "checkpoint_every=1000"];
    runs.dcgan = await train("specs/dcgan.gan", path.join(tmp.dir, "dcgan"), 20, ["ngf=8", "ndf=8", ...common], "--no-report");
    runs.acgan = await train("specs/acgan.gan", path.join(tmp.dir, "acgan"), 20, ["ngf=8", "ndf=8", "batch=32", ...common], "--no-report");
    runs.pix2pix = await train("specs/pix2pix.gan", path.join(tmp.dir, "pix2pix"), 10, ["ngf=8", "ndf=8", "batch=4", ...common], "--no-report");
    for (const [name, dir] of Object.entries(runs)) {
      exports[name] = path.join(tmp.dir, `${name}-web`);
      const r = await ganc("export", dir, "-o", exports[name]!, "--backend", "wasm");
      expect(r.code, r.err).toBe(0);
    }
    browser = await launch();
  }, 600_000);

  afterAll(async () => {
    for (const r of restored.values()) r.dispose();
    await browser?.close();
    tmp.cleanup();
  });

  it("writes the page, the generator module, tfjs and the weights in TensorFlow.js format", () => {
    const files = fs.readdirSync(exports.dcgan!).sort();
    expect(files).toEqual(["ganc-tfjs.js", "generator.js", "index.html", "model.json", "package.json", "page.css", "page.js", "weights.bin"]);
    const model = JSON.parse(fs.readFileSync(path.join(exports.dcgan!, "model.json"), "utf8"));
    const names = model.weightsManifest[0].weights.map((w: { name: string }) => w.name);
    // the generator only: no discriminator, no optimiser slots
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((n: string) => n.startsWith("G/"))).toBe(true);
    const bytes = model.weightsManifest[0].weights.reduce((n: number, w: { shape: number[] }) => n + 4 * w.shape.reduce((a, b) => a * b, 1), 0);
    expect(fs.statSync(path.join(exports.dcgan!, "weights.bin")).size).toBe(bytes);
    const code = fs.readFileSync(path.join(exports.dcgan!, "generator.js"), "utf8");
    expect(code).toContain("export function buildG(store)");
    expect(code).toContain("rt.nn.conv2dTranspose(store");
    expect(code).not.toMatch(/buildD|adam|https?:\/\//);
  });

  it("dcgan: the page draws samples, redraws, walks; its G(z) equals Node's within 1e-3", async () => {
    const server = await serve(exports.dcgan!);
    const { page, errors } = await openPage(browser.browser, `${server.url}index.html`);
    try {
      await page.waitForSelector("body[data-ready]", { timeout: 60_000 });
      expect(await page.$eval("#grid", (c) => (c as HTMLCanvasElement).dataset.count)).toBe("16");
      expect(await distinctColours(page, "#grid")).toBeGreaterThan(16);
      const before = await gridImages(page, "#grid");
      await page.click("#redraw");
      expect(await gridImages(page, "#grid")).not.toEqual(before);
      expect(await page.$eval("#walk", (c) => (c as HTMLCanvasElement).dataset.count)).toBe("10");
      await page.screenshot({ path: path.join(ARTIFACTS, "export-dcgan.png"), fullPage: true });

      const z = rt.rng.normal([4, 100], 7, 0, "test/z");
      const browserOut = await browserGenerate(page, "generate", { values: Array.from(z.dataSync()), shape: [4, 100] });
      const nodeOut = await nodeGenerator(runs.dcgan!, [z]);
      expect(maxDiff(browserOut, nodeOut)).toBeLessThan(1e-3);
      z.dispose();
      expect(errors.filter((e) => !GL_NOISE.test(e))).toEqual([]);
    } finally {
      await page.close();
      await server.close();
    }
  });

  it("dcgan: generator.js runs from Node and from a bundle, giving the same samples", async () => {
    const url = new URL(`file://${path.resolve(exports.dcgan!, "generator.js")}`).href;
    const g = await import(url);
    await g.load();
    const direct = Array.from((g.sample(3, { seed: 5 }) as tf.Tensor).dataSync());
    g.dispose(); // the bundled copy below registers the same variable names in tfjs's one engine
    const entry = path.join(tmp.dir, "bundle-entry.mjs");
    fs.writeFileSync(entry, `import { load, sample } from ${JSON.stringify(path.resolve(exports.dcgan!, "generator.js"))};\nexport async function run(url) { await load({ url }); return Array.from(sample(3, { seed: 5 }).dataSync()); }\n`);
    const bundled = path.join(tmp.dir, "bundled.mjs");
    await esbuild.build({ entryPoints: [entry], bundle: true, format: "esm", platform: "browser", outfile: bundled, logLevel: "silent" });
    const b = await import(new URL(`file://${bundled}`).href);
    const viaBundle = await b.run(new URL(`file://${path.resolve(exports.dcgan!)}/`).href);
    expect(maxDiff(viaBundle, direct)).toBe(0);
  });

  it("acgan: the class picker drives G's class input (pixels equal Node's G(z, c)) and what ganc's classifier sees", async () => {
    const server = await serve(exports.acgan!);
    // tfjs's cpu backend (dcgan's test runs the default, WebGL, which is slow without a GPU)
    const { page, errors } = await openPage(browser.browser, `${server.url}index.html?backend=cpu`);
    try {
      await page.waitForSelector("body[data-ready]", { timeout: 60_000 });
      const classifier = await rt.evaluation.mnistClassifier();
      // The page's first grid draws z from (seed 1, step 0, "sample/z/plain"), as `ganc sample --seed 1` would.
      const z = rt.rng.normal([16, 100], 1, 0, "sample/z/plain");
      const seen: number[][] = [];
      for (const k of [0, 3, 7]) {
        await page.selectOption("#class", String(k));
        const pixels = await gridImages(page, "#grid");
        expect(pixels.length).toBe(16);
        const labels = tf.fill([16], k, "int32");
        const node = (await nodeGenerator(runs.acgan!, [z, labels])).map((v) => Math.round(((v + 1) / 2) * 255));
        labels.dispose();
        expect(maxDiff(pixels.flat(), node)).toBeLessThanOrEqual(1);
        const images = tf.tensor(pixels.flat(), [16, 28, 28, 1]).div(255);
        const { probs } = await classifier.predict(images);
        images.dispose();
        seen.push(Array.from({ length: 10 }, (_, c) => Array.from({ length: 16 }, (_, i) => probs[i * 10 + c]!).reduce((a, b) => a + b, 0) / 16));
      }
      // A 20-step ACGAN does not draw recognisable digits yet (it takes thousands of steps, see the
      // README), but what the classifier sees follows the picked class.
      expect(maxDiff(seen[0]!, seen[1]!)).toBeGreaterThan(1e-3);
      expect(maxDiff(seen[1]!, seen[2]!)).toBeGreaterThan(1e-3);
      await page.selectOption("#class", "all");
      await page.screenshot({ path: path.join(ARTIFACTS, "export-acgan.png"), fullPage: true });

      const c = [0, 3, 6, 9];
      const z4 = tf.slice(z, 0, 4);
      const browserOut = await browserGenerate(page, "generate", { values: Array.from(z4.dataSync()), shape: [4, 100] }, { class: c });
      const labels = tf.tensor1d(c, "int32");
      const nodeOut = await nodeGenerator(runs.acgan!, [z4, labels]);
      expect(maxDiff(browserOut, nodeOut)).toBeLessThan(1e-3);
      tf.dispose([z, z4, labels]);
      expect(errors.filter((e) => !GL_NOISE.test(e))).toEqual([]);
    } finally {
      await page.close();
      await server.close();
    }
  });

  it("pix2pix: the page translates its examples and a dropped image; G(x) equals Node's within 1e-3", async () => {
    expect(fs.readdirSync(path.join(exports.pix2pix!, "examples")).length).toBe(8);
    const server = await serve(exports.pix2pix!);
    // tfjs's cpu backend (dcgan's test runs the default, WebGL, which is slow without a GPU)
    const { page, errors } = await openPage(browser.browser, `${server.url}index.html?backend=cpu`);
    try {
      await page.waitForSelector("body[data-ready]", { timeout: 60_000 });
      expect(await page.$eval("#examples", (c) => (c as HTMLCanvasElement).dataset.count)).toBe("16");
      expect(await distinctColours(page, "#examples")).toBeGreaterThan(16);
      await page.setInputFiles("#file", path.join(exports.pix2pix!, "examples", "input-3.png"));
      await page.waitForFunction(() => (document.getElementById("result") as HTMLCanvasElement).dataset.count === "2");
      await page.screenshot({ path: path.join(ARTIFACTS, "export-pix2pix.png"), fullPage: true });

      const x = tf.tidy(() => rt.rng.uniform([2, 28, 28, 1], 7, 0, "test/x", -1, 1));
      const browserOut = await browserGenerate(page, "translate", { values: Array.from(x.dataSync()), shape: [2, 28, 28, 1] });
      const nodeOut = await nodeGenerator(runs.pix2pix!, [x]);
      expect(maxDiff(browserOut, nodeOut)).toBeLessThan(1e-3);
      x.dispose();
      expect(errors.filter((e) => !GL_NOISE.test(e))).toEqual([]);
    } finally {
      await page.close();
      await server.close();
    }
  });
});


