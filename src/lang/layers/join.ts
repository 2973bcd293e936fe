// Layers that combine the current value with taps or inputs of the network.
import { phrase } from "../../diagnostics/messages.js";
import type { IrType } from "../../ir/types.js";
import type { LayerEntry } from "../entry.js";
import { problem, wrongArgument, type Problem } from "../problem.js";
import { sameShape, showShape, showType, tensor } from "../types.js";

/** `add(tap)` / `multiply(tap)`: the current value with a tap of the same shape. */
function withTap(name: string, doc: string, fn: string): LayerEntry {
  return {
    doc,
    params: [{ name: "value", kind: "tap" }],
    shape(input, _a, [other]) {
      if (input.kind !== "tensor" || other!.kind !== "tensor" || !sameShape(input.shape, other!.shape))
        return problem("E0303", { what: `\`${name}\``, requirement: phrase("equalShapes"), left: showType(input), right: showType(other!) });
      return tensor(input.shape);
    },
    paramCount: () => 0,
    emit: { names: [fn], apply: ({ inputs }) => `${fn}(${inputs[0]}, ${inputs[1]})` },
  };
}

function concatShape(input: IrType, taps: IrType[]): IrType | Problem {
  if (taps.length === 0) return problem("E0202", { fn: "concat", expected: phrase("atLeastValues", { n: 1 }), found: 0 }, { help: phrase("nameATapToJoin") });
  const shapes: number[][] = [];
  for (const t of [input, ...taps]) {
    if (t.kind !== "tensor" || (t.shape.length !== 1 && t.shape.length !== 3))
      return wrongArgument("concat", "values", "vectors or images", t, { help: t.kind === "label" ? phrase("oneHotFirst") : undefined });
    shapes.push(t.shape);
  }
  const images = shapes.filter((s) => s.length === 3);
  if (images.length === 0) return tensor([shapes.reduce((n, s) => n + s[0]!, 0)]);
  const [h, w] = images[0]!;
  const other = images.find((s) => s[0] !== h || s[1] !== w);
  if (other) return problem("E0305", { left: showShape(images[0]!), right: showShape(other) });
  return tensor([h!, w!, shapes.reduce((n, s) => n + s[s.length - 1]!, 0)]);
}

export const JOINS = {
  concat: {
    doc: "concatenates taps or inputs on the channel axis; a vector next to a feature map is tiled over its height and width; spatial sizes must agree",
    params: [{ name: "values", kind: "tap", variadic: true }],
    shape: (input, _a, taps) => concatShape(input, taps),
    paramCount: () => 0,
    emit: { names: ["rt.graph.concatLast"], apply: ({ inputs }) => `rt.graph.concatLast([${inputs.join(", ")}])` },
  },
  add: withTap("add", "adds a tap of the same shape (a residual block is `current + body(current)` the same way)", "tf.add"),
  multiply: withTap("multiply", "multiplies elementwise by a tap of the same shape (ACGAN's class embedding times z)", "tf.mul"),
} satisfies Record<string, LayerEntry>;
