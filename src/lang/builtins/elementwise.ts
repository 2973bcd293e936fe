// Elementwise functions of loss expressions.
import type { BuiltinEntry } from "../entry.js";
import { wrongArgument } from "../problem.js";
import type { ParamSpec } from "../signature.js";
import { combine, numeric } from "./combine.js";

export const x: ParamSpec = { name: "x", kind: "expr" };
const a: ParamSpec = { name: "a", kind: "expr" };
const b: ParamSpec = { name: "b", kind: "expr" };

/** `fn(x)`, elementwise, emitted as one function of the tensor. */
export function unary(name: string, doc: string, fn: string): BuiltinEntry {
  return { doc, params: [x], type: ([v]) => numeric(v!.type, `\`${name}\``, 0), emit: { names: [fn], code: (at) => `${fn}(${at.tensor(0)})` } };
}

function extremum(name: "min" | "max", fn: string): BuiltinEntry {
  return {
    doc: `the elementwise ${name === "min" ? "minimum" : "maximum"} of \`a\` and \`b\` (shapes broadcast)`,
    params: [a, b],
    broadcasts: true,
    type: ([l, r]) => combine(l!.type, r!.type, `\`${name}\``),
    emit: { names: [fn], code: (at) => `${fn}(${at.arg(0).code}, ${at.arg(1).code})` },
  };
}

export const ELEMENTWISE = {
  log: unary("log", "natural logarithm", "tf.log"),
  exp: unary("exp", "e^x", "rt.ops.exp"),
  abs: unary("abs", "|x|", "tf.abs"),
  sqrt: unary("sqrt", "square root", "tf.sqrt"),
  square: unary("square", "x²", "tf.square"),
  relu: unary("relu", "max(x, 0)", "rt.ops.relu"),
  softplus: unary("softplus", "log(1 + e^x)", "rt.ops.softplus"),
  sigmoid: unary("sigmoid", "1 / (1 + e^−x)", "rt.ops.sigmoid"),
  tanh: unary("tanh", "tanh(x)", "rt.ops.tanh"),
  min: extremum("min", "rt.ops.minimum"),
  max: extremum("max", "rt.ops.maximum"),
  clip: {
    doc: "`x` limited to [`low`, `high`] (scalar bounds)",
    params: [x, { name: "low", kind: "expr" }, { name: "high", kind: "expr" }],
    type([v, lo, hi]) {
      for (const [i, bound] of [lo!, hi!].entries())
        if (bound.type.kind !== "scalar") return wrongArgument("clip", i === 0 ? "low" : "high", "a scalar", bound.type);
      return numeric(v!.type, "`clip`", 0);
    },
    emit: { names: ["rt.ops.clip"], code: (at) => `rt.ops.clip(${at.tensor(0)}, ${at.arg(1).code}, ${at.arg(2).code})` },
  },
} satisfies Record<string, BuiltinEntry>;
