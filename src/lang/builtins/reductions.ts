// Reductions: from a batch of values to a scalar, or to one number per sample.
import type { BuiltinEntry } from "../entry.js";
import { isProblem, wrongArgument } from "../problem.js";
import { SCALAR, tensor } from "../types.js";
import { numeric } from "./combine.js";
import { unary, x } from "./elementwise.js";

function reduction(name: string, doc: string, fn: string): BuiltinEntry {
  return {
    ...unary(name, doc, fn),
    type([v]) {
      const t = numeric(v!.type, `\`${name}\``, 0);
      return isProblem(t) ? t : SCALAR;
    },
  };
}

export const REDUCTIONS = {
  mean: reduction("mean", "the mean over the batch and every axis: a scalar", "tf.mean"),
  sum: reduction("sum", "the sum over the batch and every axis: a scalar", "tf.sum"),
  norm: {
    doc: "the L2 norm of each sample over every non-batch axis",
    params: [x],
    type: ([v]) => (v!.type.kind === "tensor" ? tensor([]) : wrongArgument("norm", "x", "a per-sample tensor", v!.type)),
    emit: { names: ["rt.ops.perExampleNorm"], code: (at) => `rt.ops.perExampleNorm(${at.tensor(0)})` },
  },
} satisfies Record<string, BuiltinEntry>;
