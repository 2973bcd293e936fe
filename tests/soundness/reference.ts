// An independent reference evaluator of IR expressions: plain JavaScript on float64 arrays,
// written from the language's rules (a per-sample value of type T holds one T per sample, types
// broadcast NumPy-style with the batch axis apart, a scalar is one number for the batch), not
// from the code generator. Networks are stand-ins given as functions; `grad` is a central
// finite difference. It covers the expressions random-spec.ts writes.
import type { IrExpr, IrSpec } from "../../src/ir/types.js";
import { broadcast } from "./random-spec.js";

/** A scalar, or one flat array per sample with its type shape. */
export type RefValue = { s: number } | { shape: number[]; samples: Float64Array[] };

export interface RefInputs {
  /** Each data or latent name's value. */
  batch: Record<string, RefValue>;
  /** Network stand-ins: the value of `name(args)`. */
  nets: Record<string, (args: RefValue[]) => RefValue>;
  /** State variables' values. */
  states: Record<string, number>;
}

const size = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);

function perSample(v: RefValue, n: number): { shape: number[]; samples: Float64Array[] } {
  return "s" in v
    ? {
        shape: [],
        samples: Array.from({ length: n }, () => Float64Array.of(v.s)),
      }
    : v;
}

/** Elementwise `f` of two values, broadcast as the checker types them. */
function zip(a: RefValue, b: RefValue, f: (p: number, q: number) => number, n: number): RefValue {
  if ("s" in a && "s" in b) return { s: f(a.s, b.s) };
  const pa = perSample(a, n);
  const pb = perSample(b, n);
  const shape = broadcast(pa.shape, pb.shape) as number[] | undefined;
  if (!shape) throw new Error(`reference: [${pa.shape}] and [${pb.shape}] do not broadcast`);
  // for each element of the result, the element of each operand it reads (right-aligned, size-1 axes repeat)
  const total = size(shape);
  const from = (own: readonly number[]): Int32Array => {
    const idx = new Int32Array(total);
    for (let k = 0; k < total; k++) {
      let rest = k;
      let at = 0;
      let stride = 1;
      for (let i = shape.length - 1, j = own.length - 1; i >= 0; i--, j--) {
        const c = rest % shape[i]!;
        rest = Math.floor(rest / shape[i]!);
        if (j >= 0) {
          at += (own[j] === 1 ? 0 : c) * stride;
          stride *= own[j]!;
        }
      }
      idx[k] = at;
    }
    return idx;
  };
  const ia = from(pa.shape);
  const ib = from(pb.shape);
  const samples = pa.samples.map((sa, i) => {
    const sb = pb.samples[i]!;
    const out = new Float64Array(total);
    for (let k = 0; k < total; k++) out[k] = f(sa[ia[k]!]!, sb[ib[k]!]!);
    return out;
  });
  return { shape, samples };
}

function map(v: RefValue, f: (p: number) => number): RefValue {
  return "s" in v ? { s: f(v.s) } : { shape: v.shape, samples: v.samples.map((s) => s.map(f)) };
}

/** The sum and count of every number of a value (a scalar counts once). */
function total(v: RefValue): { sum: number; count: number } {
  if ("s" in v) return { sum: v.s, count: 1 };
  let sum = 0;
  for (const s of v.samples) for (const x of s) sum += x;
  return { sum, count: v.samples.length * size(v.shape) };
}

const mean = (v: RefValue) => {
  const t = total(v);
  return t.sum / t.count;
};
const softplus = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

const UNARY: Record<string, (x: number) => number> = {
  abs: Math.abs,
  square: (x) => x * x,
  tanh: Math.tanh,
  sigmoid,
  softplus,
  relu: (x) => Math.max(x, 0),
  log: Math.log,
  sqrt: Math.sqrt,
  exp: Math.exp,
};

const BINARY: Record<string, (p: number, q: number) => number> = {
  "+": (p, q) => p + q,
  "-": (p, q) => p - q,
  "*": (p, q) => p * q,
  "/": (p, q) => p / q,
  "^": (p, q) => p ** q,
  min: Math.min,
  max: Math.max,
};

export class Reference {
  private readonly memo = new Map<string, RefValue>();

  constructor(
    private readonly ir: IrSpec,
    private readonly inputs: RefInputs,
    /** Values standing in for a let or data name (for `grad`'s finite differences). */
    private readonly overrides: ReadonlyMap<string, RefValue> = new Map(),
  ) {}

  private get n(): number {
    const v = Object.values(this.inputs.batch).find((b) => !("s" in b));
    return v && !("s" in v) ? v.samples.length : 1;
  }

  /** A named let, loss or monitor. */
  value(name: string): RefValue {
    const o = this.overrides.get(name);
    if (o) return o;
    let v = this.memo.get(name);
    if (!v) {
      const decl = this.ir.values.find((x) => x.name === name);
      if (!decl) throw new Error(`reference: no value ${name}`);
      v = this.eval(decl.expr);
      this.memo.set(name, v);
    }
    return v;
  }

  eval(e: IrExpr): RefValue {
    switch (e.k) {
      case "const":
        return { s: e.value };
      case "param":
        return {
          s: this.ir.params.find((p) => p.name === e.name)!.value as number,
        };
      case "state":
        return { s: this.inputs.states[e.name]! };
      case "data":
      case "latent":
        return this.overrides.get(e.name) ?? this.inputs.batch[e.name]!;
      case "value":
        return this.value(e.name);
      case "call":
        if (e.output !== "out") throw new Error("reference: multi-output networks are not covered");
        return this.inputs.nets[e.network]!(e.args.map((a) => this.eval(a)));
      case "neg":
        return map(this.eval(e.operand), (x) => -x);
      case "binary":
        return zip(this.eval(e.left), this.eval(e.right), BINARY[e.op]!, this.n);
      case "member":
        throw new Error("reference: outputs by name are not covered");
      case "builtin":
        return this.builtin(e);
    }
  }

  private builtin(e: Extract<IrExpr, { k: "builtin" }>): RefValue {
    const arg = (i: number) => this.eval(e.args[i]!);
    const unary = UNARY[e.fn];
    if (unary) return map(arg(0), unary);
    switch (e.fn) {
      case "min":
      case "max":
        return zip(arg(0), arg(1), BINARY[e.fn]!, this.n);
      case "clip": {
        const [lo, hi] = [arg(1), arg(2)] as { s: number }[];
        return map(arg(0), (x) => Math.min(Math.max(x, lo!.s), hi!.s));
      }
      case "mean":
        return { s: mean(arg(0)) };
      case "sum":
        return { s: total(arg(0)).sum };
      case "norm": {
        const v = arg(0);
        if ("s" in v) throw new Error("reference: norm of a scalar");
        return {
          shape: [],
          samples: v.samples.map((s) => Float64Array.of(Math.sqrt(s.reduce((a, x) => a + x * x, 0) + 1e-12))),
        };
      }
      case "mse":
        return { s: mean(zip(arg(0), arg(1), (p, q) => (p - q) ** 2, this.n)) };
      case "l1":
        return {
          s: mean(zip(arg(0), arg(1), (p, q) => Math.abs(p - q), this.n)),
        };
      case "bce_logits": {
        const s = (e.options.smoothing as number | undefined) ?? 0;
        return {
          s: mean(zip(arg(0), arg(1), (l, t) => softplus(l) - l * (t * (1 - s) + s / 2), this.n)),
        };
      }
      case "grad":
        return this.grad(e.args[0]!, e.args[1]!);
      default:
        throw new Error(`reference: \`${e.fn}\` is not covered`);
    }
  }

  /** d sum(y) / d x, each element by a central difference of the whole evaluation. */
  private grad(y: IrExpr, x: IrExpr): RefValue {
    if (x.k !== "value" && x.k !== "data" && x.k !== "latent")
      throw new Error("reference: grad with respect to an expression");
    const at = this.eval(x);
    if ("s" in at) throw new Error("reference: grad with respect to a scalar");
    const h = 1e-5;
    const sumAt = (samples: Float64Array[]) => {
      const moved = new Map(this.overrides);
      moved.set(x.name, { shape: at.shape, samples });
      return total(new Reference(this.ir, this.inputs, moved).eval(y)).sum;
    };
    const samples = at.samples.map((s, i) =>
      s.map((_, j) => {
        const bump = (d: number) => at.samples.map((t, k) => (k === i ? t.map((v, m) => (m === j ? v + d : v)) : t));
        return (sumAt(bump(h)) - sumAt(bump(-h))) / (2 * h);
      }),
    );
    return { shape: at.shape, samples };
  }
}
