// Turning matched call arguments into validated constants (layers, data sources, priors, optimisers).
import { diag, type Diagnostic } from "../diagnostics/index.js";
import type { Arg, Call, Expr } from "../syntax/ast.js";
import type { Const } from "../ir/types.js";
import { ConstError, evalConst, type ConstEnv } from "./consts.js";
import { matchArgs, type ParamSpec } from "./signature.js";

export interface ConstArgs {
  values: Record<string, Const>;
  /** For parameters of kind "value": the expressions given, by parameter name. */
  refs: Record<string, Expr[]>;
  ok: boolean;
}

function checkKind(p: ParamSpec, v: Const, arg: Arg, fnName: string, out: Diagnostic[]): Const | undefined {
  const bad = (expected: string, help?: string) => {
    out.push(diag("E0204", arg.value.span, `argument \`${p.name}\` of \`${fnName}\` must be ${expected}, found ${JSON.stringify(v)}`, help ? { help } : {}));
    return undefined;
  };
  const range = (n: number): boolean => {
    const lowOk = p.min === undefined || (p.exclusiveMin ? n > p.min : n >= p.min);
    const highOk = p.max === undefined || (p.exclusiveMax ? n < p.max : n <= p.max);
    if (lowOk && highOk) return true;
    const lo = p.min === undefined ? "" : p.exclusiveMin ? `greater than ${p.min}` : `at least ${p.min}`;
    const hi = p.max === undefined ? "" : p.exclusiveMax ? `less than ${p.max}` : `at most ${p.max}`;
    out.push(diag("E0205", arg.value.span, `argument \`${p.name}\` of \`${fnName}\` must be ${[lo, hi].filter(Boolean).join(" and ")}, found ${n}`));
    return false;
  };
  switch (p.kind) {
    case "int":
      if (typeof v !== "number" || !Number.isInteger(v)) return bad("a whole number");
      return range(v) ? v : undefined;
    case "number":
      if (typeof v !== "number") return bad("a number");
      return range(v) ? v : undefined;
    case "bool":
      return typeof v === "boolean" ? v : bad("true or false", v === 0 || v === 1 ? `write \`${p.name} = ${v === 1}\`` : undefined);
    case "string":
      if (typeof v !== "string") return bad("a string");
      if (p.choices && !p.choices.includes(v)) {
        out.push(
          diag("E0205", arg.value.span, `argument \`${p.name}\` of \`${fnName}\` must be one of ${p.choices.map((c) => `"${c}"`).join(", ")}, found "${v}"`),
        );
        return undefined;
      }
      return v;
    case "numbers":
      if (typeof v === "number") return [v];
      if (Array.isArray(v) && v.every((x) => typeof x === "number")) return v;
      return bad("a number or a list of numbers");
    case "shape":
      if (typeof v === "number") v = [v];
      if (Array.isArray(v) && v.every((x) => typeof x === "number" && Number.isInteger(x) && x > 0)) return v;
      return bad("a positive whole number or a list of them");
    default:
      return v;
  }
}

/** Match `args` to `params` and evaluate the constant ones. Problems go to `out`. */
export function constArgs(fnName: string, params: readonly ParamSpec[], args: readonly Arg[], callSpan: Call["span"], env: ConstEnv, out: Diagnostic[]): ConstArgs {
  const matched = matchArgs(fnName, params, args);
  let ok = matched.problems.length === 0;
  for (const p of matched.problems) out.push(diag(p.code, p.arg?.span ?? callSpan, p.message, p.help ? { help: p.help } : {}));
  const values: Record<string, Const> = {};
  const refs: Record<string, Expr[]> = {};
  for (const p of params) {
    const given = matched.byName.get(p.name);
    if (p.kind === "value" || p.kind === "expr") {
      if (given) refs[p.name] = given.map((a) => a.value);
      continue;
    }
    if (!given) {
      if (p.default !== undefined) values[p.name] = p.default;
      continue;
    }
    const evaluated: Const[] = [];
    for (const arg of given) {
      try {
        const v = checkKind(p, evalConst(arg.value, env, `argument \`${p.name}\` of \`${fnName}\``), arg, fnName, out);
        if (v === undefined) ok = false;
        else evaluated.push(v);
      } catch (e) {
        if (!(e instanceof ConstError)) throw e;
        out.push(e.diagnostic);
        ok = false;
      }
    }
    if (evaluated.length) values[p.name] = p.variadic ? evaluated : evaluated[0]!;
  }
  return { values, refs, ok };
}
