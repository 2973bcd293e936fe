/**
 * Image-to-image datasets derived from a grey-scale Dataset (MNIST), for
 * paired (pix2pix-style) and unpaired (CycleGAN-style) translation and
 * super-resolution. Every transform works per image in [0, 1] space and maps
 * back to the dataset's range:
 *
 * - edges: gradient magnitude min(1, sqrt(gx² + gy²)) with central
 *   differences gx = (v[x+1] − v[x−1]) / 2 (zero outside the image).
 * - invert: 1 − v.
 * - thicken: 3×3 maximum filter (dilation of the strokes).
 * - downsample: mean over factor×factor blocks (28×28 → 7×7 for factor 4).
 */
import { RuntimeUserError } from "../errors.js";
import { type Dataset, exampleSize, fromUnit, toUnit } from "./dataset.js";
import type { PairedDataset } from "./image_folder.js";

export type TransformName = "edges" | "invert" | "thicken" | "downsample";

function perImage(d: Dataset, outShape: number[], f: (img: Float32Array, h: number, w: number) => Float32Array): Dataset {
  if (d.shape.length !== 3 || d.shape[2] !== 1) {
    throw new RuntimeUserError(`transforms need grey-scale images [H, W, 1]; ${d.source} has shape [${d.shape.join(", ")}]`);
  }
  const [h, w] = d.shape as [number, number, number];
  const inSize = exampleSize(d);
  const outSize = outShape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(d.count * outSize);
  const unit = new Float32Array(inSize);
  for (let i = 0; i < d.count; i++) {
    for (let k = 0; k < inSize; k++) unit[k] = toUnit(d.data[i * inSize + k]!, d.range);
    const out = f(unit, h, w);
    for (let k = 0; k < outSize; k++) data[i * outSize + k] = fromUnit(out[k]!, d.range);
  }
  return { ...d, shape: outShape, data, source: d.source };
}

function edges(v: Float32Array, h: number, w: number): Float32Array {
  const at = (y: number, x: number) => (y < 0 || y >= h || x < 0 || x >= w ? 0 : v[y * w + x]!);
  const out = new Float32Array(h * w);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const gx = (at(y, x + 1) - at(y, x - 1)) / 2;
      const gy = (at(y + 1, x) - at(y - 1, x)) / 2;
      out[y * w + x] = Math.min(1, Math.sqrt(gx * gx + gy * gy));
    }
  }
  return out;
}

function thicken(v: Float32Array, h: number, w: number): Float32Array {
  const out = new Float32Array(h * w);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let m = 0;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const yy = y + dy;
          const xx = x + dx;
          if (yy >= 0 && yy < h && xx >= 0 && xx < w) m = Math.max(m, v[yy * w + xx]!);
        }
      }
      out[y * w + x] = m;
    }
  }
  return out;
}

function downsample(factor: number) {
  return (v: Float32Array, h: number, w: number): Float32Array => {
    const oh = h / factor;
    const ow = w / factor;
    const out = new Float32Array(oh * ow);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[Math.floor(y / factor) * ow + Math.floor(x / factor)]! += v[y * w + x]!;
    return out.map((s) => s / (factor * factor));
  };
}

/** Applies a named transform to every image. `factor` is for downsample (default 4). */
export function transformImages(d: Dataset, name: TransformName, factor = 4): Dataset {
  const [h, w] = d.shape as [number, number];
  switch (name) {
    case "edges":
      return perImage(d, d.shape, edges);
    case "invert":
      return perImage(d, d.shape, (v) => v.map((x) => 1 - x));
    case "thicken":
      return perImage(d, d.shape, thicken);
    case "downsample":
      if (!Number.isInteger(factor) || factor < 1 || h % factor !== 0 || w % factor !== 0) {
        throw new RuntimeUserError(`cannot downsample ${h}x${w} images by ${factor}: the factor must divide both sides`);
      }
      return perImage(d, [h / factor, w / factor, 1], downsample(factor));
    default:
      throw new RuntimeUserError(`unknown image transform "${String(name)}": expected edges, invert, thicken or downsample`);
  }
}

/** Paired set: a = transform(x) (the input), b = x (the target), aligned example by example. */
export function pairedByTransform(d: Dataset, name: TransformName, factor = 4): PairedDataset {
  return { a: { ...transformImages(d, name, factor), source: `${d.source} (${name})` }, b: d };
}

function subset(d: Dataset, parity: 0 | 1): Dataset {
  const size = exampleSize(d);
  const idx = [...Array(d.count).keys()].filter((i) => i % 2 === parity);
  const data = new Float32Array(idx.length * size);
  idx.forEach((src, j) => data.set(d.data.subarray(src * size, (src + 1) * size), j * size));
  const labels = d.labels === null ? null : Int32Array.from(idx, (i) => d.labels![i]!);
  return { ...d, count: idx.length, data, labels };
}

/**
 * Unpaired domains: a = the even-indexed examples as they are, b = the
 * odd-indexed examples transformed, so no image appears in both domains.
 */
export function unpairedByTransform(d: Dataset, name: TransformName, factor = 4): PairedDataset {
  const a = subset(d, 0);
  const b = transformImages(subset(d, 1), name, factor);
  return { a: { ...a, source: `${d.source} (even)` }, b: { ...b, source: `${d.source} (odd, ${name})` } };
}
