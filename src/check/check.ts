// The checker: from a spec file (and the specs it extends) to the IR, or diagnostics.
// Every error in the file is reported; a file that does not parse is not checked further.
import * as fs from "node:fs";
import * as path from "node:path";
import { diag, didYouMean, hasErrors, sortDiagnostics, type Diagnostic, type SourceMap } from "../diagnostics/index.js";
import type { Span } from "../diagnostics/span.js";
import type { Call, Decl, Expr, SchedStmt, StepStmt } from "../syntax/ast.js";
import { children, forEachExpr } from "../ir/walk.js";
import { IR_VERSION, RUN_DEFAULTS, type Const, type IrData, type IrExpr, type IrLatent, type IrNetwork, type IrOptimizer, type IrRun, type IrSchedStmt, type IrSpec, type IrType, type IrValue } from "../ir/types.js";
import { ConstError, evalConst } from "./consts.js";
import { constArgs } from "./const-args.js";
import { Context } from "./context.js";
import { checkExpr, mentions, type ExprEnv } from "./exprs.js";
import { loadSpec, type ReadFile } from "./load.js";

export { UnreadableSpecError } from "./load.js";
import { checkNetwork } from "./networks.js";
import { DATA_SOURCES, LATENT_PRIORS, OPTIMIZERS, RUN_SETTINGS } from "./signatures.js";
import { showType, tensor } from "./types.js";
import { resolveShape, resolveType } from "./types-resolve.js";

export interface CheckOptions {
  read?: ReadFile;
  /** `--set name=value` overrides of params and run settings, as written. */
  overrides?: Record<string, string>;
}

export interface CheckResult {
  ir?: IrSpec;
  diagnostics: Diagnostic[];
  sources: SourceMap;
  files: string[];
}

// Only regular files: reading a FIFO or a device would wait forever.
const readUtf8: ReadFile = (f) => {
  if (!fs.statSync(f).isFile()) throw new Error("it is not a regular file (a folder, a FIFO or a device)");
  return fs.readFileSync(f, "utf8");
};

export function checkFile(file: string, options: CheckOptions = {}): CheckResult {
  const loaded = loadSpec(file, options.read ?? readUtf8);
  const result = { sources: loaded.sources, files: loaded.files };
  if (!loaded.parsed) return { ...result, diagnostics: sortDiagnostics(loaded.diagnostics) };
  const ctx = new Context();
  ctx.diagnostics.push(...loaded.diagnostics);
  for (const n of loaded.ambiguous) ctx.ambiguous.add(n);
  const overrides = options.overrides ?? {};
  const ir = new Checker(ctx, loaded.decls, overrides, commandLine(overrides, loaded.sources)).check(specName(file), loaded.files);
  const diagnostics = dedupe(sortDiagnostics(ctx.diagnostics));
  return { ...result, diagnostics, ...(hasErrors(diagnostics) ? {} : { ir }) };
}

/** A block used by two networks is checked twice; the same problem at the same place is said once. */
function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const key = `${d.code} ${d.span.file} ${d.span.start} ${d.span.end} ${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The file name under which `--set` overrides are quoted in diagnostics. */
export const COMMAND_LINE = "<command line>";

/**
 * `--set` overrides as a source text (`--set lamda=5 --set batch=x`), so that a diagnostic about
 * one can quote it with a caret under the name or the value.
 */
function commandLine(overrides: Record<string, string>, sources: SourceMap): Map<string, { key: Span; value: Span }> {
  const spans = new Map<string, { key: Span; value: Span }>();
  let text = "";
  for (const [k, v] of Object.entries(overrides)) {
    text += `${text ? " " : ""}--set `;
    const start = text.length;
    text += `${k}=${v}`;
    spans.set(k, { key: { file: COMMAND_LINE, start, end: start + k.length }, value: { file: COMMAND_LINE, start: start + k.length + 1, end: text.length } });
  }
  if (text) sources.add(COMMAND_LINE, text);
  return spans;
}

export function specName(file: string): string {
  return path.basename(file).replace(/\.gan$/, "");
}

type DeclOf<K extends Decl["kind"]> = Extract<Decl, { kind: K }>;

class Checker implements ExprEnv {
  private readonly networkIr = new Map<string, IrNetwork | undefined>();
  private readonly networkBusy = new Set<string>();
  private readonly valueIr = new Map<string, IrExpr | undefined>();
  private readonly valueBusy = new Set<string>();
  private readonly dataTypes = new Map<string, IrType>();
  private readonly latentTypes = new Map<string, IrType>();

  constructor(
    readonly ctx: Context,
    readonly decls: Decl[],
    readonly overrides: Record<string, string>,
    readonly overrideSpans: Map<string, { key: Span; value: Span }> = new Map(),
  ) {}

  private all<K extends Decl["kind"]>(kind: K): DeclOf<K>[] {
    return this.decls.filter((d): d is DeclOf<K> => d.kind === kind);
  }

  check(name: string, files: string[]): IrSpec {
    const { ctx } = this;
    for (const d of this.decls) this.declare(d);
    const runDecl = this.all("Run")[0];
    this.evalParams(runDecl);
    const domains = this.all("Domain").flatMap((d) => {
      ctx.used.add(d.name.name); // a domain is "used" by tagging data; checked below
      const shape = resolveShape(ctx, d.shape);
      return shape ? [{ name: d.name.name, shape, span: d.span }] : [];
    });
    for (const t of this.all("Type")) resolveType(ctx, t.type);
    for (const u of [...ctx.used]) if (ctx.names.get(u)?.kind === "type") ctx.used.delete(u);
    const data = this.all("Data").flatMap((d) => this.checkData(d));
    const latents = this.all("Latent").flatMap((d) => this.checkLatent(d));
    const networks = this.all("Network").flatMap((d) => this.network(d.name.name) ?? []);
    const values: IrValue[] = [];
    for (const role of ["Let", "Loss", "Monitor"] as const)
      for (const d of this.all(role)) {
        const expr = this.value(d.name.name, d.name.span);
        if (!expr) continue;
        if (role !== "Let" && expr.type.kind !== "scalar")
          ctx.report(
            diag("E0501", d.value.span, `${role.toLowerCase()} \`${d.name.name}\` must be a scalar, but it is ${showType(expr.type)}`, {
              label: showType(expr.type),
              help: "reduce it with `mean(...)` or `sum(...)`",
            }),
          );
        values.push({ name: d.name.name, role: role.toLowerCase() as IrValue["role"], expr, type: expr.type, span: d.span });
      }
    const order = new Map(this.decls.map((d, i) => [d.span, i]));
    values.sort((a, b) => order.get(a.span)! - order.get(b.span)!);
    const schedule = this.checkSchedule();
    const optimizers = this.all("Optimizer").flatMap((d) => this.checkOptimizer(d));
    this.checkStepsHaveOptimizers();
    const computed = this.computedBy(schedule);
    for (const m of values.filter((v) => v.role === "monitor")) this.requireComputed(m.expr, computed);
    const run = this.checkRun(runDecl);
    this.reportUnused(files[files.length - 1]);
    const states = this.all("State").flatMap((s) => {
      try {
        const v = evalConst(s.value, ctx.env, `the initial value of \`${s.name.name}\``);
        if (typeof v === "number") return [{ name: s.name.name, init: v, span: s.span }];
        ctx.report(diag("E0204", s.value.span, "a state variable starts from a number"));
      } catch (e) {
        if (!(e instanceof ConstError)) throw e;
        ctx.report(e.diagnostic);
      }
      return [];
    });
    return {
      irVersion: IR_VERSION,
      name,
      files,
      params: this.all("Param").map((p) => ({ name: p.name.name, value: ctx.params.get(p.name.name)!, span: p.span })),
      states,
      domains,
      data,
      latents,
      networks,
      values,
      optimizers,
      schedule,
      run,
    };
  }

  // ------------------------------------------------------------ names

  private declare(d: Decl): void {
    const { ctx } = this;
    switch (d.kind) {
      case "Param":
        return ctx.declare(d.name, { kind: "param", decl: d });
      case "State":
        return ctx.declare(d.name, { kind: "state", decl: d });
      case "Domain":
        return ctx.declare(d.name, { kind: "domain", decl: d });
      case "Type":
        return ctx.declare(d.name, { kind: "type", decl: d });
      case "Latent":
        return ctx.declare(d.name, { kind: "latent", decl: d });
      case "Network":
        return ctx.declare(d.name, { kind: "network", decl: d });
      case "Block":
        return ctx.declare(d.name, { kind: "block", decl: d });
      case "Let":
        return ctx.declare(d.name, { kind: "let", decl: d });
      case "Loss":
        return ctx.declare(d.name, { kind: "loss", decl: d });
      case "Monitor":
        return ctx.declare(d.name, { kind: "monitor", decl: d });
      case "Data":
        return d.bindings.forEach((b, index) => ctx.declare(b.name, { kind: "data", decl: d, index }));
      default:
        return;
    }
  }

  /** Params in dependency order (a param may use others), with `--set` overrides applied. */
  private evalParams(runDecl: DeclOf<"Run"> | undefined): void {
    const { ctx } = this;
    const params = this.all("Param");
    for (const [key, raw] of Object.entries(this.overrides)) {
      const isParam = params.some((p) => p.name.name === key);
      const isRun = key in RUN_DEFAULTS;
      if (!isParam && !isRun) {
        const guess = didYouMean(key, [...params.map((p) => p.name.name), ...Object.keys(RUN_DEFAULTS)]);
        const names = params.map((p) => `\`${p.name.name}\``).join(", ");
        const help = guess ? `did you mean \`${guess}\`?` : `${names ? `its params are ${names}; ` : "it has no params; "}the run settings are ${Object.keys(RUN_DEFAULTS).map((k) => `\`${k}\``).join(", ")}`;
        const at = this.overrideSpans.get(key)?.key ?? runDecl?.span ?? params[0]?.span ?? { file: COMMAND_LINE, start: 0, end: 0 };
        ctx.report(diag("E0701", at, `\`--set ${key}=${raw}\`: this spec has no param or run setting \`${key}\``, { help }));
      }
    }
    const busy = new Set<string>();
    const byName = new Map(params.map((p) => [p.name.name, p]));
    const visit = (name: string): Const | undefined => {
      if (ctx.params.has(name)) return ctx.params.get(name);
      const p = byName.get(name);
      if (!p) return undefined;
      if (name in this.overrides) {
        const v = parseOverride(this.overrides[name]!);
        ctx.params.set(name, v);
        return v;
      }
      if (busy.has(name)) {
        ctx.report(diag("E0206", p.name.span, `param \`${name}\` is defined in terms of itself`));
        return undefined;
      }
      busy.add(name);
      try {
        const explain = (n: string) => (ctx.names.get(n)?.kind === "param" ? { is: "a param whose value has an error" } : ctx.explainConst(n));
        const v = evalConst(p.value, { get: (n) => visit(n), explain }, `param \`${name}\``);
        ctx.params.set(name, v);
        return v;
      } catch (e) {
        if (!(e instanceof ConstError)) throw e;
        ctx.report(e.diagnostic);
        return undefined;
      }
    };
    for (const p of params) visit(p.name.name);
  }

  // ------------------------------------------------------------ data and latents

  private checkData(d: DeclOf<"Data">): IrData[] {
    const { ctx } = this;
    const src = DATA_SOURCES[d.source.callee.name];
    if (!src) {
      ctx.unknown(d.source.callee.name, d.source.callee.span, Object.keys(DATA_SOURCES), "data source", "E0601", true);
      return [];
    }
    const args = constArgs(d.source.callee.name, src.params, d.source.args, d.source.span, ctx.env, ctx.diagnostics);
    if (!args.ok) return [];
    const out = src.outputs(args.values);
    if ("error" in out) {
      const arg = out.arg === undefined ? undefined : d.source.args.find((a) => a.name?.name === out.arg);
      ctx.report(diag("E0601", arg?.value.span ?? d.source.span, out.error));
      return [];
    }
    if (out.length !== d.bindings.length) {
      const first = d.bindings[0]!.span;
      const last = d.bindings[d.bindings.length - 1]!.span;
      ctx.report(
        diag("E0602", { file: first.file, start: first.start, end: last.end }, `\`${d.source.callee.name}(...)\` here gives ${out.length} value${out.length === 1 ? "" : "s"}, but ${d.bindings.length} name${d.bindings.length === 1 ? " is" : "s are"} bound`, {
          help: out.length === 2 ? `write \`data (${d.bindings[0]!.name.name}, y) = ...\`` : d.source.callee.name === "mnist" ? "add `labels = true` to get (image, label) pairs" : `bind one name: \`data ${d.bindings[0]!.name.name} = ...\``,
        }),
      );
      return [];
    }
    const types = out.map((t, i) => {
      const b = d.bindings[i]!;
      if (!b.domain) return t;
      const dom = ctx.lookup(b.domain.name, b.domain.span, ["domain"]);
      if (!dom || dom.kind !== "domain") return t;
      const shape = resolveShape(ctx, dom.decl.shape);
      if (shape && (t.kind !== "tensor" || showType(tensor(shape)) !== showType(tensor(t.shape)))) {
        ctx.report(
          diag("E0303", b.domain.span, `domain ${b.domain.name} is ${showType(tensor(shape))}, but \`${d.source.callee.name}(...)\` gives ${showType(t)} for \`${b.name.name}\``, {
            label: `${b.domain.name} is ${showType(tensor(shape))}`,
            notes: [{ message: `domain ${b.domain.name} is declared here`, span: dom.decl.span }],
            help: `change the shape of domain ${b.domain.name}, or the arguments of \`${d.source.callee.name}\` (\`size\`, \`channels\`)`,
          }),
        );
        return tensor(shape, b.domain.name); // check the rest of the spec against the declared domain
      }
      return t.kind === "tensor" ? tensor(t.shape, b.domain.name) : t;
    });
    d.bindings.forEach((b, i) => this.dataTypes.set(b.name.name, types[i]!));
    return [{ names: d.bindings.map((b) => b.name.name), types, source: d.source.callee.name, args: args.values, span: d.span }];
  }

  private checkLatent(d: DeclOf<"Latent">): IrLatent[] {
    const { ctx } = this;
    const name = d.value.callee.name;
    if (name === "concat") {
      const parts: string[] = [];
      let size = 0;
      for (const a of d.value.args) {
        const p = a.value;
        if (p.kind !== "Name" || a.name) {
          ctx.report(diag("E0603", a.span, "`concat` in a latent joins other latents by name"));
          return [];
        }
        const ent = ctx.lookup(p.name, p.span, ["latent"]);
        const t = ent && this.latentTypes.get(p.name);
        if (!t) return [];
        if (t.kind === "label") size += t.classes;
        else if (t.kind === "tensor" && t.shape.length === 1) size += t.shape[0]!;
        else {
          ctx.report(diag("E0603", p.span, `only vector latents can be joined, \`${p.name}\` is ${showType(t)}`));
          return [];
        }
        parts.push(p.name);
      }
      if (parts.length < 2) {
        ctx.report(diag("E0603", d.value.span, "`concat` joins at least two latents"));
        return [];
      }
      const type = tensor([size]);
      this.latentTypes.set(d.name.name, type);
      return [{ name: d.name.name, prior: "concat", type, args: {}, parts, span: d.span }];
    }
    const prior = LATENT_PRIORS[name];
    if (!prior) {
      ctx.unknown(name, d.value.callee.span, [...Object.keys(LATENT_PRIORS), "concat"], "latent prior", "E0603", true);
      return [];
    }
    const args = constArgs(name, prior, d.value.args, d.value.span, ctx.env, ctx.diagnostics);
    if (!args.ok) return [];
    if (name === "uniform" && (args.values.low as number) >= (args.values.high as number)) {
      ctx.report(diag("E0603", d.value.span, `\`uniform\` needs low < high, found low = ${args.values.low}, high = ${args.values.high}`));
      return [];
    }
    const type: IrType = name === "categorical" ? { kind: "label", classes: args.values.classes as number } : tensor(args.values.size as number[]);
    this.latentTypes.set(d.name.name, type);
    const { size: _size, ...rest } = args.values;
    return [{ name: d.name.name, prior: name as IrLatent["prior"], type, args: rest, span: d.span }];
  }

  dataType(name: string): IrType | undefined {
    return this.dataTypes.get(name);
  }

  latentType(name: string): IrType | undefined {
    return this.latentTypes.get(name);
  }

  // ------------------------------------------------------------ networks and values

  network(name: string, span?: Span): IrNetwork | undefined {
    if (this.networkIr.has(name)) return this.networkIr.get(name);
    const ent = this.ctx.names.get(name);
    if (ent?.kind !== "network") return undefined;
    if (this.networkBusy.has(name)) {
      this.ctx.report(diag("E0104", span ?? ent.decl.name.span, `network \`${name}\` uses itself`));
      return undefined;
    }
    this.networkBusy.add(name);
    const ir = checkNetwork(this.ctx, ent.decl, (n, s) => this.network(n, s));
    this.networkBusy.delete(name);
    this.networkIr.set(name, ir);
    return ir;
  }

  value(name: string, span: Span): IrExpr | undefined {
    if (this.valueIr.has(name)) return this.valueIr.get(name);
    const ent = this.ctx.names.get(name);
    if (!ent || (ent.kind !== "let" && ent.kind !== "loss" && ent.kind !== "monitor")) return undefined;
    if (this.valueBusy.has(name)) {
      this.ctx.report(diag("E0104", span, `\`${name}\` is defined in terms of itself`, { notes: [{ message: "defined here", span: ent.decl.span }] }));
      return undefined;
    }
    this.valueBusy.add(name);
    const ir = checkExpr(this, ent.decl.value);
    this.valueBusy.delete(name);
    this.valueIr.set(name, ir);
    return ir;
  }

  /** Networks whose weights receive a gradient from `e`. */
  private reaches(e: IrExpr, seen = new Set<string>()): Set<string> {
    const out = new Set<string>();
    const addNet = (n: string) => {
      if (out.has(n)) return;
      out.add(n);
      for (const u of this.networkIr.get(n)?.uses ?? []) addNet(u);
    };
    const walk = (x: IrExpr): void => {
      if (x.k === "builtin" && (x.fn === "stop_gradient" || x.fn === "history")) return;
      if (x.k === "call") addNet(x.network);
      if (x.k === "value") {
        if (seen.has(x.name)) return;
        seen.add(x.name);
        const v = this.valueIr.get(x.name);
        if (v) walk(v);
        return;
      }
      children(x).forEach(walk);
    };
    walk(e);
    return out;
  }

  /** The lets and losses a loss computes (itself included). */
  private valuesOf(name: string, out = new Set<string>()): Set<string> {
    if (out.has(name)) return out;
    out.add(name);
    const v = this.valueIr.get(name);
    if (v) forEachExpr(v, (x) => x.k === "value" && this.valuesOf(x.name, out));
    return out;
  }

  private computedBy(stmts: IrSchedStmt[], out = new Set<string>()): Set<string> {
    for (const s of stmts) {
      if (s.k === "step") this.valuesOf(s.loss, out);
      else if (s.k === "repeat" || s.k === "together") this.computedBy(s.body, out);
    }
    return out;
  }

  /** A monitor or state update may only read values some step computes. */
  private requireComputed(e: IrExpr, computed: Set<string>): void {
    const walk = (x: IrExpr): void => {
      switch (x.k) {
        case "value":
          if (!computed.has(x.name))
            this.ctx.report(diag("E0506", x.span, `no step computes \`${x.name}\` before this point`, { help: "monitors and state updates read the values of the losses the schedule minimises; use a value one of them depends on" }));
          return;
        case "data":
        case "latent":
        case "call":
          this.ctx.report(diag("E0506", x.span, "monitors and state updates read scalars computed by the steps, not batches or network outputs", { help: "name the quantity with `let` and use it in a loss" }));
          return;
        case "builtin":
          x.args.forEach(walk);
          return;
        case "binary":
          walk(x.left);
          walk(x.right);
          return;
        case "neg":
          walk(x.operand);
          return;
        default:
          return;
      }
    };
    walk(e);
  }

  // ------------------------------------------------------------ schedule and optimisers

  private checkSchedule(): IrSchedStmt[] {
    const decl = this.all("Schedule")[0];
    if (!decl || decl.body.length === 0) {
      const at = decl?.span ?? this.decls[this.decls.length - 1]?.span ?? { file: "", start: 0, end: 0 };
      this.ctx.report(diag("E0507", at, decl ? "the schedule is empty" : "this spec has no schedule", { help: "add `schedule { step D minimize d_loss  step G minimize g_loss }`" }));
      return [];
    }
    const computed = new Set<string>();
    return this.schedBody(decl.body, computed);
  }

  private constNumber(e: Expr, what: string): number | undefined {
    try {
      const v = evalConst(e, this.ctx.env, what);
      if (typeof v === "number") return v;
      this.ctx.report(diag("E0204", e.span, `${what} must be a number`));
    } catch (err) {
      if (!(err instanceof ConstError)) throw err;
      this.ctx.report(err.diagnostic);
    }
    return undefined;
  }

  private schedBody(body: SchedStmt[], computed: Set<string>): IrSchedStmt[] {
    const { ctx } = this;
    const out: IrSchedStmt[] = [];
    for (const s of body) {
      switch (s.kind) {
        case "Step": {
          const nets = s.networks.filter((n) => ctx.lookup(n.name, n.span, ["network"]));
          const loss = ctx.lookup(s.loss.name, s.loss.span, ["loss"]);
          if (!loss) {
            const e = ctx.names.get(s.loss.name);
            if (e?.kind === "let") ctx.diagnostics[ctx.diagnostics.length - 1]!.help = `declare it with \`loss ${s.loss.name} = ...\` to minimise it`;
          }
          for (const r of s.reuse) ctx.lookup(r.name, r.span, ["data", "latent"]);
          if (nets.length !== s.networks.length || !loss) break;
          const expr = this.valueIr.get(s.loss.name);
          if (expr) {
            const reached = this.reaches(expr);
            for (const n of s.networks)
              if (!reached.has(n.name))
                ctx.report(
                  diag("E0502", n.span, `loss \`${s.loss.name}\` does not depend on the weights of \`${n.name}\`, so this step cannot change them`, {
                    notes: [{ message: `\`${s.loss.name}\` is defined here`, span: loss.decl.span }],
                    help: "the loss must call the network outside `stop_gradient` and `history`",
                  }),
                );
          }
          this.valuesOf(s.loss.name, computed);
          out.push({ k: "step", networks: s.networks.map((n) => n.name), loss: s.loss.name, reuse: s.reuse.map((r) => r.name), span: s.span });
          break;
        }
        case "Repeat": {
          const n = this.constNumber(s.count, "a repeat count");
          if (n !== undefined && (!Number.isInteger(n) || n < 1))
            ctx.report(diag("E0205", s.count.span, `\`repeat\` needs a whole number of times, at least 1; found ${n}`, n === 0 ? { help: "to skip these steps, remove them; to run them once, remove the `repeat`" } : {}));
          const inner = this.schedBody(s.body, computed);
          if (n !== undefined && Number.isInteger(n) && n >= 1) out.push({ k: "repeat", count: n, body: inner, span: s.span });
          break;
        }
        case "Together": {
          const inner = this.schedBody(s.body, computed);
          const bad = inner.find((x) => x.k !== "step");
          if (bad) ctx.report(diag("E0204", bad.span, "`together` holds only `step` statements (simultaneous updates)"));
          out.push({ k: "together", body: inner, span: s.span });
          break;
        }
        case "ClipWeights": {
          const net = ctx.lookup(s.network.name, s.network.span, ["network"]);
          const b = this.constNumber(s.bound, "a clipping bound");
          if (b !== undefined && b <= 0) ctx.report(diag("E0205", s.bound.span, `the clipping bound must be positive, found ${b}`));
          if (net && b !== undefined && b > 0) out.push({ k: "clip_weights", network: s.network.name, bound: b, span: s.span });
          break;
        }
        case "Ema": {
          const net = ctx.lookup(s.network.name, s.network.span, ["network"]);
          const d = this.constNumber(s.decay, "an EMA decay");
          if (d !== undefined && (d <= 0 || d >= 1)) ctx.report(diag("E0205", s.decay.span, `an EMA decay is between 0 and 1 (exclusive), found ${d}`));
          if (net && d !== undefined && d > 0 && d < 1) out.push({ k: "ema", network: s.network.name, decay: d, span: s.span });
          break;
        }
        case "Assign": {
          const ent = ctx.names.get(s.target.name);
          if (ent?.kind !== "state") {
            if (!ent) ctx.unknown(s.target.name, s.target.span, [...ctx.names].filter(([, v]) => v.kind === "state").map(([n]) => n), "state variable");
            else ctx.report(diag("E0508", s.target.span, `only state variables can be updated by the schedule; \`${s.target.name}\` is ${ent.kind === "param" ? "a param" : `a ${ent.kind}`}`, { help: `declare it with \`state ${s.target.name} = 0\`` }));
          } else ctx.used.add(s.target.name);
          const expr = checkExpr(this, s.value);
          if (!expr) break;
          if (expr.type.kind !== "scalar") {
            ctx.report(diag("E0501", s.value.span, `a state update must be a scalar, but this is ${showType(expr.type)}`, { help: "reduce it with `mean(...)`" }));
            break;
          }
          this.requireComputed(expr, computed);
          if (ent?.kind === "state") out.push({ k: "assign", state: s.target.name, expr, span: s.span });
          break;
        }
      }
    }
    return out;
  }

  /** Every `step` statement of the schedule, however nested. */
  private stepList: StepStmt[] | undefined;

  /** Every `step` of the schedule as written (memoised). */
  private steps(): StepStmt[] {
    const flat = (body: readonly SchedStmt[]): StepStmt[] =>
      body.flatMap((s) => (s.kind === "Step" ? [s] : s.kind === "Repeat" || s.kind === "Together" ? flat(s.body) : []));
    return (this.stepList ??= flat(this.all("Schedule")[0]?.body ?? []));
  }

  /** E0504: a step updates a network that has no optimiser (reported at the first such step). */
  private checkStepsHaveOptimizers(): void {
    const withOptimizer = new Set(this.all("Optimizer").map((o) => o.network.name));
    const reported = new Set<string>();
    for (const s of this.steps())
      for (const n of s.networks) {
        if (withOptimizer.has(n.name) || reported.has(n.name) || this.ctx.names.get(n.name)?.kind !== "network") continue;
        reported.add(n.name);
        this.ctx.report(
          diag("E0504", n.span, `this step updates \`${n.name}\`, but \`${n.name}\` has no optimiser`, {
            help: `declare one: \`optimizer ${n.name} = adam(lr = 2e-4, beta1 = 0.5)\``,
          }),
        );
      }
  }

  private checkOptimizer(d: DeclOf<"Optimizer">): IrOptimizer[] {
    const { ctx } = this;
    const net = ctx.lookup(d.network.name, d.network.span, ["network"]);
    const kind = d.value.callee.name;
    const spec = OPTIMIZERS[kind];
    if (!spec) {
      ctx.unknown(kind, d.value.callee.span, Object.keys(OPTIMIZERS), "optimiser", "E0201", true);
      return [];
    }
    const args = constArgs(kind, spec, d.value.args, d.value.span, ctx.env, ctx.diagnostics);
    const lr = this.learningRate(args.refs.lr?.[0], d.value);
    // judged on the schedule as written, so that a step with its own error does not also cause this one
    const hasSchedule = this.steps().length > 0;
    const stepped = this.steps().some((s) => s.networks.some((n) => n.name === d.network.name));
    if (net && hasSchedule && !stepped)
      ctx.report(diag("E0503", d.network.span, `network \`${d.network.name}\` has an optimiser, but no step of the schedule updates it`, { help: `add \`step ${d.network.name} minimize <loss>\` to the schedule, or remove this optimiser` }));
    if (!net || !args.ok || !lr) return [];
    const settings: Record<string, number> = {};
    for (const [k, v] of Object.entries(args.values)) settings[k] = v as number;
    return [{ network: d.network.name, kind: kind as IrOptimizer["kind"], lr, settings, span: d.span }];
  }

  private learningRate(e: Expr | undefined, call: Call): IrOptimizer["lr"] | undefined {
    const { ctx } = this;
    if (!e) return undefined;
    const positive = (v: number | undefined, at: Span) => {
      if (v !== undefined && v <= 0) ctx.report(diag("E0205", at, `a learning rate must be positive, found ${v}`, { help: "GANs usually train with a learning rate between 1e-5 and 1e-3, e.g. `lr = 2e-4`" }));
      return v !== undefined && v > 0 ? v : undefined;
    };
    if (e.kind === "Call" && e.callee.name === "linear_decay") {
      const a = constArgs("linear_decay", [{ name: "lr", kind: "number" }, { name: "start", kind: "number", default: 0.5, min: 0, max: 1, exclusiveMax: true }], e.args, e.span, ctx.env, ctx.diagnostics);
      const v = positive(a.values.lr as number | undefined, e.span);
      return a.ok && v !== undefined ? { kind: "linear_decay", value: v, start: a.values.start as number } : undefined;
    }
    if (e.kind === "Call") {
      ctx.unknown(e.callee.name, e.callee.span, ["linear_decay"], "learning-rate schedule", "E0201", true);
      return undefined;
    }
    const v = positive(this.constNumber(e, `the learning rate of \`${call.callee.name}\``), e.span);
    return v === undefined ? undefined : { kind: "constant", value: v };
  }

  private checkRun(decl: DeclOf<"Run"> | undefined): IrRun {
    const { ctx } = this;
    const run: IrRun = { ...RUN_DEFAULTS };
    const set = (key: string, v: Const, at: Span) => {
      const spec = RUN_SETTINGS.find((s) => s.name === key)!;
      if (typeof v !== "number" || !Number.isInteger(v) || v < (spec.min ?? 0)) {
        ctx.report(diag("E0205", at, `run setting \`${key}\` must be a whole number${spec.min ? ` of at least ${spec.min}` : " (0 or more)"}, found ${JSON.stringify(v)}`));
        return;
      }
      (run as unknown as Record<string, number>)[key] = v;
    };
    for (const s of decl?.settings ?? []) {
      const key = s.name.name;
      if (!(key in RUN_DEFAULTS)) {
        ctx.unknown(key, s.name.span, Object.keys(RUN_DEFAULTS), "run setting");
        continue;
      }
      if (key in this.overrides) continue;
      try {
        set(key, evalConst(s.value, ctx.env, `run setting \`${key}\``), s.value.span);
      } catch (e) {
        if (!(e instanceof ConstError)) throw e;
        ctx.report(e.diagnostic);
      }
    }
    for (const [key, raw] of Object.entries(this.overrides))
      if (key in RUN_DEFAULTS && !this.all("Param").some((p) => p.name.name === key)) set(key, parseOverride(raw), this.overrideSpans.get(key)?.value ?? decl?.span ?? { file: COMMAND_LINE, start: 0, end: 0 });
    return run;
  }

  /** Unused declarations of `main`; a base's declaration a variant no longer uses is not its fault. */
  private reportUnused(main: string | undefined): void {
    const { ctx } = this;
    for (const [name, e] of ctx.names) {
      if (ctx.used.has(name) || e.kind === "monitor" || e.kind === "state") continue;
      if (e.kind === "loss") continue; // losses are logged even when no step minimises them
      const span = e.kind === "data" ? e.decl.bindings[e.index]!.name.span : e.decl.name.span;
      if (main !== undefined && span.file !== main) continue;
      const where = e.kind === "param" ? "a layer or a loss" : e.kind === "domain" || e.kind === "type" ? "a network's inputs or outputs" : e.kind === "block" ? "a network" : "a loss";
      ctx.report(diag("W0103", span, `${e.kind} \`${name}\` is never used`, { help: `remove it, or use it in ${where}` }));
    }
  }
}

/** `--set` values: numbers, booleans, or strings as written. */
export function parseOverride(raw: string): Const {
  if (raw === "true" || raw === "false") return raw === "true";
  const n = Number(raw);
  return raw.trim() !== "" && Number.isFinite(n) ? n : raw;
}

export { mentions };
