// The layer catalog: each layer's arguments, output shape and parameter count.
// A new layer is an entry here (and an implementation in the runtime), not a grammar change.
import type { Code } from "../diagnostics/index.js";
import type { Const, IrType } from "../ir/types.js";
import type { ParamSpec } from "./signature.js";
import { product, sameShape, showShape, showType, tensor } from "./types.js";

export type LayerResult = { type: IrType; params: number } | { error: string; code?: Code; help?: string };

export interface LayerDef {
  params: readonly ParamSpec[];
  /** `input` is the current value; `refs` the types of the values named by "value" arguments. */
  infer(input: IrType, args: Record<string, Const>, refs: IrType[]): LayerResult;
}

const num = (a: Record<string, Const>, k: string) => a[k] as number;
const sn: ParamSpec = { name: "sn", kind: "bool", default: false };
const bias: ParamSpec = { name: "bias", kind: "bool", default: true };

function needRank(input: IrType, rank: number, layer: string, help?: string): number[] | { error: string; help?: string } {
  if (input.kind === "tensor" && input.shape.length === rank) return input.shape;
  const what = rank === 1 ? "a vector [n]" : rank === 3 ? "an image [height, width, channels]" : `rank ${rank}`;
  return { error: `\`${layer}\` takes ${what}, but its input is ${showType(input)}`, ...(help ? { help } : {}) };
}

function elementwise(): LayerDef {
  return {
    params: [],
    infer: (input) => (input.kind === "tensor" ? { type: tensor(input.shape), params: 0 } : { error: `expects a tensor, found ${showType(input)}` }),
  };
}

/** `add(tap)` / `multiply(tap)`: combines the current value with a tap of the same shape. */
function elementwiseWithTap(what: (input: string, other: string) => string): LayerDef {
  return {
    params: [{ name: "value", kind: "value" }],
    infer(input, _a, refs) {
      const other = refs[0]!;
      if (input.kind !== "tensor" || other.kind !== "tensor" || !sameShape(input.shape, other.shape))
        return { code: "E0303", error: `${what(showType(input), showType(other))}: the shapes must be equal` };
      return { type: tensor(input.shape), params: 0 };
    },
  };
}

function convOut(size: number, kernel: number, stride: number, padding: string): number {
  return padding === "same" ? Math.ceil(size / stride) : Math.floor((size - kernel) / stride) + 1;
}

function convTransposeOut(size: number, kernel: number, stride: number, padding: string): number {
  return padding === "same" ? size * stride : (size - 1) * stride + kernel;
}

const convParams: ParamSpec[] = [
  { name: "filters", kind: "int", min: 1 },
  { name: "kernel", kind: "int", default: 3, min: 1 },
  { name: "stride", kind: "int", default: 1, min: 1 },
  { name: "padding", kind: "string", default: "same", choices: ["same", "valid"] },
  bias,
  sn,
];

/** Per-channel affine normalisation layers: 2 trainable parameters per channel. */
function normalisation(ranks: number[], extra: ParamSpec[] = []): (name: string) => LayerDef {
  return (name) => ({
    params: extra,
    infer(input) {
      if (input.kind !== "tensor" || !ranks.includes(input.shape.length))
        return { error: `\`${name}\` takes ${ranks.map((r) => (r === 1 ? "a vector" : "an image")).join(" or ")}, but its input is ${showType(input)}` };
      return { type: tensor(input.shape), params: 2 * input.shape[input.shape.length - 1]! };
    },
  });
}

export const LAYERS: Record<string, LayerDef> = {
  dense: {
    params: [{ name: "units", kind: "int", min: 1 }, bias, sn],
    infer(input, a) {
      const s = needRank(input, 1, "dense", "add `flatten` before it");
      if (!Array.isArray(s)) return s;
      return { type: tensor([num(a, "units")]), params: s[0]! * num(a, "units") + (a.bias ? num(a, "units") : 0) };
    },
  },
  conv2d: {
    params: convParams,
    infer(input, a) {
      const s = needRank(input, 3, "conv2d", input.kind === "tensor" && input.shape.length === 1 ? "add `reshape(h, w, c)` before it" : undefined);
      if (!Array.isArray(s)) return s;
      const [h, w, c] = s as [number, number, number];
      const k = num(a, "kernel");
      const st = num(a, "stride");
      const p = a.padding as string;
      const oh = convOut(h, k, st, p);
      const ow = convOut(w, k, st, p);
      if (oh < 1 || ow < 1) return { error: `a ${k}x${k} \`valid\` convolution does not fit in ${showShape(s)}` };
      const f = num(a, "filters");
      return { type: tensor([oh, ow, f]), params: k * k * c * f + (a.bias ? f : 0) };
    },
  },
  conv2d_transpose: {
    params: convParams,
    infer(input, a) {
      const s = needRank(input, 3, "conv2d_transpose", input.kind === "tensor" && input.shape.length === 1 ? "add `reshape(h, w, c)` before it" : undefined);
      if (!Array.isArray(s)) return s;
      const [h, w, c] = s as [number, number, number];
      const k = num(a, "kernel");
      const st = num(a, "stride");
      const f = num(a, "filters");
      const p = a.padding as string;
      return { type: tensor([convTransposeOut(h, k, st, p), convTransposeOut(w, k, st, p), f]), params: k * k * c * f + (a.bias ? f : 0) };
    },
  },
  reshape: {
    params: [{ name: "dims", kind: "int", variadic: true, min: 1 }],
    infer(input, a) {
      const dims = (a.dims ?? []) as number[];
      if (input.kind !== "tensor") return { error: `\`reshape\` takes a tensor, but its input is ${showType(input)}` };
      if (product(dims) !== product(input.shape))
        return {
          error: `cannot reshape ${showShape(input.shape)} (${product(input.shape)} values) into ${showShape(dims)} (${product(dims)} values)`,
        };
      return { type: tensor(dims), params: 0 };
    },
  },
  flatten: {
    params: [],
    infer: (input) => (input.kind === "tensor" ? { type: tensor([product(input.shape)]), params: 0 } : { error: `\`flatten\` takes a tensor, but its input is ${showType(input)}` }),
  },
  upsample: {
    params: [{ name: "factor", kind: "int", default: 2, min: 1 }],
    infer(input, a) {
      const s = needRank(input, 3, "upsample");
      if (!Array.isArray(s)) return s;
      const f = num(a, "factor");
      return { type: tensor([s[0]! * f, s[1]! * f, s[2]!]), params: 0 };
    },
  },
  avgpool: {
    params: [{ name: "size", kind: "int", default: 2, min: 1 }],
    infer(input, a) {
      const s = needRank(input, 3, "avgpool");
      if (!Array.isArray(s)) return s;
      const f = num(a, "size");
      if (s[0]! < f || s[1]! < f) return { error: `cannot pool ${showShape(s)} by ${f}` };
      return { type: tensor([Math.floor(s[0]! / f), Math.floor(s[1]! / f), s[2]!]), params: 0 };
    },
  },
  batchnorm: normalisation([1, 3], [{ name: "momentum", kind: "number", default: 0.9, min: 0, max: 1, exclusiveMax: true }])("batchnorm"),
  layernorm: normalisation([1, 3])("layernorm"),
  instancenorm: normalisation([3])("instancenorm"),
  virtual_batchnorm: normalisation([1, 3])("virtual_batchnorm"),
  dropout: {
    params: [{ name: "rate", kind: "number", min: 0, max: 1, exclusiveMax: true }],
    infer: (input) => (input.kind === "tensor" ? { type: tensor(input.shape), params: 0 } : { error: `\`dropout\` takes a tensor, but its input is ${showType(input)}` }),
  },
  relu: elementwise(),
  elu: elementwise(),
  tanh: elementwise(),
  sigmoid: elementwise(),
  softplus: elementwise(),
  leaky_relu: { params: [{ name: "alpha", kind: "number", default: 0.2, min: 0, max: 1 }], infer: elementwise().infer },
  embedding: {
    params: [{ name: "dim", kind: "int", min: 1 }],
    infer(input, a) {
      if (input.kind !== "label") return { error: `\`embedding\` takes a class label, but its input is ${showType(input)}`, help: "use `from` to continue from a `label(n)` input" };
      return { type: tensor([num(a, "dim")]), params: input.classes * num(a, "dim") };
    },
  },
  one_hot: {
    params: [],
    infer: (input) => (input.kind === "label" ? { type: tensor([input.classes]), params: 0 } : { error: `\`one_hot\` takes a class label, but its input is ${showType(input)}` }),
  },
  concat: {
    params: [{ name: "values", kind: "value", variadic: true }],
    infer(input, _a, refs) {
      const all = [input, ...refs];
      if (refs.length === 0) return { error: "`concat` needs at least one value to join", help: "name a tap or input: `concat(skip1)`" };
      const shapes: number[][] = [];
      for (const t of all) {
        if (t.kind !== "tensor") return { error: `\`concat\` joins tensors, but one value is ${showType(t)}`, help: "turn labels into vectors with `embedding(dim)` or `one_hot` first" };
        if (t.shape.length !== 1 && t.shape.length !== 3) return { error: `\`concat\` joins vectors and images, not ${showShape(t.shape)}` };
        shapes.push(t.shape);
      }
      const images = shapes.filter((s) => s.length === 3);
      if (images.length === 0) return { type: tensor([shapes.reduce((n, s) => n + s[0]!, 0)]), params: 0 };
      const [h, w] = images[0]!;
      for (const s of images)
        if (s[0] !== h || s[1] !== w)
          return { code: "E0305", error: `cannot join feature maps of different spatial sizes: ${showShape(images[0]!)} and ${showShape(s)}`, help: "a skip connection must join layers of the same height and width" };
      return { type: tensor([h!, w!, shapes.reduce((n, s) => n + s[s.length - 1]!, 0)]), params: 0 };
    },
  },
  add: elementwiseWithTap((input, other) => `cannot add ${other} to ${input}`),
  multiply: elementwiseWithTap((input, other) => `cannot multiply ${input} by ${other}`),
  minibatch_disc: {
    params: [
      { name: "kernels", kind: "int", default: 100, min: 1 },
      { name: "dim", kind: "int", default: 5, min: 1 },
    ],
    infer(input, a) {
      const s = needRank(input, 1, "minibatch_disc", "add `flatten` before it");
      if (!Array.isArray(s)) return s;
      return { type: tensor([s[0]! + num(a, "kernels")]), params: s[0]! * num(a, "kernels") * num(a, "dim") };
    },
  },
  adain: {
    params: [{ name: "style", kind: "value" }],
    infer(input, _a, refs) {
      const s = needRank(input, 3, "adain");
      if (!Array.isArray(s)) return s;
      const style = refs[0]!;
      if (style.kind !== "tensor" || style.shape.length !== 1) return { error: `the style of \`adain\` must be a vector, found ${showType(style)}` };
      const c = s[2]!;
      return { type: tensor(s), params: style.shape[0]! * 2 * c + 2 * c };
    },
  },
  noise: {
    params: [],
    infer(input) {
      const s = needRank(input, 3, "noise");
      if (!Array.isArray(s)) return s;
      return { type: tensor(s), params: s[2]! };
    },
  },
  constant: {
    params: [{ name: "dims", kind: "int", variadic: true, min: 1 }],
    infer(_input, a) {
      const dims = (a.dims ?? []) as number[];
      return { type: tensor(dims), params: product(dims) };
    },
  },
  // progressive growing: (1 - alpha) * value + alpha * current; alpha a number in [0, 1] or a
  // state variable the schedule moves (resolved by the network checker, not a constant)
  fade: {
    params: [
      { name: "value", kind: "value" },
      { name: "alpha", kind: "expr", min: 0, max: 1 },
    ],
    infer(input, _a, refs) {
      const other = refs[0]!;
      if (input.kind !== "tensor" || other.kind !== "tensor" || !sameShape(input.shape, other.shape))
        return { code: "E0303", error: `cannot fade between ${showType(other)} and ${showType(input)}: the shapes must be equal`, help: "upsample or pool the old path to the new resolution first" };
      return { type: tensor(input.shape), params: 0 };
    },
  },
};

export const LAYER_NAMES = Object.keys(LAYERS);
