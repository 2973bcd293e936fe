// Convolutions on images [height, width, channels].
import { phrase } from "../../diagnostics/messages.js";
import type { LayerEntry } from "../entry.js";
import { isProblem, problem } from "../problem.js";
import type { ParamSpec } from "../signature.js";
import { channelsOf, showShape, tensor } from "../types.js";
import { bias, needImage, num, sn, weightOptions } from "./common.js";

const convParams: ParamSpec[] = [
  { name: "filters", kind: "int", min: 1 },
  { name: "kernel", kind: "int", default: 3, min: 1 },
  { name: "stride", kind: "int", default: 1, min: 1 },
  { name: "padding", kind: "string", default: "same", choices: ["same", "valid"] },
  bias,
  sn,
];

function convOut(size: number, kernel: number, stride: number, padding: string): number {
  return padding === "same" ? Math.ceil(size / stride) : Math.floor((size - kernel) / stride) + 1;
}

function convTransposeOut(size: number, kernel: number, stride: number, padding: string): number {
  return padding === "same" ? size * stride : (size - 1) * stride + kernel;
}

function convolution(name: "conv2d" | "conv2d_transpose", doc: string, runtime: string, out: typeof convOut): LayerEntry {
  return {
    doc,
    params: convParams,
    shape(input, a) {
      const s = needImage(input, name);
      if (isProblem(s)) return s;
      const [h, w] = s as [number, number, number];
      const [k, st, p] = [num(a, "kernel"), num(a, "stride"), a.padding as string];
      const [oh, ow] = [out(h, k, st, p), out(w, k, st, p)];
      if (oh < 1 || ow < 1) return problem("E0308", { what: phrase("validConvolution", { kernel: k }), shape: showShape(s) });
      return tensor([oh, ow, num(a, "filters")]);
    },
    paramCount: (input, a) => num(a, "kernel") ** 2 * channelsOf(input) * num(a, "filters") + (a.bias ? num(a, "filters") : 0),
    emit: {
      names: [runtime],
      object: (n, scope) =>
        `${runtime}(store, ${scope}, { inChannels: ${channelsOf(n.inTypes[0]!)}, filters: ${n.args.filters}, kernel: ${n.args.kernel}, stride: ${n.args.stride}, padding: ${JSON.stringify(n.args.padding)}${weightOptions(n.args)} })`,
      apply: ({ self, inputs }) => `${self}.apply(${inputs[0]})`,
    },
  };
}

export const CONVOLUTIONS = {
  conv2d: convolution("conv2d", "a 2-D convolution: `[ceil(h / stride), ceil(w / stride), filters]` with `\"same\"` padding", "rt.nn.conv2d", convOut),
  conv2d_transpose: convolution("conv2d_transpose", "a transposed convolution: `[h · stride, w · stride, filters]` with `\"same\"` padding", "rt.nn.conv2dTranspose", convTransposeOut),
};
