// Data sources: where real batches come from. Every argument has its default here and the IR
// always carries every argument, so the runtime keeps no defaults of its own (see
// src/runtime/data/open.ts).
import { phrase } from "../diagnostics/messages.js";
import type { IrType } from "../ir/types.js";
import type { DataSourceEntry } from "./entry.js";
import { problem, type Problem } from "./problem.js";
import type { Args, ParamSpec } from "./signature.js";
import { tensor } from "./types.js";

const range: ParamSpec = { name: "range", kind: "numbers", default: [-1, 1] };
const split: ParamSpec = { name: "split", kind: "string", default: "train", choices: ["train", "test"] };
const MNIST: IrType = tensor([28, 28, 1]);

const list = (v: unknown) => (Array.isArray(v) ? `[${v.join(", ")}]` : JSON.stringify(v));

function badRange(source: string, args: Args): Problem | undefined {
  const r = args.range as number[];
  if (r.length === 2 && r[0]! < r[1]!) return undefined;
  return problem("E0205", { what: phrase("argumentOf", { name: "range", fn: source }), expected: phrase("rangeLowHigh"), found: list(r) }, { at: "range" });
}

function imageType(source: string, args: Args): IrType | Problem {
  const size = args.size as number[];
  if (size.length !== 2) return problem("E0205", { what: phrase("argumentOf", { name: "size", fn: source }), expected: phrase("sizeHeightWidth"), found: list(size) }, { at: "size" });
  return tensor([size[0]!, size[1]!, args.channels as number]);
}

/** A folder of images (`count` per file: an image, or an input and its target side by side). */
function imageFolder(name: string, doc: string, outputsDoc: string, count: number): DataSourceEntry {
  return {
    doc,
    outputsDoc,
    params: [{ name: "path", kind: "string" }, { name: "size", kind: "shape", default: [64, 64] }, { name: "channels", kind: "int", default: 3, min: 1, max: 3 }, range],
    outputs(args) {
      const t = badRange(name, args) ?? imageType(name, args);
      return "kind" in t ? Array.from({ length: count }, () => t) : t;
    },
    emit: open,
  };
}

/** Every source is opened the same way: the runtime's `data.open` with the source's name and all its arguments. */
const open = { names: ["rt.data.open"], open: (source: string, args: Args) => `rt.data.open(${JSON.stringify(source)}, ${JSON.stringify(args)}, options)` };

export const DATA_SOURCES: Readonly<Record<string, DataSourceEntry>> = {
  mnist: {
    doc: "MNIST digits (shipped with ganc); `digits` keeps only those classes; `transform` changes every image",
    outputsDoc: "`[28, 28, 1]`, plus `label(10)` with `labels = true`",
    params: [
      split,
      { name: "digits", kind: "numbers", default: [] },
      range,
      { name: "labels", kind: "bool", default: false },
      { name: "transform", kind: "string", default: "none", choices: ["none", "invert", "thicken", "edges"] },
    ],
    outputs(args) {
      const bad = badRange("mnist", args);
      if (bad) return bad;
      const digits = args.digits as number[];
      if (digits.some((d) => !Number.isInteger(d) || d < 0 || d > 9)) return problem("E0205", { what: phrase("argumentOf", { name: "digits", fn: "mnist" }), expected: phrase("digits0to9"), found: list(digits) }, { at: "digits" });
      return args.labels ? [MNIST, { kind: "label", classes: 10 }] : [MNIST];
    },
    emit: open,
  },
  mnist_pairs: {
    doc: "pairs of an MNIST digit transformed by `transform` (the input) and the digit itself (the target)",
    outputsDoc: "two tensors (input, target); the input is `[7, 7, 1]` for `\"downsample\"`",
    params: [{ name: "transform", kind: "string", choices: ["edges", "downsample", "invert", "thicken"] }, split, range],
    outputs: (args) => badRange("mnist_pairs", args) ?? [args.transform === "downsample" ? tensor([7, 7, 1]) : MNIST, MNIST],
    emit: open,
  },
  ring: {
    doc: "a mixture of `modes` Gaussians of deviation `std` evenly spaced on a circle of `radius` (the first at angle 0)",
    outputsDoc: "`[2]`",
    params: [
      { name: "modes", kind: "int", default: 8, min: 1, max: 1_000_000 },
      { name: "radius", kind: "number", default: 1, min: 0, exclusiveMin: true },
      { name: "std", kind: "number", default: 0.01, min: 0, exclusiveMin: true },
    ],
    outputs: () => [tensor([2])],
    emit: open,
  },
  grid: {
    doc: "a mixture of `size` × `size` Gaussians of deviation `std` on a grid of `spacing` centred on the origin",
    outputsDoc: "`[2]`",
    params: [
      { name: "size", kind: "int", default: 5, min: 1, max: 1000 },
      { name: "spacing", kind: "number", default: 2, min: 0, exclusiveMin: true },
      { name: "std", kind: "number", default: 0.05, min: 0, exclusiveMin: true },
    ],
    outputs: () => [tensor([2])],
    emit: open,
  },
  images: imageFolder("images", "the images of a folder (`path` relative to the spec), resized to `size`", "`[H, W, C]`", 1),
  image_pairs: imageFolder("image_pairs", "pairs from a folder of images holding input and target side by side", "two `[H, W, C]`", 2),
};
