// Matching a call's arguments to a catalog entry's parameters (positional first, then named),
// and evaluating and validating the constant ones. Problems are reported as they are found.
import { phrase } from "../diagnostics/index.js";
import type { Span } from "../diagnostics/span.js";
import { didYouMean } from "../diagnostics/suggest.js";
import type { Arg, Expr } from "../syntax/ast.js";
import type { Const } from "../ir/types.js";
import { CONSTANT_KINDS, describeSignature, KIND_EXPECTED, type Args, type ParamSpec } from "../lang/index.js";
import { evalConst, type ConstEnv } from "./consts.js";
import type { Context } from "./context.js";

export interface Matched {
  /** Arguments by parameter name; variadic ones collected under their name. */
  byName: Map<string, Arg[]>;
  ok: boolean;
}

/** Match call arguments to parameters: positional first, then named. */
export function matchArgs(ctx: Context, fn: string, params: readonly ParamSpec[], args: readonly Arg[], callSpan: Span): Matched {
  const byName = new Map<string, Arg[]>();
  const signature = () => describeSignature(fn, params);
  let ok = true;
  let pos = 0;
  let extra: Arg | undefined;
  const positional = args.filter((a) => !a.name).length;
  for (const arg of args) {
    if (arg.name) {
      const p = params.find((q) => q.name === arg.name!.name);
      if (!p) {
        const guess = didYouMean(arg.name.name, params.map((q) => q.name));
        const help = guess ? phrase("didYouMeanArg", { name: guess, signature: signature() }) : params.length ? phrase("itTakes", { signature: signature() }) : phrase("takesNoArguments", { fn });
        ctx.report("E0203", arg.span, { fn, name: arg.name.name }, { help });
        ok = false;
      } else if (byName.has(p.name)) {
        ctx.report("E0208", arg.span, { fn, name: p.name });
        ok = false;
      } else byName.set(p.name, [arg]);
      continue;
    }
    const p = params[pos];
    if (!p) {
      extra ??= arg;
      continue;
    }
    byName.set(p.name, [...(byName.get(p.name) ?? []), arg]);
    if (!p.variadic) pos++;
  }
  if (extra) {
    const expected = params.length === 0 ? phrase("noArguments") : phrase("atMostPositional", { n: params.length });
    ctx.report("E0202", extra.span, { fn, expected, found: positional }, { help: phrase("itTakes", { signature: signature() }) });
    ok = false;
  }
  for (const p of params)
    if (p.default === undefined && !byName.has(p.name)) {
      ctx.report("E0207", callSpan, { fn, name: p.name }, { help: phrase("itTakes", { signature: signature() }) });
      ok = false;
    }
  return { byName, ok };
}

/** Whether `n` is within a parameter's range; reports E0205 when not. */
function inRange(ctx: Context, p: ParamSpec, fn: string, n: number, span: Span): boolean {
  const lowOk = p.min === undefined || (p.exclusiveMin ? n > p.min : n >= p.min);
  const highOk = p.max === undefined || (p.exclusiveMax ? n < p.max : n <= p.max);
  if (lowOk && highOk) return true;
  const lo = p.min === undefined ? "" : p.exclusiveMin ? phrase("greaterThan", { min: p.min }) : phrase("atLeast", { min: p.min });
  const hi = p.max === undefined ? "" : p.exclusiveMax ? phrase("lessThan", { max: p.max }) : phrase("atMost", { max: p.max });
  ctx.report("E0205", span, { what: phrase("argumentOf", { name: p.name, fn }), expected: [lo, hi].filter(Boolean).join(" and "), found: n });
  return false;
}

/** A constant argument of the parameter's kind and range, or undefined after reporting why not. */
function validate(ctx: Context, p: ParamSpec, fn: string, v: Const, arg: Arg): Const | undefined {
  const kind = p.kind as keyof typeof KIND_EXPECTED;
  const bad = (help?: string) => {
    ctx.report("E0204", arg.value.span, { what: phrase("argument", { name: p.name }), fn, expected: KIND_EXPECTED[kind], found: JSON.stringify(v) }, help ? { help } : {});
    return undefined;
  };
  switch (kind) {
    case "int":
      if (typeof v !== "number" || !Number.isInteger(v)) return bad();
      return inRange(ctx, p, fn, v, arg.value.span) ? v : undefined;
    case "number":
      if (typeof v !== "number") return bad();
      return inRange(ctx, p, fn, v, arg.value.span) ? v : undefined;
    case "bool":
      return typeof v === "boolean" ? v : bad(v === 0 || v === 1 ? phrase("writeBool", { name: p.name, value: String(v === 1) }) : undefined);
    case "string":
      if (typeof v !== "string") return bad();
      if (p.choices && !p.choices.includes(v)) {
        ctx.report("E0205", arg.value.span, { what: phrase("argumentOf", { name: p.name, fn }), expected: phrase("oneOf", { choices: p.choices.map((c) => `"${c}"`).join(", ") }), found: `"${v}"` });
        return undefined;
      }
      return v;
    case "numbers":
      if (typeof v === "number") return [v];
      return Array.isArray(v) && v.every((x) => typeof x === "number") ? v : bad();
    case "shape": {
      const s = typeof v === "number" ? [v] : v;
      return Array.isArray(s) && s.every((x) => typeof x === "number" && Number.isInteger(x) && x > 0) ? s : bad();
    }
  }
}

export interface ConstArgs {
  /** Constant arguments by parameter name, defaults filled in. */
  values: Args;
  /** The written expressions of the other parameters (taps, expressions, names), by parameter name. */
  refs: Record<string, Expr[]>;
  /** The written arguments, by parameter name (to point at one). */
  byName: Map<string, Arg[]>;
  ok: boolean;
}

/** Match `args` to `params` and evaluate the constant ones, reporting every problem. */
export function constArgs(ctx: Context, fn: string, params: readonly ParamSpec[], args: readonly Arg[], callSpan: Span, env: ConstEnv = ctx.env): ConstArgs {
  const matched = matchArgs(ctx, fn, params, args, callSpan);
  let ok = matched.ok;
  const values: Args = {};
  const refs: Record<string, Expr[]> = {};
  for (const p of params) {
    const given = matched.byName.get(p.name);
    if (!CONSTANT_KINDS.has(p.kind)) {
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
        const v = validate(ctx, p, fn, evalConst(arg.value, env, () => phrase("argumentOf", { name: p.name, fn })), arg);
        if (v === undefined) ok = false;
        else evaluated.push(v);
      } catch (e) {
        ctx.fail(e);
        ok = false;
      }
    }
    if (evaluated.length) values[p.name] = p.variadic ? evaluated : evaluated[0]!;
  }
  return { values, refs, byName: matched.byName, ok };
}

/** The span of the argument a problem names (by position among `written`, or by parameter name). */
export function argSpan(at: number | string | undefined, written: readonly Expr[], byName: Map<string, Arg[]>, whole: Span): Span {
  if (typeof at === "number") return written[at]?.span ?? whole;
  if (typeof at === "string") return byName.get(at)?.[0]?.value.span ?? whole;
  return whole;
}

