// The builtin functions of loss expressions: their arguments and result types.
// A new loss needs no compiler change: it is written from these primitives in a spec.
import type { Code } from "../diagnostics/index.js";
import type { Const, IrExpr, IrType } from "../ir/types.js";
import type { ParamSpec } from "./signature.js";
import { broadcastShapes, SCALAR, sameShape, showType, tensor } from "./types.js";

export type BuiltinResult = IrType | { error: string; code?: Code; help?: string };

export interface BuiltinDef {
  params: readonly ParamSpec[];
  /** `args`: the checked expression arguments in order (variadic ones flattened). */
  type(args: IrExpr[], options: Record<string, Const>): BuiltinResult;
}

const x: ParamSpec = { name: "x", kind: "expr" };
const a: ParamSpec = { name: "a", kind: "expr" };
const b: ParamSpec = { name: "b", kind: "expr" };

/** The result of combining two values elementwise: broadcast shapes, domains must agree. */
export function combine(l: IrType, r: IrType, what: string): BuiltinResult {
  for (const t of [l, r]) {
    if (t.kind === "label") return { code: "E0204", error: `${what} needs numbers, but one side is a class label (${showType(t)})`, help: "turn labels into vectors with `one_hot(c)`" };
    if (t.kind === "outputs") return outputsError(t);
  }
  if (l.kind === "scalar") return r;
  if (r.kind === "scalar") return l;
  if (l.kind !== "tensor" || r.kind !== "tensor") return SCALAR;
  if (l.domain && r.domain && l.domain !== r.domain)
    return { code: "E0402", error: `${what} combines a value of domain ${l.domain} with a value of domain ${r.domain}`, help: `values of different domains cannot be compared or mixed; check which network's output belongs on each side` };
  const shape = broadcastShapes(l.shape, r.shape);
  if (!shape) return { code: "E0303", error: `${what} cannot combine ${showType(l)} with ${showType(r)}: the shapes do not broadcast` };
  return tensor(shape, l.domain ?? r.domain);
}

export function outputsError(t: Extract<IrType, { kind: "outputs" }>) {
  const names = Object.keys(t.outputs);
  return { code: "E0306" as const, error: `network \`${t.network}\` has several outputs; pick one`, help: `write \`.${names[0]}\`${names.length > 1 ? ` or \`.${names[1]}\`` : ""}` };
}

function numeric(t: IrType, fn: string): BuiltinResult {
  if (t.kind === "label") return { code: "E0204", error: `\`${fn}\` needs numbers, found ${showType(t)}`, help: "use `one_hot(c)` for a vector" };
  if (t.kind === "outputs") return outputsError(t);
  return t;
}

function elementwise(): BuiltinDef {
  return { params: [x], type: ([v], _o) => numeric(v!.type, "this function") };
}

function reduction(fn: string): BuiltinDef {
  return {
    params: [x],
    type([v]) {
      const t = numeric(v!.type, fn);
      return "error" in t ? t : SCALAR;
    },
  };
}

/** A mean loss comparing two values: scalar result, shapes broadcast, domains agree. */
function comparison(fn: string): BuiltinDef {
  return {
    params: [a, b],
    type([l, r]) {
      const t = combine(l!.type, r!.type, `\`${fn}\``);
      return "error" in t ? t : SCALAR;
    },
  };
}

export const BUILTINS: Record<string, BuiltinDef> = {
  log: elementwise(),
  exp: elementwise(),
  abs: elementwise(),
  sqrt: elementwise(),
  square: elementwise(),
  relu: elementwise(),
  softplus: elementwise(),
  sigmoid: elementwise(),
  tanh: elementwise(),
  stop_gradient: elementwise(),
  min: { params: [a, b], type: ([l, r]) => combine(l!.type, r!.type, "`min`") },
  max: { params: [a, b], type: ([l, r]) => combine(l!.type, r!.type, "`max`") },
  clip: {
    params: [x, { name: "low", kind: "expr" }, { name: "high", kind: "expr" }],
    type([v, lo, hi]) {
      for (const bound of [lo!, hi!]) if (bound.type.kind !== "scalar") return { code: "E0204", error: `the bounds of \`clip\` must be scalars, found ${showType(bound.type)}` };
      return numeric(v!.type, "clip");
    },
  },
  mean: reduction("mean"),
  sum: reduction("sum"),
  norm: {
    params: [x],
    type([v]) {
      if (v!.type.kind !== "tensor") return { code: "E0204", error: `\`norm\` takes a per-sample tensor, found ${showType(v!.type)}` };
      return tensor([]);
    },
  },
  bce_logits: {
    params: [{ name: "logits", kind: "expr" }, { name: "target", kind: "expr" }, { name: "smoothing", kind: "number", default: 0, min: 0, max: 1, exclusiveMax: true }],
    type([l, t]) {
      const c = combine(l!.type, t!.type, "`bce_logits`");
      return "error" in c ? c : SCALAR;
    },
  },
  mse: comparison("mse"),
  l1: comparison("l1"),
  cross_entropy: {
    params: [{ name: "logits", kind: "expr" }, { name: "labels", kind: "expr" }],
    type([l, y]) {
      const lt = l!.type;
      if (lt.kind !== "tensor" || lt.shape.length !== 1) return { code: "E0204", error: `the logits of \`cross_entropy\` must be a vector [classes], found ${showType(lt)}` };
      const n = lt.shape[0]!;
      const yt = y!.type;
      if (yt.kind === "label") {
        if (yt.classes !== n)
          return { code: "E0307", error: `\`cross_entropy\` compares ${n} logits with labels of ${yt.classes} classes`, help: `the class head must have ${yt.classes} units` };
        return SCALAR;
      }
      if (yt.kind === "tensor" && sameShape(yt.shape, lt.shape)) return SCALAR;
      return { code: "E0204", error: `the labels of \`cross_entropy\` must be label(${n}) or a [${n}] distribution, found ${showType(yt)}` };
    },
  },
  kl_normal: {
    params: [{ name: "mu", kind: "expr" }, { name: "logvar", kind: "expr" }],
    type([m, v]) {
      if (m!.type.kind !== "tensor" || v!.type.kind !== "tensor" || !sameShape(m!.type.shape, v!.type.shape))
        return { code: "E0303", error: `\`kl_normal\` needs mu and logvar of the same shape, found ${showType(m!.type)} and ${showType(v!.type)}` };
      return SCALAR;
    },
  },
  pulling_away: {
    params: [{ name: "s", kind: "expr" }],
    type([s]) {
      if (s!.type.kind !== "tensor" || s!.type.shape.length === 0) return { code: "E0204", error: `\`pulling_away\` takes a batch of vectors, found ${showType(s!.type)}` };
      return SCALAR;
    },
  },
  history: {
    params: [x, { name: "size", kind: "int", default: 50, min: 1 }, { name: "p", kind: "number", default: 0.5, min: 0, max: 1 }],
    type([v]) {
      if (v!.type.kind !== "tensor") return { code: "E0204", error: `\`history\` keeps a pool of per-sample tensors, found ${showType(v!.type)}` };
      return v!.type;
    },
  },
  one_hot: {
    params: [{ name: "c", kind: "expr" }],
    type([c]) {
      if (c!.type.kind !== "label") return { code: "E0204", error: `\`one_hot\` takes a class label, found ${showType(c!.type)}` };
      return tensor([c!.type.classes]);
    },
  },
  concat: {
    params: [{ name: "values", kind: "expr", variadic: true }],
    type(vs) {
      if (vs.length < 2) return { code: "E0202", error: "`concat` joins at least two values" };
      let rest: number[] | undefined;
      let last = 0;
      for (const v of vs) {
        if (v.type.kind !== "tensor" || v.type.shape.length === 0)
          return { code: "E0204", error: `\`concat\` joins tensors, found ${showType(v.type)}`, ...(v.type.kind === "label" ? { help: "use `one_hot(c)`" } : {}) };
        const head = v.type.shape.slice(0, -1);
        if (rest && !sameShape(rest, head)) return { code: "E0303", error: `\`concat\` joins on the last axis; the other axes must agree, found ${showType(vs[0]!.type)} and ${showType(v.type)}` };
        rest = head;
        last += v.type.shape[v.type.shape.length - 1]!;
      }
      return tensor([...rest!, last]);
    },
  },
};

export const BUILTIN_NAMES = [...Object.keys(BUILTINS), "grad", "cast"];
