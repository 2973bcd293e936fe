// Arithmetic operators of expressions. Their type rule is `combine` (shapes broadcast, domains agree).
import type { IrExpr } from "../ir/types.js";
import type { OperatorEntry } from "./entry.js";

export const OPERATORS = {
  "+": { doc: "addition", tensor: "tf.add", number: "+" },
  "-": { doc: "subtraction", tensor: "tf.sub", number: "-" },
  "*": { doc: "multiplication", tensor: "tf.mul", number: "*" },
  "/": { doc: "division", tensor: "tf.div", number: "/" },
  "^": { doc: "power (binds tightest, right-associative)", tensor: "tf.pow", number: "**" },
} satisfies Record<Extract<IrExpr, { k: "binary" }>["op"], OperatorEntry>;

/** Unary minus. */
export const NEGATE = { tensor: "tf.neg" } as const;
