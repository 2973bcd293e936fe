// Signatures of data sources, latent priors, optimisers and run settings.
import type { Const, IrType } from "../ir/types.js";
import type { ParamSpec } from "./signature.js";
import { tensor } from "./types.js";

export interface DataSourceDef {
  params: readonly ParamSpec[];
  /** The per-sample types this source yields with these arguments. */
  outputs(args: Record<string, Const>): IrType[] | { error: string; arg?: string };
}

const range: ParamSpec = { name: "range", kind: "numbers", default: [-1, 1] };
const split: ParamSpec = { name: "split", kind: "string", default: "train", choices: ["train", "test"] };
const MNIST: IrType = tensor([28, 28, 1]);

const list = (v: Const) => (Array.isArray(v) ? `[${v.join(", ")}]` : JSON.stringify(v));

function imageType(args: Record<string, Const>): IrType | { error: string; arg?: string } {
  const size = args.size as number[];
  if (size.length !== 2) return { error: `\`size\` is [height, width], found ${list(size)}`, arg: "size" };
  return tensor([size[0]!, size[1]!, args.channels as number]);
}

function checkRange(args: Record<string, Const>): { error: string; arg?: string } | undefined {
  const r = args.range as number[];
  if (r.length !== 2 || !(r[0]! < r[1]!)) return { error: `\`range\` is [low, high] with low < high, found ${list(r)}`, arg: "range" };
  return undefined;
}

const imageParams: ParamSpec[] = [
  { name: "path", kind: "string" },
  { name: "size", kind: "shape", default: [64, 64] },
  { name: "channels", kind: "int", default: 3, min: 1, max: 3 },
  range,
];

export const DATA_SOURCES: Record<string, DataSourceDef> = {
  mnist: {
    params: [
      split,
      { name: "digits", kind: "numbers", default: [] },
      range,
      { name: "labels", kind: "bool", default: false },
      { name: "transform", kind: "string", default: "none", choices: ["none", "invert", "thicken", "edges"] },
    ],
    outputs(args) {
      const bad = checkRange(args) ?? ((args.digits as number[]).find((d) => !Number.isInteger(d) || d < 0 || d > 9) !== undefined ? { error: "`digits` are whole numbers from 0 to 9", arg: "digits" } : undefined);
      if (bad) return bad;
      return args.labels ? [MNIST, { kind: "label", classes: 10 }] : [MNIST];
    },
  },
  mnist_pairs: {
    params: [{ name: "transform", kind: "string", choices: ["edges", "downsample", "invert", "thicken"] }, split, range],
    outputs: (args) => checkRange(args) ?? [args.transform === "downsample" ? tensor([7, 7, 1]) : MNIST, MNIST],
  },
  ring: {
    params: [
      { name: "modes", kind: "int", default: 8, min: 1 },
      { name: "radius", kind: "number", default: 1, min: 0, exclusiveMin: true },
      { name: "std", kind: "number", default: 0.01, min: 0, exclusiveMin: true },
    ],
    outputs: () => [tensor([2])],
  },
  grid: {
    params: [
      { name: "size", kind: "int", default: 5, min: 1 },
      { name: "spacing", kind: "number", default: 2, min: 0, exclusiveMin: true },
      { name: "std", kind: "number", default: 0.05, min: 0, exclusiveMin: true },
    ],
    outputs: () => [tensor([2])],
  },
  images: {
    params: imageParams,
    outputs(args) {
      const t = checkRange(args) ?? imageType(args);
      return "error" in t ? t : [t];
    },
  },
  image_pairs: {
    params: imageParams,
    outputs(args) {
      const t = checkRange(args) ?? imageType(args);
      return "error" in t ? t : [t, t];
    },
  },
};

export const LATENT_PRIORS: Record<string, readonly ParamSpec[]> = {
  normal: [
    { name: "size", kind: "shape" },
    { name: "truncation", kind: "number", default: 0, min: 0 },
  ],
  uniform: [
    { name: "size", kind: "shape" },
    { name: "low", kind: "number", default: -1 },
    { name: "high", kind: "number", default: 1 },
  ],
  categorical: [{ name: "classes", kind: "int", min: 2 }],
};

const lr: ParamSpec = { name: "lr", kind: "expr" };
const rate = (name: string, dflt: number): ParamSpec => ({ name, kind: "number", default: dflt, min: 0, max: 1, exclusiveMax: true });

export const OPTIMIZERS: Record<string, readonly ParamSpec[]> = {
  adam: [lr, rate("beta1", 0.9), rate("beta2", 0.999), { name: "epsilon", kind: "number", default: 1e-8, min: 0, exclusiveMin: true }],
  rmsprop: [lr, rate("decay", 0.9), rate("momentum", 0), { name: "epsilon", kind: "number", default: 1e-7, min: 0, exclusiveMin: true }],
  sgd: [lr, rate("momentum", 0)],
};

export const RUN_SETTINGS: { name: string; min?: number }[] = [
  { name: "batch", min: 1 },
  { name: "steps", min: 1 },
  { name: "seed" },
  { name: "log_every", min: 1 },
  { name: "sample_every" },
  { name: "checkpoint_every" },
  { name: "eval_every" },
  { name: "samples", min: 1 },
];
