// Compile-time evaluation of constant expressions: numbers, strings, lists, params, arithmetic.
import { diag, type Diagnostic } from "../diagnostics/index.js";
import type { Expr } from "../syntax/ast.js";
import type { Const } from "../ir/types.js";

/** Where constant names are looked up: params, and a block's parameters inside the block. */
export interface ConstEnv {
  get(name: string): Const | undefined;
  /** Why `name` has no constant value: what it is instead, or the constant it may be a typo of. */
  explain?(name: string): { is?: string; guess?: string };
}

export class ConstError {
  constructor(readonly diagnostic: Diagnostic) {}
}

/** Evaluate `e`, or throw a ConstError with a diagnostic. `what` names the context for messages. */
export function evalConst(e: Expr, env: ConstEnv, what: string): Const {
  switch (e.kind) {
    case "Number":
      return e.value;
    case "String":
      return e.value;
    case "Bool":
      return e.value;
    case "List":
      return e.items.map((i) => evalConst(i, env, what));
    case "Name": {
      const v = env.get(e.name);
      if (v !== undefined) return v;
      const why = env.explain?.(e.name);
      if (why?.is)
        throw new ConstError(
          diag("E0206", e.span, `${what} must be a constant, but \`${e.name}\` is ${why.is}`, {
            help: `only numbers and \`param\` names can be used here; declare it with \`param ${e.name} = ...\``,
          }),
        );
      if (why)
        throw new ConstError(
          diag("E0101", e.span, `unknown name \`${e.name}\``, { help: why.guess ? `did you mean \`${why.guess}\`?` : `declare it with \`param ${e.name} = ...\`` }),
        );
      throw new ConstError(
        diag("E0206", e.span, `${what} must be a constant, but \`${e.name}\` is not a param`, {
          help: "use a number or a name declared with `param`",
        }),
      );
    }
    case "Unary": {
      const v = evalConst(e.operand, env, what);
      if (typeof v !== "number") throw new ConstError(diag("E0204", e.span, `cannot negate ${JSON.stringify(v)}`));
      return -v;
    }
    case "Binary": {
      const a = evalConst(e.left, env, what);
      const b = evalConst(e.right, env, what);
      if (typeof a !== "number" || typeof b !== "number")
        throw new ConstError(diag("E0204", e.span, `\`${e.op}\` needs numbers, found ${JSON.stringify(a)} and ${JSON.stringify(b)}`));
      switch (e.op) {
        case "+":
          return a + b;
        case "-":
          return a - b;
        case "*":
          return a * b;
        case "/":
          if (b === 0) throw new ConstError(diag("E0205", e.span, "division by zero in a constant"));
          return a / b;
        case "^":
          return a ** b;
      }
    }
    case "Call":
    case "Member":
      throw new ConstError(diag("E0206", e.span, `${what} must be a constant, not a computed value`));
  }
}
