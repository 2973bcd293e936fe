// Functions about gradients: differentiating, and stopping the flow of gradients.
import type { IrExpr } from "../../ir/types.js";
import type { BuiltinEntry } from "../entry.js";
import { problem, wrongArgument } from "../problem.js";
import { tensor } from "../types.js";
import { unary, x } from "./elementwise.js";

/** How a message names the expression differentiated. */
function nameOf(e: IrExpr): string {
  if ("name" in e && e.k !== "member") return e.name;
  if (e.k === "builtin") return `${e.fn}(...)`;
  if (e.k === "call" && e.output === "out") return `${e.network}(...)`;
  return "the expression";
}

export const GRADIENTS = {
  grad: {
    doc: "the gradient of `sum(y)` with respect to `x` (a `let`, `data` or `latent` name): the shape of `x`",
    params: [
      { name: "y", kind: "expr" },
      { name: "x", kind: "name" },
    ],
    type([y, wrt], _o, query) {
      if (wrt!.type.kind !== "tensor") return wrongArgument("grad", "x", "a tensor", wrt!.type, { at: 1 });
      if (y!.type.kind !== "tensor" && y!.type.kind !== "scalar") return wrongArgument("grad", "y", "a number or a tensor", y!.type, { at: 0 });
      if (!query.depends(y!, wrt!)) return problem("E0505", { value: nameOf(y!), name: (wrt as { name: string }).name }, { at: 1 });
      return tensor(wrt!.type.shape, wrt!.type.domain);
    },
    emit: {
      names: ["rt.ops.inputGradient"],
      lazy: true,
      code(at) {
        const { fn, point } = at.closure(0, 1);
        return { code: at.hoist(`grad_${at.nameOf(1)}`, `rt.ops.inputGradient(${fn}, ${point})`), num: false };
      },
    },
  },
  stop_gradient: { ...unary("stop_gradient", "`x`, through which no gradient flows", "rt.nn.stopGradient"), blocksGradient: true },
  history: {
    doc: "a batch mixing fresh values of `x` with ones kept from earlier steps (a pool of `size`, each kept with probability `p`; no gradient)",
    params: [x, { name: "size", kind: "int", default: 50, min: 1 }, { name: "p", kind: "number", default: 0.5, min: 0, max: 1 }],
    type: ([v]) => (v!.type.kind === "tensor" ? v!.type : wrongArgument("history", "x", "a per-sample tensor", v!.type)),
    blocksGradient: true,
    emit: {
      names: ["rt.HistoryPool"],
      code: (at) => ({ code: at.hoist(`pooled_${at.nameOf(0)}`, `${at.pool()}.query(${at.tensor(0)}, ${at.seed()}, ${at.step()})`), num: false }),
      pool: (o, id) => `new rt.HistoryPool(${o.size}, ${o.p}, ${JSON.stringify(id)})`,
    },
  },
} satisfies Record<string, BuiltinEntry>;
