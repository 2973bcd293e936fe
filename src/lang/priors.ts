// Latent priors: what a `latent` declaration draws, every step, from (seed, step, stream).
import { phrase } from "../diagnostics/messages.js";
import type { IrLatent, IrType } from "../ir/types.js";
import type { PriorEntry } from "./entry.js";
import { problem, wrongArgument } from "./problem.js";
import type { ParamSpec } from "./signature.js";
import { tensor } from "./types.js";

const size: ParamSpec = { name: "size", kind: "shape" };

export const PRIORS: Record<IrLatent["prior"], PriorEntry> = {
  normal: {
    doc: "standard normal values of shape `size`; with `truncation` t > 0, redrawn until within ±t",
    params: [size, { name: "truncation", kind: "number", default: 0, min: 0 }],
    type: (a) => tensor(a.size as number[]),
    emit: {
      names: ["rt.rng.normal", "rt.rng.truncatedNormal"],
      draw: ({ latent, shape, stream }) => ((latent.args.truncation as number) > 0 ? `rt.rng.truncatedNormal(${shape}, ${stream}, ${latent.args.truncation})` : `rt.rng.normal(${shape}, ${stream})`),
    },
  },
  uniform: {
    doc: "uniform values in [`low`, `high`) of shape `size`",
    params: [size, { name: "low", kind: "number", default: -1 }, { name: "high", kind: "number", default: 1 }],
    type(a) {
      if ((a.low as number) >= (a.high as number)) return problem("E0205", { what: phrase("argumentOf", { name: "low", fn: "uniform" }), expected: phrase("lowBelowHigh", { high: a.high as number }), found: a.low as number }, { at: "low" });
      return tensor(a.size as number[]);
    },
    emit: { names: ["rt.rng.uniform"], draw: ({ latent, shape, stream }) => `rt.rng.uniform(${shape}, ${stream}, ${latent.args.low}, ${latent.args.high})` },
  },
  categorical: {
    doc: "a class drawn uniformly from `classes`: a `label(classes)` value",
    params: [{ name: "classes", kind: "int", min: 2 }],
    type: (a) => ({ kind: "label", classes: a.classes as number }),
    emit: { names: ["rt.rng.categorical"], draw: ({ latent, stream }) => `rt.rng.categorical(${latent.args.classes}, n, ${stream})` },
  },
  concat: {
    doc: "other latents joined into one vector, categoricals as one-hot (InfoGAN's `concat(z, c, u)`)",
    params: [{ name: "latents", kind: "latent", variadic: true }],
    type(_a, parts) {
      if (parts.length < 2) return problem("E0202", { fn: "concat", expected: phrase("atLeastValues", { n: 2 }), found: parts.length });
      let n = 0;
      for (const [i, t] of parts.entries()) {
        if (t.kind === "label") n += t.classes;
        else if (t.kind === "tensor" && t.shape.length === 1) n += t.shape[0]!;
        else return wrongArgument("concat", "latents", phrase("vectorLatent"), t, { at: i });
      }
      return tensor([n]);
    },
    emit: {
      names: ["tf.concat", "tf.oneHot"],
      draw: ({ parts }) => `tf.concat([${parts.map((p) => (p.type.kind === "label" ? `tf.oneHot(d.${p.name} as tf.Tensor1D, ${p.type.classes}).toFloat()` : `d.${p.name}!`)).join(", ")}], -1)`,
    },
  },
};

export type { IrType };
