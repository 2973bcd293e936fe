// Loss primitives: each is a scalar, the mean over the batch.
import { phrase } from "../../diagnostics/messages.js";
import type { BuiltinEntry, BuiltinSite } from "../entry.js";
import { isProblem, problem, wrongArgument } from "../problem.js";
import type { ParamSpec } from "../signature.js";
import { SCALAR, sameShape, showType } from "../types.js";
import { combine } from "./combine.js";

/** `fn(first as a tensor, the rest as written, extra)` */
function call(fn: string, at: BuiltinSite, extra = ""): string {
  const rest = at.expr.args.slice(1).map((_, i) => at.arg(i + 1).code);
  return `${fn}(${[at.tensor(0), ...rest].join(", ")}${extra})`;
}

/** A mean loss comparing two values: scalar result, shapes broadcast, domains agree. */
function comparison(name: string, doc: string, fn: string, params: readonly ParamSpec[] = [{ name: "a", kind: "expr" }, { name: "b", kind: "expr" }]): BuiltinEntry {
  return {
    doc,
    params,
    broadcasts: true,
    type([l, r]) {
      const t = combine(l!.type, r!.type, `\`${name}\``);
      return isProblem(t) ? t : SCALAR;
    },
    emit: { names: [fn], code: (at) => call(fn, at) },
  };
}

export const LOSSES = {
  bce_logits: {
    ...comparison("bce_logits", "mean binary cross-entropy of sigmoid(`logits`) against `target` (a number or a tensor); `smoothing` s as TF-GAN: target t(1 − s) + s/2", "rt.losses.bceLogits", [
      { name: "logits", kind: "expr" },
      { name: "target", kind: "expr" },
      { name: "smoothing", kind: "number", default: 0, min: 0, max: 1, exclusiveMax: true },
    ]),
    emit: { names: ["rt.losses.bceLogits"], code: (at) => call("rt.losses.bceLogits", at, at.expr.options.smoothing ? `, ${at.expr.options.smoothing}` : "") },
  },
  mse: comparison("mse", "mean squared error", "rt.losses.mse"),
  l1: comparison("l1", "mean absolute error", "rt.losses.l1"),
  cross_entropy: {
    doc: "mean categorical cross-entropy of softmax(`logits`) against `labels`: a `label(n)` value or a `[n]` distribution",
    params: [
      { name: "logits", kind: "expr" },
      { name: "labels", kind: "expr" },
    ],
    type([l, y]) {
      const lt = l!.type;
      if (lt.kind !== "tensor" || lt.shape.length !== 1) return wrongArgument("cross_entropy", "logits", "a vector [classes]", lt);
      const n = lt.shape[0]!;
      const yt = y!.type;
      if (yt.kind === "label") {
        if (yt.classes !== n) return problem("E0307", { what: phrase("crossEntropyLogits", { n }), expected: n, found: yt.classes }, { help: phrase("classHeadUnits", { classes: yt.classes }) });
        return SCALAR;
      }
      if (yt.kind === "tensor" && sameShape(yt.shape, lt.shape)) return SCALAR;
      return wrongArgument("cross_entropy", "labels", `label(${n}) or a [${n}] distribution`, yt);
    },
    emit: { names: ["rt.losses.crossEntropy"], code: (at) => call("rt.losses.crossEntropy", at) },
  },
  kl_normal: {
    doc: "mean KL(N(`mu`, e^`logvar`) ‖ N(0, 1)) (a VAE's prior term)",
    params: [
      { name: "mu", kind: "expr" },
      { name: "logvar", kind: "expr" },
    ],
    type([m, v]) {
      if (m!.type.kind !== "tensor" || v!.type.kind !== "tensor" || !sameShape(m!.type.shape, v!.type.shape))
        return problem("E0303", { what: "`kl_normal`", requirement: phrase("sameShapes"), left: showType(m!.type), right: showType(v!.type) });
      return SCALAR;
    },
    emit: { names: ["rt.losses.klNormal"], code: (at) => call("rt.losses.klNormal", at) },
  },
  pulling_away: {
    doc: "EBGAN's pulling-away term on a batch of vectors `s`",
    params: [{ name: "s", kind: "expr" }],
    type([s]) {
      if (s!.type.kind !== "tensor" || s!.type.shape.length === 0) return wrongArgument("pulling_away", "s", "a batch of vectors", s!.type);
      return SCALAR;
    },
    emit: { names: ["rt.losses.pullingAway"], code: (at) => call("rt.losses.pullingAway", at) },
  },
} satisfies Record<string, BuiltinEntry>;
