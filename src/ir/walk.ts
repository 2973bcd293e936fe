// Generic traversal of IR expressions.
import type { IrExpr } from "./types.js";

/** The direct subexpressions of `e`. */
export function children(e: IrExpr): IrExpr[] {
  switch (e.k) {
    case "call":
    case "builtin":
      return e.args;
    case "member":
      return [e.object];
    case "binary":
      return [e.left, e.right];
    case "neg":
      return [e.operand];
    default:
      return [];
  }
}

/** Visits `e` and its subexpressions depth-first, parents before children. */
export function forEachExpr(e: IrExpr, visit: (x: IrExpr) => void): void {
  visit(e);
  for (const c of children(e)) forEachExpr(c, visit);
}
