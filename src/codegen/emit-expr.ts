// Emitting loss expressions as TensorFlow.js code. Within one function, a subexpression
// used twice (G(z) in both the adversarial and the penalty term) is computed once: network
// calls and named lets become `const`s, keyed by the expression's structure. Builtins and
// operators are written by their catalog entries' emitters.
//
// A value of type T is [batch, ...T] at run time (a scalar has no batch axis). Where two
// per-sample values of different ranks meet elementwise, the lower-rank one gets size-1 axes
// after the batch axis, so that their type axes align on the right as the checker broadcasts
// them (`norm(x) * D(x)`: [batch] -> [batch, 1], not an outer product with [batch, 1]).
import type { IrExpr, IrSpec, IrType, IrValue } from "../ir/types.js";
import { builtinEntry, NEGATE, OPERATORS, type BuiltinExpr, type BuiltinSite, type Emitted } from "../lang/index.js";
import { CodegenError } from "./errors.js";
import { js, lineOf, type SpecLines } from "./names.js";

/** Keys by expression node, and the id of each distinct structure, for one spec's values. */
interface KeyTable {
  memo: WeakMap<IrExpr, string>;
  ids: Map<string, string>;
}
const TABLES = new WeakMap<ReadonlyMap<string, IrValue>, KeyTable>();

/**
 * The structural key of an expression (spans and types ignored; lets expanded). Keys are
 * interned ids (`#12`), each made from its node's own fields and its children's ids, and
 * memoised per node: linear in the size of the IR, where spelling out the whole expanded
 * structure at every node would be quadratic in a long chain of terms.
 */
export function keyOf(e: IrExpr, values: ReadonlyMap<string, IrValue>): string {
  let table = TABLES.get(values);
  if (!table) TABLES.set(values, (table = { memo: new WeakMap(), ids: new Map() }));
  const known = table.memo.get(e);
  if (known !== undefined) return known;
  let id: string | undefined;
  if (e.k === "value") id = keyOf(values.get(e.name)!.expr, values); // a let is its expression
  else {
    const structure = shallowKey(e, values);
    id = table.ids.get(structure);
    if (id === undefined) table.ids.set(structure, (id = `#${table.ids.size}`));
  }
  table.memo.set(e, id);
  return id;
}

/** A node's own fields and its children's keys (a `value` is keyed by its let's expression). */
function shallowKey(e: Exclude<IrExpr, { k: "value" }>, values: ReadonlyMap<string, IrValue>): string {
  switch (e.k) {
    case "const":
      return `${e.value}`;
    case "param":
    case "state":
    case "data":
    case "latent":
      return `${e.k}:${e.name}`;
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
  /** The JavaScript of the schedule step's draw id, which random streams of builtins extend. */
  drawId = "id";
  /** Whether the emitted code reads the draw id. */
  usesDrawId = false;
  /** The random streams of this function (and its gradient closures), by the structural key of their call. */
  private streams = new Map<string, string>();
  /** Check the run-time shape of every named value against its type (`ganc run --check-shapes`). */
  checkShapes = false;

  constructor(
    readonly ir: IrSpec,
    readonly values: ReadonlyMap<string, IrValue>,
    readonly lines: SpecLines,
    /** JavaScript for data, latents, params and states. */
    readonly leaf: (e: Extract<IrExpr, { k: "data" | "latent" | "param" | "state" }>) => Emitted,
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

  /** With `checkShapes`, the statement checking that `code` has the run-time shape of type `t` (none without). */
  shapeCheck(code: string, t: IrType, what: string): string[] {
    if (!this.checkShapes || t.kind === "outputs") return [];
    const axes = t.kind === "tensor" ? t.shape.map((d) => `, ${d}`).join("") : "";
    const [shape, inferred] = t.kind === "scalar" ? ["[]", "a scalar"] : [`[run.batch${axes}]`, t.kind === "label" ? "[batch], a class label per sample" : `[batch${axes}]`];
    return [`rt.expectShape(${code}, ${shape}, ${JSON.stringify(what)}, ${JSON.stringify(inferred)});`];
  }

  tensor(c: Emitted): string {
    return c.num ? `tf.scalar(${c.code})` : c.code;
  }

  emit(e: IrExpr): Emitted {
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
        this.statements.push(...this.shapeCheck(name, v.type, `\`${e.name}\` (${at.where}: ${at.text})`));
        if (v.type.kind === "scalar") this.computed.push(e.name);
        return { code: name, num: false };
      }
      case "call": {
        const args = e.args.map((a) => this.tensor(this.emit(a)));
        const objKey = `outputs:${callKey(e, this.values)}`;
        let obj = this.cache.get(objKey);
        if (!obj) {
          obj = this.hoist(objKey, this.nameFor(e), `m.nets.${e.network}(${args.join(", ")})`);
          const at = lineOf(this.lines, e.span);
          const outputs = e.type.kind === "outputs" ? Object.entries(e.type.outputs) : [[e.output ?? "out", e.type] as const];
          for (const [o, t] of outputs) this.statements.push(...this.shapeCheck(`${obj}.${o}`, t, `output \`${o}\` of \`${e.network}\` (${at.where}: ${at.text})`));
        }
        return { code: e.output ? `${obj}.${e.output}` : obj, num: false };
      }
      case "member":
        // a monitor reads an output of a multi-output let as the step reported it
        if (this.fromValues && e.object.k === "value") return { code: `values[${JSON.stringify(`${e.object.name}.${e.name}`)}]`, num: false };
        return { code: `${this.emit(e.object).code}.${e.name}`, num: false };
      case "neg": {
        const v = this.emit(e.operand);
        return v.num ? { code: `-${v.code}`, num: true } : { code: `${NEGATE.tensor}(${v.code})`, num: false };
      }
      case "binary": {
        const l = this.emit(e.left);
        const r = this.emit(e.right);
        const op = OPERATORS[e.op];
        if (l.num && r.num) return { code: `(${l.code} ${op.number} ${r.code})`, num: true };
        const rank = typeRank([e.left, e.right]);
        return { code: `${op.tensor}(${aligned(l, e.left.type, rank).code}, ${aligned(r, e.right.type, rank).code})`, num: false };
      }
      case "builtin":
        return this.builtin(e, key);
    }
  }

  /** A builtin, written by its catalog entry's emitter; its arguments first, in order (unless the emitter is lazy). */
  private builtin(e: BuiltinExpr, key: string): Emitted {
    const entry = builtinEntry(e.fn);
    if (!entry) throw new CodegenError(`\`${e.fn}\` is not supported by the code generator`, e.span);
    const args: Emitted[] = [];
    const rank = entry.broadcasts ? typeRank(e.args) : 0;
    const arg = (i: number) => (args[i] ??= aligned(this.emit(e.args[i]!), e.args[i]!.type, rank));
    if (!entry.emit.lazy) e.args.forEach((_, i) => arg(i));
    const site: BuiltinSite = {
      expr: e,
      arg,
      tensor: (i) => this.tensor(arg(i)),
      hoist: (base, code) => this.hoist(key, base, code),
      nameOf: (i) => this.nameFor(e.args[i]!),
      step: () => {
        this.usesStep = true;
        return "step";
      },
      seed: () => "m.seed",
      stream: (base) => this.stream(key, base),
      pool: () => this.pool(e),
      closure: (of, wrt) => this.closure(e.args[of]!, e.args[wrt]!),
    };
    const out = entry.emit.code(site);
    return typeof out === "string" ? { code: out, num: false } : out;
  }

  /**
   * The random stream of the call with structural key `key`: the same call has the same stream
   * (inside a gradient closure too, so `grad(D(translate(x)), x)` differentiates the draw the
   * loss uses), another call one of its own, named after `base`.
   */
  private stream(key: string, base: string): string {
    this.usesDrawId = true;
    let name = this.streams.get(key);
    if (name === undefined) {
      const taken = new Set(this.streams.values());
      name = base;
      for (let i = 2; taken.has(name); i++) name = `${base}_${i}`;
      this.streams.set(key, name);
    }
    return `\`\${${this.drawId}}/${name}\``;
  }

  /** A closure recomputing `y` from a parameter standing for `x`, and x's value: what `grad(y, x)` differentiates. */
  private closure(y: IrExpr, x: IrExpr): { fn: string; point: string } {
    const point = this.tensor(this.emit(x));
    const param = this.fresh(`${this.nameFor(x)}_in`);
    const inner = new ExprEmitter(this.ir, this.values, this.lines, this.leaf, [...this.taken], this.pool);
    inner.checkShapes = this.checkShapes;
    inner.bind(x, param);
    inner.drawId = this.drawId;
    inner.streams = this.streams;
    const result = inner.tensor(inner.emit(y));
    this.usesStep ||= inner.usesStep;
    this.usesDrawId ||= inner.usesDrawId;
    const body = inner.statements.length ? `{\n${inner.statements.join("\n")}\nreturn ${result};\n}` : result;
    return { fn: `(${param}: tf.Tensor) => ${body}`, point };
  }
}

/** The largest type rank among the per-sample tensors of `es` (what elementwise operands broadcast to). */
function typeRank(es: readonly IrExpr[]): number {
  return Math.max(0, ...es.map((x) => (x.type.kind === "tensor" ? x.type.shape.length : 0)));
}

/**
 * A per-sample value of type `t` with size-1 axes inserted after the batch axis up to `rank` type
 * axes, so that its type axes align on the right (the checker's rule); unchanged at that rank.
 */
function aligned(c: Emitted, t: IrType, rank: number): Emitted {
  if (t.kind !== "tensor" || t.shape.length >= rank) return c;
  const shape = [...Array<number>(rank - t.shape.length).fill(1), ...t.shape];
  return { code: `tf.reshape(${c.code}, [-1, ${shape.join(", ")}])`, num: false };
}
