// Functions that build or retag values, and the iteration counter.
import { phrase } from "../../diagnostics/messages.js";
import type { BuiltinEntry } from "../entry.js";
import { problem, wrongArgument } from "../problem.js";
import { SCALAR, sameShape, showType, tensor } from "../types.js";

export const VALUES = {
  one_hot: {
    doc: "a `label(n)` value as a vector `[n]`",
    params: [{ name: "c", kind: "expr" }],
    type: ([c]) => (c!.type.kind === "label" ? tensor([c!.type.classes]) : wrongArgument("one_hot", "c", "a class label", c!.type)),
    emit: {
      names: ["tf.oneHot", "tf.cast"],
      code: (at) => `tf.oneHot(tf.cast(${at.tensor(0)}, "int32") as tf.Tensor1D, ${(at.expr.type.kind === "tensor" && at.expr.type.shape[0]) || 0}).toFloat()`,
    },
  },
  concat: {
    doc: "concatenation on the last axis (the other axes must agree)",
    params: [{ name: "values", kind: "expr", variadic: true }],
    type(vs) {
      if (vs.length < 2) return problem("E0202", { fn: "concat", expected: phrase("atLeastValues", { n: 2 }), found: vs.length });
      let rest: number[] | undefined;
      let last = 0;
      for (const v of vs) {
        if (v.type.kind !== "tensor" || v.type.shape.length === 0)
          return wrongArgument("concat", "values", "tensors", v.type, { help: v.type.kind === "label" ? phrase("oneHotLabels") : undefined });
        const head = v.type.shape.slice(0, -1);
        if (rest && !sameShape(rest, head)) return problem("E0303", { what: "`concat`", requirement: phrase("lastAxisConcat"), left: showType(vs[0]!.type), right: showType(v.type) });
        rest = head;
        last += v.type.shape[v.type.shape.length - 1]!;
      }
      return tensor([...rest!, last]);
    },
    emit: { names: ["tf.concat"], code: (at) => `tf.concat([${at.expr.args.map((_, i) => at.tensor(i)).join(", ")}], -1)` },
  },
  cast: {
    doc: "`x` tagged with `domain`, a domain name (CycleGAN's identity term: `cast(y, X)`)",
    params: [
      { name: "x", kind: "expr" },
      { name: "domain", kind: "domain" },
    ],
    type: ([v], o) => (v!.type.kind === "tensor" ? tensor(v!.type.shape, o.domain as string) : wrongArgument("cast", "x", "a tensor", v!.type, { at: 0 })),
    emit: { names: [], code: (at) => at.arg(0) },
  },
  iteration: {
    doc: "the current training iteration, a scalar (for ramps such as a fade-in α)",
    params: [],
    bare: true,
    type: () => SCALAR,
    emit: { names: [], code: (at) => ({ code: at.step(), num: true }) },
  },
} satisfies Record<string, BuiltinEntry>;
