// The type rule of elementwise combinations (operators, min/max, comparison losses): shapes
// broadcast, domains agree, labels and multi-output values are not numbers.
import { phrase } from "../../diagnostics/messages.js";
import type { IrType } from "../../ir/types.js";
import { isProblem, problem, type Problem } from "../problem.js";
import { broadcastShapes, SCALAR, showType, tensor } from "../types.js";

/** A value with several outputs used where one is needed. */
export function outputsProblem(t: Extract<IrType, { kind: "outputs" }>, at?: number): Problem {
  const [first, second] = Object.keys(t.outputs);
  const help = second === undefined ? phrase("pickOutput", { first: `.${first}` }) : phrase("pickOutputs", { first: `.${first}`, second: `.${second}` });
  return problem("E0312", { network: t.network }, { help, at });
}

/** A value an elementwise function can take: a tensor or a scalar (`at`: which argument, for a multi-output value). */
export function numeric(t: IrType, what: string, at?: number): IrType | Problem {
  if (t.kind === "label") return problem("E0215", { what, type: showType(t) });
  if (t.kind === "outputs") return outputsProblem(t, at);
  return t;
}

/** The result of combining two values elementwise (`what` names the operator or function). */
export function combine(l: IrType, r: IrType, what: string): IrType | Problem {
  for (const [i, t] of [l, r].entries()) {
    const bad = numeric(t, what, i);
    if (isProblem(bad)) return bad;
  }
  if (l.kind === "scalar") return r;
  if (r.kind === "scalar") return l;
  if (l.kind !== "tensor" || r.kind !== "tensor") return SCALAR;
  if (l.domain && r.domain && l.domain !== r.domain) return problem("E0402", { what, left: l.domain, right: r.domain });
  const shape = broadcastShapes(l.shape, r.shape);
  if (!shape) return problem("E0303", { what, requirement: phrase("broadcastingShapes"), left: showType(l), right: showType(r) });
  return tensor(shape, l.domain ?? r.domain);
}
