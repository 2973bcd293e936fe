// Compile-time evaluation of constant expressions: numbers, strings, lists, params, arithmetic.
import { diagnostic, phrase, type Diagnostic } from "../diagnostics/index.js";
import type { Expr } from "../syntax/ast.js";
import type { Const } from "../ir/types.js";

/** Where constant names are looked up: params, and a block's parameters inside the block. */
export interface ConstEnv {
  get(name: string): Const | undefined;
  /**
   * Why `name` has no constant value: what it is instead, the constant it may be a typo of, or
   * that it is a param whose own value has an error (already reported).
   */
  explain?(name: string): { is?: string; guess?: string; failed?: boolean };
}

/** A constant that cannot be evaluated; the checker reports its diagnostic (`Context.fail`), if any. */
export class ConstError {
  /** Without a diagnostic: the problem is a param's own error, reported where the param is. */
  constructor(readonly diagnostic?: Diagnostic) {}
}

/**
 * Evaluate `e`, or throw a ConstError. `what` names the constant for messages ("argument `units`
 * of `dense`"); a function is called only when there is a message to write.
 */
export function evalConst(e: Expr, env: ConstEnv, named: string | (() => string)): Const {
  const what = () => (typeof named === "string" ? named : named());
  switch (e.kind) {
    case "Number":
      return e.value;
    case "String":
      return e.value;
    case "Bool":
      return e.value;
    case "List":
      return e.items.map((i) => evalConst(i, env, named));
    case "Name": {
      const v = env.get(e.name);
      if (v !== undefined) return v;
      const why = env.explain?.(e.name);
      if (why?.failed) throw new ConstError();
      if (why?.is) throw new ConstError(diagnostic("E0206", e.span, { what: what(), name: e.name, kind: why.is }, { help: phrase("onlyParamsHere", { name: e.name }) }));
      if (why) throw new ConstError(diagnostic("E0101", e.span, { what: "name", name: e.name }, { help: why.guess ? phrase("didYouMean", { name: why.guess }) : phrase("declareParam", { name: e.name }) }));
      throw new ConstError(diagnostic("E0206", e.span, { what: what(), name: e.name, kind: phrase("notAParam") }, { help: phrase("useNumberOrParam") }));
    }
    case "Unary": {
      const v = evalConst(e.operand, env, named);
      if (typeof v !== "number") throw new ConstError(diagnostic("E0211", e.span, { what: phrase("theOperand", { op: "-" }), found: JSON.stringify(v) }));
      return -v;
    }
    case "Binary": {
      const a = evalConst(e.left, env, named);
      const b = evalConst(e.right, env, named);
      if (typeof a !== "number" || typeof b !== "number") throw new ConstError(diagnostic("E0211", e.span, { what: phrase("eachOperand", { op: e.op }), found: `${JSON.stringify(a)} and ${JSON.stringify(b)}` }));
      switch (e.op) {
        case "+":
          return a + b;
        case "-":
          return a - b;
        case "*":
          return a * b;
        case "/":
          if (b === 0) throw new ConstError(diagnostic("E0216", e.span, {}));
          return a / b;
        case "^":
          return a ** b;
      }
    }
    case "Call":
    case "Member":
      throw new ConstError(diagnostic("E0212", e.span, { what: what() }));
  }
}
