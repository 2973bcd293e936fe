// Tiny real runs for the web tests (trained once per test file), and reading a page's canvas.
import type { Page } from "playwright-core";
import { ganc } from "../helpers/ganc.js";
import { setFlags } from "../train/helpers.js";

export { tempDir } from "../train/helpers.js";

/** `ganc run SPEC --out DIR` with settings; fails the test when it does not train. */
export async function train(spec: string, out: string, steps: number, sets: string[], ...extra: string[]): Promise<string> {
  const r = await ganc("run", spec, "--steps", String(steps), "--backend", "wasm", "--out", out, ...setFlags(sets), ...extra);
  if (r.code !== 0) throw new Error(`ganc run ${spec} failed (${r.code}):\n${r.err}`);
  return out;
}

/** The number of distinct colours in a canvas (1 for a blank one). */
export function distinctColours(page: Page, selector: string): Promise<number> {
  return page.$eval(selector, (c) => {
    const canvas = c as HTMLCanvasElement;
    const { data } = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height);
    const seen = new Set<number>();
    for (let i = 0; i < data.length && seen.size < 64; i += 4) seen.add((data[i]! << 24) | (data[i + 1]! << 16) | (data[i + 2]! << 8) | data[i + 3]!);
    return seen.size;
  });
}

/**
 * The images a grid canvas of the exported page shows, read back from its pixels (the centre of
 * each drawn pixel, red channel, 0..255), using the layout the page records on the canvas.
 */
export function gridImages(page: Page, selector: string): Promise<number[][]> {
  return page.$eval(selector, (c) => {
    const canvas = c as HTMLCanvasElement;
    const d = canvas.dataset;
    const [n, cols, scale, gap, w, h] = [d.count, d.columns, d.scale, d.gap, d.width, d.height].map(Number) as [number, number, number, number, number, number];
    const { data } = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height);
    return Array.from({ length: n }, (_, i) => {
      const [x0, y0] = [(i % cols) * (w * scale + gap), Math.floor(i / cols) * (h * scale + gap)];
      const out: number[] = [];
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) out.push(data[((y0 + y * scale + (scale >> 1)) * canvas.width + x0 + x * scale + (scale >> 1)) * 4]!);
      return out;
    });
  });
}
