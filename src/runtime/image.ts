/**
 * PNG output: a grid of images and a scatter plot of 2-D samples. Tensors are read
 * asynchronously (a GPU tensor cannot be read synchronously in Node).
 */
import * as tf from "@tensorflow/tfjs";
import { PNG } from "pngjs";
import { RuntimeUserError } from "./errors.js";
import type { ValueRange } from "./data/dataset.js";

export interface GridOptions {
  /** Value range of the images; default "-1..1". Values outside are clipped. */
  range?: ValueRange;
  /** Columns; default ceil(sqrt(N)). */
  columns?: number;
  /** Border between and around tiles in pixels (default 2), drawn in `borderValue` grey 0..255 (default 255). */
  border?: number;
  borderValue?: number;
  /** Integer upscaling of every pixel (default 1). */
  scale?: number;
}

/** Images [N, H, W, C] already read from a tensor (e.g. generated in chunks). */
export interface ImageArray {
  shape: number[];
  values: Float32Array;
}

/** The largest PNG side ganc writes, in pixels (many viewers refuse more). */
export const MAX_PNG_SIDE = 8192;

/** The pixel size of a grid of `n` tiles of h × w. */
export function gridSize(n: number, h: number, w: number, o: Pick<GridOptions, "columns" | "border" | "scale"> = {}): { width: number; height: number; columns: number } {
  const columns = o.columns ?? Math.max(1, Math.ceil(Math.sqrt(n)));
  const rows = Math.max(1, Math.ceil(n / columns));
  const b = o.border ?? 2;
  const s = o.scale ?? 1;
  return { width: columns * w * s + (columns + 1) * b, height: rows * h * s + (rows + 1) * b, columns };
}

/** Encodes images [N, H, W, C] (C = 1 or 3) as one PNG grid. */
export async function imageGridPng(images: tf.Tensor | ImageArray, o: GridOptions = {}): Promise<Buffer> {
  if (images.shape.length !== 4 || (images.shape[3] !== 1 && images.shape[3] !== 3)) {
    throw new RuntimeUserError(`an image grid needs images [N, H, W, 1 or 3], got [${images.shape.join(", ")}]`);
  }
  const [n, h, w, c] = images.shape as [number, number, number, number];
  const range = o.range ?? "-1..1";
  const { width, height, columns: cols } = gridSize(n, h, w, o);
  const b = o.border ?? 2;
  const s = o.scale ?? 1;
  const tileW = w * s;
  const tileH = h * s;
  const png = new PNG({ width, height });
  png.data.fill(o.borderValue ?? 255);
  for (let i = 3; i < png.data.length; i += 4) png.data[i] = 255;
  const values = images instanceof tf.Tensor ? await images.data() : images.values;
  const toByte = (v: number) => {
    const u = range === "0..1" ? v : (v + 1) / 2;
    return Math.round(255 * Math.min(1, Math.max(0, u)));
  };
  for (let k = 0; k < n; k++) {
    const ox = b + (k % cols) * (tileW + b);
    const oy = b + Math.floor(k / cols) * (tileH + b);
    for (let y = 0; y < tileH; y++) {
      for (let x = 0; x < tileW; x++) {
        const src = ((k * h + Math.floor(y / s)) * w + Math.floor(x / s)) * c;
        const dst = ((oy + y) * width + ox + x) * 4;
        for (let ch = 0; ch < 3; ch++) png.data[dst + ch] = toByte(values[src + (c === 3 ? ch : 0)]!);
      }
    }
  }
  return PNG.sync.write(png);
}

export interface ScatterOptions {
  /** Square image side in pixels; default 400. */
  size?: number;
  /** Fixed axes [min, max] for both x and y; default [-5, 5]. */
  extent?: [number, number];
  /** Mode centres drawn as small crosses. */
  centers?: [number, number][];
}

const REAL: [number, number, number] = [40, 110, 220];
const FAKE: [number, number, number] = [230, 90, 30];

/** Scatter plot of real (blue) and fake (orange) 2-D points [N, 2] on fixed axes. */
export async function scatterPng(real: tf.Tensor | null, fake: tf.Tensor, o: ScatterOptions = {}): Promise<Buffer> {
  for (const [what, t] of [["real", real], ["fake", fake]] as const) {
    if (t !== null && (t.rank !== 2 || t.shape[1] !== 2)) {
      throw new RuntimeUserError(`a scatter plot needs ${what} points [N, 2], got [${t.shape.join(", ")}]`);
    }
  }
  const size = o.size ?? 400;
  const [lo, hi] = o.extent ?? [-5, 5];
  const png = new PNG({ width: size, height: size });
  png.data.fill(255);
  const put = (px: number, py: number, rgb: readonly number[]) => {
    if (px < 0 || py < 0 || px >= size || py >= size) return;
    const i = (py * size + px) * 4;
    png.data[i] = rgb[0]!;
    png.data[i + 1] = rgb[1]!;
    png.data[i + 2] = rgb[2]!;
  };
  const toPx = (x: number, y: number): [number, number] => [
    Math.round(((x - lo) / (hi - lo)) * (size - 1)),
    Math.round(((hi - y) / (hi - lo)) * (size - 1)),
  ];
  // axes through the origin, light grey
  const [ox, oy] = toPx(0, 0);
  for (let i = 0; i < size; i++) {
    put(ox, i, [210, 210, 210]);
    put(i, oy, [210, 210, 210]);
  }
  const [realValues, fakeValues] = await Promise.all([real?.data(), fake.data()]);
  const dots = (v: ArrayLike<number>, rgb: readonly number[]) => {
    for (let i = 0; i < v.length; i += 2) {
      const [px, py] = toPx(v[i]!, v[i + 1]!);
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) put(px + dx, py + dy, rgb);
    }
  };
  if (realValues !== undefined) dots(realValues, REAL);
  dots(fakeValues, FAKE);
  for (const [cx, cy] of o.centers ?? []) {
    const [px, py] = toPx(cx, cy);
    for (let d = -4; d <= 4; d++) {
      put(px + d, py, [0, 0, 0]);
      put(px, py + d, [0, 0, 0]);
    }
  }
  return PNG.sync.write(png);
}

/** Decodes a PNG to { width, height, rgba } (for tests and tools). */
export function decodePng(bytes: Buffer): { width: number; height: number; rgba: Uint8Array } {
  const png = PNG.sync.read(bytes);
  return { width: png.width, height: png.height, rgba: new Uint8Array(png.data) };
}
