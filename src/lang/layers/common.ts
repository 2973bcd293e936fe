// Pieces several layers share: rank checks, common parameters, weight-object options.
import { phrase } from "../../diagnostics/messages.js";
import type { IrType } from "../../ir/types.js";
import type { LayerEntry } from "../entry.js";
import { problem, type Problem } from "../problem.js";
import type { Args, ParamSpec } from "../signature.js";
import { RANK_WORDS, showType, tensor } from "../types.js";

export const sn: ParamSpec = { name: "sn", kind: "bool", default: false };
export const bias: ParamSpec = { name: "bias", kind: "bool", default: true };

export const num = (a: Args, k: string) => a[k] as number;

/** The input's shape when it has `rank`, else the problem (with a help saying how to get there). */
export function needRank(input: IrType, rank: number, layer: string, help?: string): number[] | Problem {
  if (input.kind === "tensor" && input.shape.length === rank) return input.shape;
  return problem("E0302", { layer, expected: RANK_WORDS[rank] ?? `rank ${rank}`, found: showType(input) }, { help });
}

/** `needRank` for layers on images, with the help that fits a vector input. */
export function needImage(input: IrType, layer: string): number[] | Problem {
  return needRank(input, 3, layer, input.kind === "tensor" && input.shape.length === 1 ? phrase("reshapeFirst") : undefined);
}

/** The input itself, for layers that keep its shape; a problem for labels and multi-output values. */
export function sameAsTensor(input: IrType, layer: string): IrType | Problem {
  return input.kind === "tensor" ? tensor(input.shape) : problem("E0302", { layer, expected: "a tensor", found: showType(input) });
}

/** `, bias: false` / `, spectralNorm: true` in a weight object's options, when not at their defaults. */
export function weightOptions(a: Args): string {
  return `${a.bias === false ? ", bias: false" : ""}${a.sn ? ", spectralNorm: true" : ""}`;
}

/** A layer that keeps the shape and has no weights, emitted as one runtime function of the input. */
export function activation(name: string, doc: string, fn: string, params: readonly ParamSpec[] = [], extra: (a: Args) => string = () => ""): LayerEntry {
  return {
    doc,
    params,
    shape: (input) => sameAsTensor(input, name),
    paramCount: () => 0,
    emit: { names: [fn], apply: ({ node, inputs }) => `${fn}(${inputs[0]}${extra(node.args)})` },
  };
}
