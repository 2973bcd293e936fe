// Emitting loss expressions as TensorFlow.js code. Within one function, a subexpression
// used twice (G(z) in both the adversarial and the penalty term) is computed once: network
// calls and named lets become `const`s, keyed by the expression's structure.
import type { IrExpr, IrSpec, IrValue } from "../ir/types.js";
import { CodegenError } from "./errors.js";
import { js, lineOf, type SpecLines } from "./names.js";

/** The structural key of an expression (spans and types ignored; lets expanded). */
export function keyOf(e: IrExpr, values: ReadonlyMap<string, IrValue>): string {
  switch (e.k) {
    case "const":
      return `${e.value}`;
    case "param":
    case "state":
    case "data":
    case "latent":
      return `${e.k}:${e.name}`;
    case "value":
      return keyOf(values.get(e.name)!.expr, values);
    case "call":
      return `${callKey(e, values)}${e.output ? `.${e.output}` : ""}`;
    case "member":
      return `${keyOf(e.object, values)}.${e.name}`;
    case "builtin":
      return `${e.fn}(${e.args.map((a) => keyOf(a, values)).join(",")};${JSON.stringify(e.options)})`;
    case "binary":
      return `(${keyOf(e.left, values)}${e.op}${keyOf(e.right, values)})`;
    case "neg":
      return `-(${keyOf(e.operand, values)})`;
  }
}

/** The key of a network call's whole result (all outputs), computed once and shared. */
function callKey(e: Extract<IrExpr, { k: "call" }>, values: ReadonlyMap<string, IrValue>): string {
  return `${e.network}(${e.args.map((a) => keyOf(a, values)).join(",")})`;
}

interface Code {
  code: string;
  /** A plain JavaScript number (constants and params), not a tensor. */
  num: boolean;
}

const ELEMENTWISE: Record<string, string> = {
  log: "tf.log",
  exp: "rt.ops.exp",
  abs: "tf.abs",
  sqrt: "tf.sqrt",
  square: "tf.square",
  relu: "rt.ops.relu",
  softplus: "rt.ops.softplus",
  sigmoid: "rt.ops.sigmoid",
  tanh: "rt.ops.tanh",
  stop_gradient: "rt.nn.stopGradient",
  mean: "tf.mean",
  sum: "tf.sum",
  norm: "rt.ops.perExampleNorm",
};

const LOSSES: Record<string, string> = {
  bce_logits: "rt.losses.bceLogits",
  mse: "rt.losses.mse",
  l1: "rt.losses.l1",
  cross_entropy: "rt.losses.crossEntropy",
  kl_normal: "rt.losses.klNormal",
  pulling_away: "rt.losses.pullingAway",
};

const BINARY: Record<string, string> = { "+": "tf.add", "-": "tf.sub", "*": "tf.mul", "/": "tf.div", "^": "tf.pow" };

/** Emits the statements of one function body; `emit` returns the JavaScript for an expression. */
export class ExprEmitter {
  readonly statements: string[] = [];
  private readonly cache = new Map<string, string>();
  private readonly taken = new Set<string>();
  /** Names of the scalar lets and losses computed, to report them (monitors, state updates, logs). */
  readonly computed: string[] = [];
  /** Read lets and losses from the `values` the steps computed instead of computing them. */
  fromValues = false;
  /** Whether the emitted code reads `step` (the iteration number). */
  usesStep = false;

  constructor(
    readonly ir: IrSpec,
    readonly values: ReadonlyMap<string, IrValue>,
    readonly lines: SpecLines,
    /** JavaScript for data, latents, params, states, and `iteration`. */
    readonly leaf: (e: Extract<IrExpr, { k: "data" | "latent" | "param" | "state" }> | { k: "iteration" }) => Code,
    /** Names already bound in the function (its parameters). */
    reserved: Iterable<string>,
    /** History pools by call site, for `history(...)`. */
    readonly pool: (e: IrExpr) => string,
  ) {
    for (const r of reserved) this.taken.add(r);
  }

  /** Bind an expression (by structure) to an existing name: the parameter of a gradient closure. */
  bind(e: IrExpr, name: string): void {
    this.cache.set(keyOf(e, this.values), name);
    this.taken.add(name);
  }

  private fresh(base: string): string {
    let name = js(base.replace(/[^A-Za-z0-9_]/g, "_").replace(/_+/g, "_").replace(/^_|_$/g, "") || "t");
    if (/^[0-9]/.test(name)) name = `v${name}`;
    let n = name;
    for (let i = 2; this.taken.has(n); i++) n = `${name}_${i}`;
    this.taken.add(n);
    return n;
  }

  private hoist(key: string, base: string, code: string, comment?: string): string {
    const name = this.fresh(base);
    this.cache.set(key, name);
    this.statements.push(`const ${name} = ${code};${comment ? ` // ${comment}` : ""}`);
    return name;
  }

  /** A short readable name for a value: `g_z` for G(z), `d_fake` for D(fake). */
  private nameFor(e: IrExpr): string {
    switch (e.k) {
      case "data":
      case "latent":
      case "value":
      case "param":
      case "state":
        return e.name;
      case "call":
        return [e.network.toLowerCase(), ...e.args.map((a) => this.cache.get(keyOf(a, this.values)) ?? this.nameFor(a))].join("_");
      case "member":
        return `${this.nameFor(e.object)}_${e.name}`;
      case "builtin":
        return e.fn;
      default:
        return "t";
    }
  }

  tensor(c: Code): string {
    return c.num ? `tf.scalar(${c.code})` : c.code;
  }

  emit(e: IrExpr): Code {
    const key = keyOf(e, this.values);
    const cached = this.cache.get(key);
    if (cached) return { code: cached, num: false };
    switch (e.k) {
      case "const":
        return { code: e.value < 0 ? `(${e.value})` : `${e.value}`, num: true };
      case "param":
      case "state":
      case "data":
      case "latent":
        return this.leaf(e);
      case "value": {
        if (this.fromValues) return { code: `values.${e.name}`, num: false };
        const v = this.values.get(e.name)!;
        const inner = this.emit(v.expr);
        if (inner.num) return inner;
        const at = lineOf(this.lines, v.span);
        const name = this.hoist(key, e.name, inner.code, `${at.where}`);
        if (v.type.kind === "scalar") this.computed.push(e.name);
        return { code: name, num: false };
      }
      case "call": {
        const args = e.args.map((a) => this.tensor(this.emit(a)));
        const objKey = `outputs:${callKey(e, this.values)}`;
        const obj = this.cache.get(objKey) ?? this.hoist(objKey, this.nameFor(e), `m.nets.${e.network}(${args.join(", ")})`);
        return { code: e.output ? `${obj}.${e.output}` : obj, num: false };
      }
      case "member":
        return { code: `${this.emit(e.object).code}.${e.name}`, num: false };
      case "neg": {
        const v = this.emit(e.operand);
        return v.num ? { code: `-${v.code}`, num: true } : { code: `tf.neg(${v.code})`, num: false };
      }
      case "binary": {
        const l = this.emit(e.left);
        const r = this.emit(e.right);
        if (l.num && r.num) return { code: `(${l.code} ${e.op === "^" ? "**" : e.op} ${r.code})`, num: true };
        return { code: `${BINARY[e.op]}(${l.code}, ${r.code})`, num: false };
      }
      case "builtin":
        return this.builtin(e, key);
    }
  }

  private builtin(e: Extract<IrExpr, { k: "builtin" }>, key: string): Code {
    if (e.fn === "iteration") {
      this.usesStep = true;
      return this.leaf({ k: "iteration" });
    }
    if (e.fn === "grad") return { code: this.grad(e, key), num: false };
    const args = e.args.map((a) => this.emit(a));
    const t = (i: number) => this.tensor(args[i]!);
    if (e.fn === "cast") return args[0]!;
    if (e.fn in ELEMENTWISE) return { code: `${ELEMENTWISE[e.fn]}(${t(0)})`, num: false };
    if (e.fn in LOSSES) {
      const extra = e.fn === "bce_logits" && e.options.smoothing ? `, ${e.options.smoothing}` : "";
      const rest = args.slice(1).map((a) => a.code);
      return { code: `${LOSSES[e.fn]}(${[t(0), ...rest].join(", ")}${extra})`, num: false };
    }
    switch (e.fn) {
      case "min":
      case "max":
        return { code: `tf.${e.fn === "min" ? "minimum" : "maximum"}(${args[0]!.code}, ${args[1]!.code})`, num: false };
      case "clip":
        if (args[1]!.num && args[2]!.num) return { code: `tf.clipByValue(${t(0)}, ${args[1]!.code}, ${args[2]!.code})`, num: false };
        return { code: `tf.minimum(tf.maximum(${t(0)}, ${args[1]!.code}), ${args[2]!.code})`, num: false };
      case "history":
        this.usesStep = true;
        return { code: this.hoist(key, `pooled_${this.nameFor(e.args[0]!)}`, `${this.pool(e)}.query(${t(0)}, m.seed, step)`), num: false };
      case "one_hot":
        return { code: `tf.oneHot(tf.cast(${t(0)}, "int32") as tf.Tensor1D, ${(e.type.kind === "tensor" && e.type.shape[0]) || 0}).toFloat()`, num: false };
      case "concat":
        return { code: `tf.concat([${args.map((_, i) => t(i)).join(", ")}], -1)`, num: false };
    }
    throw new CodegenError(`\`${e.fn}\` is not supported by the code generator`, e.span);
  }

  /** `grad(y, x)`: a closure recomputing y from x, differentiated at x's value. */
  private grad(e: Extract<IrExpr, { k: "builtin" }>, key: string): string {
    const [y, x] = e.args as [IrExpr, IrExpr];
    const point = this.tensor(this.emit(x));
    const param = this.fresh(`${this.nameFor(x)}_in`);
    const inner = new ExprEmitter(this.ir, this.values, this.lines, this.leaf, [...this.taken], this.pool);
    inner.bind(x, param);
    const result = inner.tensor(inner.emit(y));
    this.usesStep ||= inner.usesStep;
    const body = inner.statements.length ? `{\n${inner.statements.join("\n")}\nreturn ${result};\n}` : result;
    return this.hoist(key, `grad_${this.nameFor(x)}`, `rt.ops.inputGradient((${param}: tf.Tensor) => ${body}, ${point})`);
  }
}
