/**
 * An in-memory image dataset: `count` examples of `shape` ([H, W, C]) stored
 * contiguously as float32 in the dataset's value range, with optional
 * integer labels. Batches are cut from it by a Batcher.
 */
export interface Dataset {
  /** Where it came from, for messages ("mnist train", a folder path). */
  source: string;
  count: number;
  /** Per-example shape [H, W, C] (or [D] for vectors). */
  shape: number[];
  /** count · prod(shape) values. */
  data: Float32Array;
  /** count labels, or null. */
  labels: Int32Array | null;
  /** The value range of `data`. */
  range: ValueRange;
}

/** Value range of image data: [-1, 1] (tanh generators) or [0, 1] (sigmoid). */
export type ValueRange = "-1..1" | "0..1";

export function exampleSize(d: Pick<Dataset, "shape">): number {
  return d.shape.reduce((a, b) => a * b, 1);
}

/** Maps a byte 0..255 to the value range. */
export function scaleByte(v: number, range: ValueRange): number {
  return range === "0..1" ? v / 255 : v / 127.5 - 1;
}

/** Maps a value in the range to [0, 1]. */
export function toUnit(v: number, range: ValueRange): number {
  return range === "0..1" ? v : (v + 1) / 2;
}

/** Maps a value in [0, 1] to the range. */
export function fromUnit(v: number, range: ValueRange): number {
  return range === "0..1" ? v : 2 * v - 1;
}
