// What an exported generator.js says about its network, read by its API (browser/api.ts) and
// the page: written by `ganc export` from the IR, as JSON inside generator.js.

/** A base latent the generator reads (concatenations are listed in `ExportInfo.concat`). */
export interface ExportLatent {
  name: string;
  prior: "normal" | "uniform" | "categorical";
  /** Per-sample shape ([] for a categorical). */
  shape: number[];
  /** categorical: the number of classes. */
  classes?: number;
  /** uniform: the range. */
  low?: number;
  high?: number;
  /** normal: the spec's truncation (0: none). */
  truncation?: number;
  /** noise: drawn afresh; class: a categorical that stands for the data's label (cgan, acgan); code: an InfoGAN code. */
  role: "noise" | "class" | "code";
}

/** One argument of the generator call, in order. */
export type ExportInput = { kind: "latent"; name: string } | { kind: "data"; name: string; shape: number[]; range: PixelRange };

export type PixelRange = "-1..1" | "0..1";

export interface ExportInfo {
  format: "ganc-export/1";
  /** The spec's name and the generator network's. */
  spec: string;
  network: string;
  /** The checkpoint's step and the run's seed (the ParamStore's). */
  step: number;
  seed: number;
  /** True when the weights are the moving average the spec keeps (`ema G ...`). */
  ema: boolean;
  inputs: ExportInput[];
  latents: ExportLatent[];
  /** Latents made by joining others (InfoGAN's z ⊕ c ⊕ u), categorical parts one-hot. */
  concat: { name: string; parts: string[] }[];
  /** The generator network's output used (`out` unless the spec names one), and what it holds: images [H, W, C] in `range`, or 2-D points. */
  output: { name: string } & ({ kind: "images"; shape: number[]; range: PixelRange } | { kind: "points" });
  /** Values of the spec's state variables the networks read (a fade's alpha). */
  state: Record<string, number>;
  /** For translation specs: the file of example inputs (uint8 pixels) and their count. */
  examples?: { file: string; count: number };
}
