// StyleGAN's and progressive growing's layers.
import { phrase } from "../../diagnostics/messages.js";
import type { LayerEntry } from "../entry.js";
import { isProblem, problem, wrongArgument } from "../problem.js";
import { channelsOf, product, sameShape, shapeOf, showType, tensor } from "../types.js";
import { needRank } from "./common.js";

export const STYLE_LAYERS = {
  adain: {
    doc: "adaptive instance normalisation of an image with per-channel scales and shifts computed from a vector tap `style`",
    params: [{ name: "style", kind: "tap" }],
    shape(input, _a, [style]) {
      const s = needRank(input, 3, "adain");
      if (isProblem(s)) return s;
      if (style!.kind !== "tensor" || style!.shape.length !== 1) return wrongArgument("adain", "style", "a vector", style!);
      return tensor(s);
    },
    paramCount: (input, _a, [style]) => shapeOf(style!)[0]! * 2 * channelsOf(input) + 2 * channelsOf(input),
    emit: {
      names: ["rt.nn.adain"],
      object: (n, scope) => `rt.nn.adain(store, ${scope}, { styleDim: ${shapeOf(n.inTypes[1]!)[0]}, channels: ${channelsOf(n.inTypes[0]!)} })`,
      apply: ({ self, inputs }) => `${self}.apply(${inputs[0]}, ${inputs[1]})`,
    },
  },
  noise: {
    doc: "adds per-pixel noise scaled by a learned factor per channel",
    params: [],
    shape(input) {
      const s = needRank(input, 3, "noise");
      return isProblem(s) ? s : tensor(s);
    },
    paramCount: (input) => channelsOf(input),
    emit: {
      names: ["rt.nn.noise"],
      object: (n, scope) => `rt.nn.noise(store, ${scope}, { channels: ${channelsOf(n.inTypes[0]!)} })`,
      apply: ({ self, inputs }) => `${self}.apply(${inputs[0]})`,
    },
  },
  constant: {
    doc: "a learned input of shape `dims` (StyleGAN's 4 × 4 start; the current value only gives the batch size)",
    params: [{ name: "dims", kind: "int", variadic: true, min: 1 }],
    shape: (_input, a) => tensor((a.dims ?? []) as number[]),
    paramCount: (_input, a) => product((a.dims ?? []) as number[]),
    emit: {
      names: ["rt.nn.constant"],
      object(n, scope) {
        const [h, w, c] = shapeOf(n.outType);
        return `rt.nn.constant(store, ${scope}, { height: ${h}, width: ${w}, channels: ${c} })`;
      },
      apply: ({ self, inputs }) => `${self}.apply(${inputs[0]}.shape[0]!)`,
    },
  },
  fade: {
    doc: "progressive growing: `(1 - alpha) * tap + alpha * current`; `alpha` a number in [0, 1] or a `state` the schedule moves",
    params: [
      { name: "value", kind: "tap" },
      { name: "alpha", kind: "number_or_state", min: 0, max: 1 },
    ],
    shape(input, _a, [old]) {
      if (input.kind !== "tensor" || old!.kind !== "tensor" || !sameShape(input.shape, old!.shape))
        return problem("E0303", { what: "`fade`", requirement: phrase("equalShapes"), left: showType(old!), right: showType(input) }, { help: phrase("resizeOldPath") });
      return tensor(input.shape);
    },
    paramCount: () => 0,
    emit: {
      names: ["rt.nn.fade"],
      // the tap is the old path, the current value the new layers
      apply: ({ node, inputs, state }) => `rt.nn.fade(${inputs[1]}, ${inputs[0]}, ${typeof node.args.alpha === "string" ? `${state(node.args.alpha)} as tf.Scalar` : node.args.alpha})`,
    },
  },
} satisfies Record<string, LayerEntry>;
