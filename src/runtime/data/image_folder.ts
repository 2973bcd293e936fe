/**
 * Image folders as Datasets: every .png/.jpg/.jpeg file directly in a folder
 * (sorted by name), resized to [height, width], with 1 (grey) or 3 (RGB)
 * channels, scaled to the value range. Also paired sets for image-to-image
 * translation: one folder of side-by-side A|B images (pix2pix layout), or two
 * folders matched by file name.
 */
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { RuntimeUserError } from "../errors.js";
import { type Dataset, scaleByte, type ValueRange } from "./dataset.js";
import { decodeImageFile, IMAGE_EXTENSIONS, type RgbaImage } from "./decode.js";
import { resizeImage, type ResizeMethod } from "./resize.js";

export interface ImageFolderOptions {
  height: number;
  width: number;
  /** 1 (grey) or 3 (RGB). */
  channels: 1 | 3;
  /** Default "-1..1". */
  range?: ValueRange;
  /** Default "bilinear". */
  resize?: ResizeMethod;
  /**
   * With channels 1, a colour picture is an error unless this is true (then it
   * is converted to grey with the ITU-R 601 luma weights).
   */
  convertColour?: boolean;
}

/**
 * The image files directly in `dir`, sorted; errors name the folder. `dir`
 * may end in a file-name pattern with * and ? ("data/faces/*.png").
 */
export function listImages(dirOrPattern: string): string[] {
  const base = path.basename(dirOrPattern);
  const isGlob = /[*?]/.test(base);
  const dir = isGlob ? path.dirname(dirOrPattern) : dirOrPattern;
  const pattern = isGlob
    ? new RegExp(`^${base.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`)
    : null;
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new RuntimeUserError(`${dir} is not a folder`);
    names = readdirSync(dir);
  } catch (e) {
    if (e instanceof RuntimeUserError) throw e;
    throw new RuntimeUserError(`image folder ${dir} does not exist or cannot be read`);
  }
  const files = names
    .filter((n) => IMAGE_EXTENSIONS.includes(path.extname(n).toLowerCase()) && (pattern === null || pattern.test(n)))
    .sort();
  if (files.length === 0) {
    throw new RuntimeUserError(
      isGlob ? `no .png, .jpg or .jpeg files match ${dirOrPattern}` : `image folder ${dir} contains no .png, .jpg or .jpeg files`,
    );
  }
  return files.map((n) => path.join(dir, n));
}

function checkOptions(o: ImageFolderOptions): void {
  for (const [k, v] of [["height", o.height], ["width", o.width]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RuntimeUserError(`image ${k} must be a positive integer, got ${v}`);
  }
  if (o.channels !== 1 && o.channels !== 3) throw new RuntimeUserError(`image channels must be 1 or 3, got ${String(o.channels)}`);
}

/** Crops columns [x0, x0 + w) of an image and converts it to the dataset's channels and range. */
function toChannels(img: RgbaImage, x0: number, w: number, o: ImageFolderOptions, file: string): Float32Array {
  if (o.channels === 1 && !img.grey && o.convertColour !== true) {
    throw new RuntimeUserError(`${file} is a colour image but the dataset has 1 channel (use 3 channels, or allow conversion)`);
  }
  const range = o.range ?? "-1..1";
  const c = o.channels;
  const out = new Float32Array(img.height * w * c);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < w; x++) {
      const s = (y * img.width + x0 + x) * 4;
      const d = (y * w + x) * c;
      if (c === 3) {
        for (let k = 0; k < 3; k++) out[d + k] = scaleByte(img.rgba[s + k]!, range);
      } else {
        const grey = 0.299 * img.rgba[s]! + 0.587 * img.rgba[s + 1]! + 0.114 * img.rgba[s + 2]!;
        out[d] = scaleByte(grey, range);
      }
    }
  }
  return out;
}

function assemble(source: string, images: Float32Array[], o: ImageFolderOptions): Dataset {
  const size = o.height * o.width * o.channels;
  const data = new Float32Array(images.length * size);
  images.forEach((im, i) => data.set(im, i * size));
  return { source, count: images.length, shape: [o.height, o.width, o.channels], data, labels: null, range: o.range ?? "-1..1" };
}

function loadPart(img: RgbaImage, x0: number, w: number, o: ImageFolderOptions, file: string): Float32Array {
  const px = toChannels(img, x0, w, o, file);
  return resizeImage(px, img.height, w, o.channels, o.height, o.width, o.resize ?? "bilinear");
}

/** Every image in `dir` as one dataset. */
export function loadImageFolder(dir: string, o: ImageFolderOptions): Dataset {
  checkOptions(o);
  const files = listImages(dir);
  const images = files.map((f) => {
    const img = decodeImageFile(f);
    return loadPart(img, 0, img.width, o, f);
  });
  return assemble(dir, images, o);
}

export interface PairedDataset {
  a: Dataset;
  b: Dataset;
}

/** Pix2pix layout: each image is A and B side by side (A left); both halves are resized to [height, width]. */
export function loadSideBySideFolder(dir: string, o: ImageFolderOptions): PairedDataset {
  checkOptions(o);
  const files = listImages(dir);
  const as: Float32Array[] = [];
  const bs: Float32Array[] = [];
  for (const f of files) {
    const img = decodeImageFile(f);
    if (img.width % 2 !== 0) throw new RuntimeUserError(`${f} has odd width ${img.width}; a side-by-side pair needs two equal halves`);
    const half = img.width / 2;
    as.push(loadPart(img, 0, half, o, f));
    bs.push(loadPart(img, half, half, o, f));
  }
  return { a: assemble(`${dir} (left halves)`, as, o), b: assemble(`${dir} (right halves)`, bs, o) };
}

/** Two folders whose files are matched by name (without extension); every file must have a partner. */
export function loadMatchedFolders(dirA: string, dirB: string, o: ImageFolderOptions): PairedDataset {
  checkOptions(o);
  const key = (f: string) => path.basename(f, path.extname(f));
  const filesA = listImages(dirA);
  const filesB = new Map(listImages(dirB).map((f) => [key(f), f]));
  const missing = filesA.filter((f) => !filesB.has(key(f)));
  if (missing.length > 0 || filesA.length !== filesB.size) {
    const example = missing[0] ?? [...filesB.keys()].find((k) => !filesA.some((f) => key(f) === k));
    throw new RuntimeUserError(
      `paired folders ${dirA} and ${dirB} do not match file for file (e.g. ${example ?? "?"} has no partner)`,
    );
  }
  const as: Float32Array[] = [];
  const bs: Float32Array[] = [];
  for (const f of filesA) {
    const g = filesB.get(key(f))!;
    const ia = decodeImageFile(f);
    const ib = decodeImageFile(g);
    as.push(loadPart(ia, 0, ia.width, o, f));
    bs.push(loadPart(ib, 0, ib.width, o, g));
  }
  return { a: assemble(dirA, as, o), b: assemble(dirB, bs, o) };
}
