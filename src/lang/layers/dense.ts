// Fully connected layers on vectors.
import type { LayerEntry } from "../entry.js";
import { isProblem } from "../problem.js";
import { shapeOf, tensor } from "../types.js";
import { bias, needRank, num, sn, weightOptions } from "./common.js";
import { phrase } from "../../diagnostics/messages.js";

export const dense: LayerEntry = {
  doc: "a fully connected layer on a vector: `[units]`; `sn` applies spectral normalisation",
  params: [{ name: "units", kind: "int", min: 1 }, bias, sn],
  shape(input, a) {
    const s = needRank(input, 1, "dense", phrase("flattenFirst"));
    return isProblem(s) ? s : tensor([num(a, "units")]);
  },
  paramCount: (input, a) => shapeOf(input)[0]! * num(a, "units") + (a.bias ? num(a, "units") : 0),
  emit: {
    names: ["rt.nn.dense"],
    object: (n, scope) => `rt.nn.dense(store, ${scope}, { inFeatures: ${shapeOf(n.inTypes[0]!)[0]}, units: ${n.args.units}${weightOptions(n.args)} })`,
    apply: ({ self, inputs }) => `${self}.apply(${inputs[0]})`,
  },
};

export const minibatch_disc: LayerEntry = {
  doc: "minibatch discrimination (Salimans et al.) on a vector: appends `kernels` features measuring how close each example is to the others",
  params: [
    { name: "kernels", kind: "int", default: 100, min: 1 },
    { name: "dim", kind: "int", default: 5, min: 1 },
  ],
  shape(input, a) {
    const s = needRank(input, 1, "minibatch_disc", phrase("flattenFirst"));
    return isProblem(s) ? s : tensor([s[0]! + num(a, "kernels")]);
  },
  paramCount: (input, a) => shapeOf(input)[0]! * num(a, "kernels") * num(a, "dim"),
  emit: {
    names: ["rt.nn.minibatchDiscrimination"],
    object: (n, scope) => `rt.nn.minibatchDiscrimination(store, ${scope}, { inFeatures: ${shapeOf(n.inTypes[0]!)[0]}, kernels: ${n.args.kernels}, dim: ${n.args.dim} })`,
    apply: ({ self, inputs }) => `${self}.apply(${inputs[0]})`,
  },
};
