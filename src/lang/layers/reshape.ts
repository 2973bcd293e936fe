// Layers that rearrange or resample values without weights.
import { phrase } from "../../diagnostics/messages.js";
import type { LayerEntry } from "../entry.js";
import { isProblem, problem } from "../problem.js";
import { product, shapeOf, showShape, showType, tensor } from "../types.js";
import { needRank, num } from "./common.js";

export const RESHAPING = {
  reshape: {
    doc: "the same values in the shape given by `dims` (e.g. `reshape(7, 7, 128)` after a dense layer)",
    params: [{ name: "dims", kind: "int", variadic: true, min: 1 }],
    shape(input, a) {
      const dims = (a.dims ?? []) as number[];
      if (input.kind !== "tensor") return problem("E0302", { layer: "reshape", expected: "a tensor", found: showType(input) });
      if (product(dims) !== product(input.shape)) return problem("E0309", { from: showShape(input.shape), fromCount: product(input.shape), to: showShape(dims), toCount: product(dims) });
      return tensor(dims);
    },
    paramCount: () => 0,
    emit: { names: ["tf.reshape"], apply: ({ node, inputs }) => `tf.reshape(${inputs[0]}, [-1, ${(node.args.dims as number[]).join(", ")}])` },
  },
  flatten: {
    doc: "the values as one vector",
    params: [],
    shape: (input) => (input.kind === "tensor" ? tensor([product(input.shape)]) : problem("E0302", { layer: "flatten", expected: "a tensor", found: showType(input) })),
    paramCount: () => 0,
    emit: { names: ["tf.reshape"], apply: ({ node, inputs }) => `tf.reshape(${inputs[0]}, [-1, ${shapeOf(node.outType)[0]}])` },
  },
  upsample: {
    doc: "nearest-neighbour upsampling of an image by `factor`",
    params: [{ name: "factor", kind: "int", default: 2, min: 1 }],
    shape(input, a) {
      const s = needRank(input, 3, "upsample");
      return isProblem(s) ? s : tensor([s[0]! * num(a, "factor"), s[1]! * num(a, "factor"), s[2]!]);
    },
    paramCount: () => 0,
    emit: { names: ["rt.ops.upsampleNearest"], apply: ({ node, inputs }) => `rt.ops.upsampleNearest(${inputs[0]} as tf.Tensor4D, ${node.args.factor})` },
  },
  avgpool: {
    doc: "average pooling of an image over `size` × `size` windows",
    params: [{ name: "size", kind: "int", default: 2, min: 1 }],
    shape(input, a) {
      const s = needRank(input, 3, "avgpool");
      if (isProblem(s)) return s;
      const f = num(a, "size");
      if (s[0]! < f || s[1]! < f) return problem("E0308", { what: phrase("pooling", { size: f }), shape: showShape(s) });
      return tensor([Math.floor(s[0]! / f), Math.floor(s[1]! / f), s[2]!]);
    },
    paramCount: () => 0,
    emit: { names: ["rt.ops.avgPool"], apply: ({ node, inputs }) => `rt.ops.avgPool(${inputs[0]} as tf.Tensor4D, ${node.args.size})` },
  },
} satisfies Record<string, LayerEntry>;
