// Layers on class labels.
import { phrase } from "../../diagnostics/messages.js";
import type { LayerEntry } from "../entry.js";
import { problem } from "../problem.js";
import { shapeOf, showType, tensor } from "../types.js";
import { num } from "./common.js";

export const LABEL_LAYERS = {
  embedding: {
    doc: "on a `label(n)` value: a learned vector `[dim]` per class",
    params: [{ name: "dim", kind: "int", min: 1 }],
    shape: (input, a) => (input.kind === "label" ? tensor([num(a, "dim")]) : problem("E0302", { layer: "embedding", expected: "a class label", found: showType(input) }, { help: phrase("fromLabel") })),
    paramCount: (input, a) => (input.kind === "label" ? input.classes : 0) * num(a, "dim"),
    emit: {
      names: ["rt.nn.embedding"],
      object: (n, scope) => `rt.nn.embedding(store, ${scope}, { classes: ${n.inTypes[0]!.kind === "label" ? n.inTypes[0]!.classes : 0}, dim: ${n.args.dim} })`,
      apply: ({ self, inputs }) => `${self}.apply(${inputs[0]})`,
    },
  },
  one_hot: {
    doc: "on a `label(n)` value: `[n]`, 1 at the class and 0 elsewhere",
    params: [],
    shape: (input) => (input.kind === "label" ? tensor([input.classes]) : problem("E0302", { layer: "one_hot", expected: "a class label", found: showType(input) })),
    paramCount: () => 0,
    emit: { names: ["tf.oneHot", "tf.cast"], apply: ({ node, inputs }) => `tf.oneHot(tf.cast(${inputs[0]}, "int32") as tf.Tensor1D, ${shapeOf(node.outType)[0]}).toFloat()` },
  },
} satisfies Record<string, LayerEntry>;
