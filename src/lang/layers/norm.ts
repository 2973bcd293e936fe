// Normalisation layers: per-channel statistics and a learned scale and shift per channel.
import type { IrType } from "../../ir/types.js";
import type { LayerEmitter, LayerEntry } from "../entry.js";
import { problem } from "../problem.js";
import type { ParamSpec } from "../signature.js";
import { channelsOf, showType, tensor } from "../types.js";

function normalisation(name: string, doc: string, ranks: number[], emit: LayerEmitter, params: readonly ParamSpec[] = []): LayerEntry {
  return {
    doc,
    params,
    shape(input: IrType) {
      if (input.kind === "tensor" && ranks.includes(input.shape.length)) return tensor(input.shape);
      return problem("E0302", { layer: name, expected: ranks.map((r) => (r === 1 ? "a vector" : "an image")).join(" or "), found: showType(input) });
    },
    paramCount: (input) => 2 * channelsOf(input),
    emit,
  };
}

const apply: LayerEmitter["apply"] = ({ self, inputs }) => `${self}.apply(${inputs[0]})`;

export const NORMALISATIONS = {
  batchnorm: normalisation(
    "batchnorm",
    "batch normalisation; `momentum` of the running averages used in evaluation",
    [1, 3],
    { names: ["rt.nn.batchnorm"], object: (n, scope) => `rt.nn.batchnorm(store, ${scope}, { channels: ${channelsOf(n.inTypes[0]!)}, momentum: ${n.args.momentum} })`, apply },
    [{ name: "momentum", kind: "number", default: 0.9, min: 0, max: 1, exclusiveMax: true }],
  ),
  layernorm: normalisation("layernorm", "layer normalisation (over each example's values)", [1, 3], {
    names: ["rt.nn.layernorm"],
    object: (n, scope) => `rt.nn.layernorm(store, ${scope}, { channels: ${channelsOf(n.inTypes[0]!)} })`,
    apply,
  }),
  instancenorm: normalisation("instancenorm", "instance normalisation (over each example's height and width, per channel)", [3], {
    names: ["rt.nn.instancenorm"],
    object: (n, scope) => `rt.nn.instancenorm(store, ${scope}, { channels: ${channelsOf(n.inTypes[0]!)} })`,
    apply,
  }),
  virtual_batchnorm: normalisation(
    "virtual_batchnorm",
    "normalises each example with the statistics of a reference batch fixed at the start (the network's first input batch, kept in checkpoints) combined with the example itself (Salimans et al.; TF-GAN's form)",
    [1, 3],
    {
      names: ["rt.nn.virtualBatchnorm"],
      object: (n, scope) => `rt.nn.virtualBatchnorm(store, ${scope}, { channels: ${channelsOf(n.inTypes[0]!)} })`,
      apply: ({ self, inputs, reference }) => `${self}.apply(${inputs[0]}, ${reference}.rows)`,
      reference: true,
    },
  ),
};
