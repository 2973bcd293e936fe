// Reductions: from a batch of values to a scalar, or (`per_sample = true`) to one number per
// sample, which a regulariser then weighs or averages (R1's E‖∇D(x)‖², WGAN-div's ‖∇‖^p).
import type { BuiltinEntry } from "../entry.js";
import { isProblem, wrongArgument } from "../problem.js";
import type { ParamSpec } from "../signature.js";
import { SCALAR, tensor } from "../types.js";
import { numeric } from "./combine.js";
import { x } from "./elementwise.js";

const perSample: ParamSpec = { name: "per_sample", kind: "bool", default: false };

/** `name(x, per_sample = false)`: `whole` over everything (a scalar), or `each` per sample (`[]` per sample). */
function reduction(name: string, what: string, whole: string, each: string): BuiltinEntry {
  return {
    doc: `${what} over the batch and every axis: a scalar; with \`per_sample = true\`, over each sample's axes: one number per sample`,
    params: [x, perSample],
    type([v], o) {
      const t = numeric(v!.type, `\`${name}\``, 0);
      if (isProblem(t) || !o.per_sample) return isProblem(t) ? t : SCALAR;
      return t.kind === "tensor" ? tensor([]) : wrongArgument(name, "x", "a per-sample tensor (a scalar has no samples)", t, { at: 0 });
    },
    emit: {
      names: [whole, each],
      code: (at) => `${at.expr.options.per_sample ? each : whole}(${at.tensor(0)})`,
    },
  };
}

export const REDUCTIONS = {
  mean: reduction("mean", "the mean", "tf.mean", "rt.ops.perExampleMean"),
  sum: reduction("sum", "the sum", "tf.sum", "rt.ops.perExampleSum"),
  std: reduction("std", "the standard deviation (dividing by the count)", "rt.ops.std", "rt.ops.perExampleStd"),
  norm: {
    doc: "the L2 norm of each sample over every non-batch axis",
    params: [x],
    type: ([v]) => (v!.type.kind === "tensor" ? tensor([]) : wrongArgument("norm", "x", "a per-sample tensor", v!.type)),
    emit: { names: ["rt.ops.perExampleNorm"], code: (at) => `rt.ops.perExampleNorm(${at.tensor(0)})` },
  },
} satisfies Record<string, BuiltinEntry>;
