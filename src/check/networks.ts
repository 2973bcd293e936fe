// Checking a network body: layer arguments, shape inference through every layer, blocks
// inlined, taps, heads, residuals, networks used as layers; the result is an IrNetwork.
import { diag } from "../diagnostics/index.js";
import type { Span } from "../diagnostics/span.js";
import type { Arg, BlockDecl, Expr, Ident, LayerStmt, NetStmt, NetworkDecl } from "../syntax/ast.js";
import type { Const, IrNetwork, IrNode, IrType } from "../ir/types.js";
import { ConstError, evalConst, type ConstEnv } from "./consts.js";
import { constArgs } from "./const-args.js";
import { KIND_WORD, type Context } from "./context.js";
import type { ParamSpec } from "./signature.js";
import { LAYER_NAMES, LAYERS } from "./layers.js";
import { sameShape, showType } from "./types.js";
import { resolveType } from "./types-resolve.js";

interface Value {
  node: string;
  type: IrType;
}

/** Provides the checked IR of another network (for networks used as layers). */
export type NetworkLookup = (name: string, span: Span) => IrNetwork | undefined;

class NetworkBuilder {
  readonly nodes: IrNode[] = [];
  readonly locals = new Map<string, Value>();
  /** Where each input or tap name of the current scope was introduced, for "first named here" notes. */
  localSpans = new Map<string, Span>();
  readonly taps: IrNetwork["taps"] = [];
  /** Taps named inside block invocations: exported (`D(x).feat`) only when their name is unambiguous. */
  readonly blockTaps: IrNetwork["taps"] = [];
  /** Tap names whose layer failed: using them later is not another error. */
  private readonly failed = new Set<string>();
  /** How many block invocations the walk is inside. */
  private blockDepth = 0;
  readonly heads: { name: string; value: Value; span: Span }[] = [];
  readonly uses = new Set<string>();
  private readonly counters = new Map<string, number>();
  /** Undefined once a layer failed: later layers are not inferred, to avoid cascades. */
  current: Value | undefined;

  constructor(
    readonly ctx: Context,
    readonly decl: NetworkDecl,
    readonly networks: NetworkLookup,
  ) {}

  freshId(op: string): string {
    const n = (this.counters.get(op) ?? 0) + 1;
    this.counters.set(op, n);
    return `${op}_${n}`;
  }

  addNode(node: Omit<IrNode, "id">, label: Ident | undefined): Value {
    const id = this.freshId(node.op);
    const full: IrNode = { id, ...node };
    this.nodes.push(full);
    const v = { node: id, type: node.outType };
    if (label) this.name(label, v);
    return v;
  }

  /** Bind a tap name; a name already bound in this network is an error. */
  name(label: Ident, v: Value): void {
    const first = this.localSpans.get(label.name);
    if (first) {
      const again = first.start === label.span.start && first.file === label.span.file;
      this.ctx.report(
        diag("E0102", label.span, `\`${label.name}\` already names a value in network \`${this.decl.name.name}\``, {
          notes: [again ? { message: "this tap is inside a block the network uses more than once" } : { message: "first named here", span: first }],
          help: again ? "a tap name must be unique in the network; name the block's output where it is used instead" : "give each tap and input of a network its own name",
        }),
      );
    } else this.localSpans.set(label.name, label.span);
    this.locals.set(label.name, v);
    (this.blockDepth > 0 ? this.blockTaps : this.taps).push({ name: label.name, node: v.node, type: v.type });
  }

  /** The taps reachable from outside: the network's own, and block taps whose name is unique. */
  exportedTaps(): IrNetwork["taps"] {
    const count = new Map<string, number>();
    for (const t of this.blockTaps) count.set(t.name, (count.get(t.name) ?? 0) + 1);
    const own = new Set(this.taps.map((t) => t.name));
    return [...this.taps, ...this.blockTaps.filter((t) => count.get(t.name) === 1 && !own.has(t.name))];
  }

  walk(stmts: readonly NetStmt[], env: ConstEnv, via: Span | undefined, blockStack: string[]): void {
    for (const s of stmts) {
      switch (s.kind) {
        case "From": {
          const v = this.locals.get(s.source.name);
          if (!v && !this.failed.has(s.source.name)) this.ctx.unknown(s.source.name, s.source.span, this.locals.keys(), "input or tap");
          this.current = v;
          break;
        }
        case "Head": {
          const start = this.current;
          this.walk(s.body, env, via, blockStack);
          if (this.current) this.heads.push({ name: s.name.name, value: this.current, span: s.name.span });
          this.current = start;
          break;
        }
        case "Residual": {
          const start = this.current;
          this.walk(s.body, env, via, blockStack);
          const end = this.current;
          if (!start || !end) {
            this.current = undefined;
            break;
          }
          if (start.type.kind !== "tensor" || end.type.kind !== "tensor" || !sameShape(start.type.shape, end.type.shape)) {
            this.ctx.report(
              diag("E0303", s.span, `the residual body turns ${showType(start.type)} into ${showType(end.type)}; they must be equal to be added`, {
                help: "keep the number of filters and the stride of the block's input",
              }),
            );
            this.current = undefined;
            break;
          }
          this.current = this.addNode({ op: "add", inputs: [start.node, end.node], args: {}, inTypes: [start.type, end.type], outType: end.type, paramCount: 0, span: s.span, ...(via ? { via } : {}) }, s.label);
          break;
        }
        case "Layer":
          this.layer(s, env, via, blockStack);
          break;
      }
      if ((s.kind === "Layer" || s.kind === "Residual") && s.label && !this.current) this.failed.add(s.label.name);
    }
  }

  private layer(s: LayerStmt, env: ConstEnv, via: Span | undefined, blockStack: string[]): void {
    const name = s.callee.name;
    const def = LAYERS[name];
    if (def) {
      const problems: typeof this.ctx.diagnostics = [];
      const args = constArgs(name, def.params, s.args, s.span, env, problems);
      problems.forEach((d) => this.ctx.report(d));
      const refs: Value[] = [];
      let refsOk = true;
      for (const p of def.params)
        if (p.kind === "expr" && args.refs[p.name]) {
          const v = this.numberOrState(name, p, args.refs[p.name]![0]!, env);
          if (v === undefined) refsOk = false;
          else args.values[p.name] = v;
        }
      const valueRefs = def.params.filter((p) => p.kind === "value").flatMap((p) => args.refs[p.name] ?? []);
      for (const e of valueRefs) {
        if (e.kind !== "Name") {
          this.ctx.report(diag("E0204", e.span, `\`${name}\` takes the name of an input or a tap here`, { help: "name a layer's output with `name: layer(...)` and refer to it" }));
          refsOk = false;
          continue;
        }
        const v = this.locals.get(e.name);
        if (!v) {
          if (!this.failed.has(e.name)) this.ctx.unknown(e.name, e.span, this.locals.keys(), "input or tap");
          refsOk = false;
        } else refs.push(v);
      }
      const input = this.current;
      if (!args.ok || !refsOk || !input) {
        this.current = undefined;
        return;
      }
      const r = def.infer(input.type, args.values, refs.map((v) => v.type));
      if ("error" in r) {
        this.ctx.report(diag(r.code ?? "E0302", s.callee.span, r.error, r.help ? { help: r.help } : {}));
        this.current = undefined;
        return;
      }
      this.current = this.addNode(
        { op: name, inputs: [input.node, ...refs.map((v) => v.node)], args: args.values, inTypes: [input.type, ...refs.map((v) => v.type)], outType: r.type, paramCount: r.params, span: s.span, ...(via ? { via } : {}) },
        s.label,
      );
      return;
    }
    const entity = this.ctx.names.get(name);
    if (entity?.kind === "block") {
      this.ctx.used.add(name);
      this.inlineBlock(entity.decl, s, env, blockStack);
      return;
    }
    if (entity?.kind === "network") {
      this.ctx.used.add(name);
      this.callNetwork(name, s, via);
      return;
    }
    const candidates = [...LAYER_NAMES, ...[...this.ctx.names].filter(([, e]) => e.kind === "block" || e.kind === "network").map(([n]) => n)];
    this.ctx.unknown(name, s.callee.span, candidates, "layer", "E0201");
    this.current = undefined;
  }

  /**
   * A layer argument that is a number or the name of a state variable (`fade(old, alpha)`): the
   * number, or the state's name (read at run time).
   */
  private numberOrState(layer: string, p: ParamSpec, e: Expr, env: ConstEnv): Const | undefined {
    if (e.kind === "Name" && env.get(e.name) === undefined) {
      const entity = this.ctx.names.get(e.name);
      if (entity?.kind === "state") {
        this.ctx.used.add(e.name);
        return e.name;
      }
      if (entity) {
        this.ctx.used.add(e.name);
        this.ctx.report(diag("E0204", e.span, `argument \`${p.name}\` of \`${layer}\` must be a number or a state variable, but \`${e.name}\` is ${KIND_WORD[entity.kind]}`, { help: `declare it with \`state ${e.name} = 0\` and update it in the schedule` }));
        return undefined;
      }
    }
    try {
      const v = evalConst(e, env, `argument \`${p.name}\` of \`${layer}\``);
      if (typeof v !== "number") {
        this.ctx.report(diag("E0204", e.span, `argument \`${p.name}\` of \`${layer}\` must be a number or a state variable, found ${JSON.stringify(v)}`));
        return undefined;
      }
      if ((p.min !== undefined && v < p.min) || (p.max !== undefined && v > p.max)) {
        this.ctx.report(diag("E0205", e.span, `argument \`${p.name}\` of \`${layer}\` must be between ${p.min ?? "-inf"} and ${p.max ?? "inf"}, found ${v}`));
        return undefined;
      }
      return v;
    } catch (err) {
      if (!(err instanceof ConstError)) throw err;
      this.ctx.report(err.diagnostic);
      return undefined;
    }
  }

  private inlineBlock(block: BlockDecl, s: LayerStmt, env: ConstEnv, blockStack: string[]): void {
    const name = block.name.name;
    if (blockStack.includes(name)) {
      this.ctx.report(diag("E0104", s.callee.span, `block \`${name}\` uses itself: ${[...blockStack, name].join(" -> ")}`));
      this.current = undefined;
      return;
    }
    const bound = bindBlockArgs(this.ctx, block, s.args, s.span, env);
    if (!bound) {
      this.current = undefined;
      return;
    }
    const inner: ConstEnv = { get: (n) => bound.get(n) ?? this.ctx.env.get(n), explain: (n) => this.ctx.explainConst(n, bound.keys()) };
    // taps named inside the block are local to this invocation (a U-Net level used twice): the
    // block sees the network's names, and its own names are gone after it
    const outerLocals = new Map(this.locals);
    const outerSpans = this.localSpans;
    this.localSpans = new Map();
    this.blockDepth++;
    this.walk(block.body, inner, s.span, [...blockStack, name]);
    this.blockDepth--;
    this.localSpans = outerSpans;
    this.locals.clear();
    for (const [k, v] of outerLocals) this.locals.set(k, v);
    if (s.label && this.current) this.name(s.label, this.current);
  }

  private callNetwork(name: string, s: LayerStmt, via: Span | undefined): void {
    if (s.args.length > 0) this.ctx.report(diag("E0202", s.span, `network \`${name}\` used as a layer takes the current value; it has no arguments here`));
    const net = this.networks(name, s.callee.span);
    const input = this.current;
    if (!net || !input) {
      this.current = undefined;
      return;
    }
    if (net.inputs.length !== 1 || net.outputs.length !== 1) {
      this.ctx.report(diag("E0202", s.callee.span, `network \`${name}\` has ${net.inputs.length} inputs and ${net.outputs.length} outputs; only a network with one input and one output can be used as a layer`));
      this.current = undefined;
      return;
    }
    const expected = net.inputs[0]!.type;
    if (expected.kind !== input.type.kind || (expected.kind === "tensor" && input.type.kind === "tensor" && !sameShape(expected.shape, input.type.shape))) {
      this.ctx.report(diag("E0301", s.callee.span, `network \`${name}\` takes ${showType(expected)}, but the value here is ${showType(input.type)}`));
      this.current = undefined;
      return;
    }
    this.uses.add(name);
    const out = net.outputs[0]!.type;
    const plain = out.kind === "tensor" ? { kind: "tensor" as const, shape: out.shape } : out;
    this.current = this.addNode({ op: "call", network: name, inputs: [input.node], args: {}, inTypes: [input.type], outType: plain, paramCount: 0, span: s.span, ...(via ? { via } : {}) }, s.label);
  }
}

function bindBlockArgs(ctx: Context, block: BlockDecl, args: readonly Arg[], span: Span, env: ConstEnv): Map<string, Const> | undefined {
  const out = new Map<string, Const>();
  let ok = true;
  let pos = 0;
  for (const a of args) {
    const p = a.name ? block.params.find((q) => q.name === a.name!.name) : block.params[pos++];
    if (!p) {
      ctx.report(
        a.name
          ? diag("E0203", a.span, `block \`${block.name.name}\` has no parameter \`${a.name.name}\``, { help: `it takes (${block.params.map((q) => q.name).join(", ")})` })
          : diag("E0202", a.span, `block \`${block.name.name}\` takes ${block.params.length} argument${block.params.length === 1 ? "" : "s"}`),
      );
      ok = false;
      continue;
    }
    try {
      out.set(p.name, evalConst(a.value, env, `argument \`${p.name}\` of block \`${block.name.name}\``));
    } catch (e) {
      if (!(e instanceof ConstError)) throw e;
      ctx.report(e.diagnostic);
      ok = false;
    }
  }
  for (const p of block.params)
    if (!out.has(p.name) && ok) {
      ctx.report(diag("E0202", span, `block \`${block.name.name}\` is missing its argument \`${p.name}\``));
      ok = false;
    }
  return ok ? out : undefined;
}

export function checkNetwork(ctx: Context, decl: NetworkDecl, networks: NetworkLookup): IrNetwork | undefined {
  const b = new NetworkBuilder(ctx, decl, networks);
  const inputs: IrNetwork["inputs"] = [];
  let inputsOk = true;
  for (const i of decl.inputs) {
    const t = resolveType(ctx, i.type);
    if (!t) {
      inputsOk = false;
      continue;
    }
    if (b.locals.has(i.name.name)) ctx.report(diag("E0102", i.name.span, `network \`${decl.name.name}\` has two inputs named \`${i.name.name}\``));
    b.locals.set(i.name.name, { node: i.name.name, type: t });
    b.localSpans.set(i.name.name, i.name.span);
    inputs.push({ name: i.name.name, type: t, span: i.span });
  }
  if (decl.inputs.length === 0) ctx.report(diag("E0202", decl.name.span, `network \`${decl.name.name}\` has no inputs`));
  if (!inputsOk || inputs.length === 0) return undefined;
  b.current = b.locals.get(inputs[0]!.name);
  b.walk(decl.body, ctx.env, undefined, []);
  if (!b.current && b.heads.length === 0) return undefined;

  const outputs: IrNetwork["outputs"] = [];
  const declared = decl.outputs.map((o) => ({ o, t: resolveType(ctx, o.type) }));
  const matches = (actual: IrType, want: IrType) =>
    actual.kind === want.kind && (actual.kind !== "tensor" || (want.kind === "tensor" && sameShape(actual.shape, want.shape)));
  const withDomain = (actual: IrType, want: IrType | undefined): IrType =>
    want?.kind === "tensor" && want.domain && actual.kind === "tensor" ? { ...actual, domain: want.domain } : actual;

  if (b.heads.length === 0) {
    const cur = b.current!;
    const d = declared[0];
    if (declared.length > 1) ctx.report(diag("E0306", decl.name.span, `network \`${decl.name.name}\` declares ${declared.length} outputs but has no \`head\` blocks`));
    if (d?.t && !matches(cur.type, d.t))
      ctx.report(diag("E0304", d.o.type.span, `network \`${decl.name.name}\` is declared to return ${showType(d.t)}, but its layers produce ${showType(cur.type)}`, { label: `layers produce ${showType(cur.type)}` }));
    // after a mismatch, callers are checked against the declared type (one error, not one per call)
    outputs.push({ name: "out", node: cur.node, type: d?.t && !matches(cur.type, d.t) ? d.t : withDomain(cur.type, d?.t) });
  } else {
    for (const h of b.heads) {
      const d = declared.find((x) => x.o.name?.name === h.name);
      if (declared.length > 0 && !d)
        ctx.report(diag("E0306", h.span, `head \`${h.name}\` is not among the declared outputs of \`${decl.name.name}\` (${declared.map((x) => x.o.name?.name ?? "?").join(", ")})`));
      else if (d?.t && !matches(h.value.type, d.t))
        ctx.report(diag("E0304", h.span, `head \`${h.name}\` is declared as ${showType(d.t)}, but its layers produce ${showType(h.value.type)}`));
      outputs.push({ name: h.name, node: h.value.node, type: d?.t && !matches(h.value.type, d.t) ? d.t : withDomain(h.value.type, d?.t) });
    }
    for (const d of declared)
      if (d.o.name && !b.heads.some((h) => h.name === d.o.name!.name))
        ctx.report(diag("E0306", d.o.span, `output \`${d.o.name.name}\` of \`${decl.name.name}\` has no \`head ${d.o.name.name} { ... }\``));
  }
  return {
    name: decl.name.name,
    inputs,
    outputs,
    taps: b.exportedTaps(),
    nodes: b.nodes,
    uses: [...b.uses].sort(),
    paramCount: b.nodes.reduce((n, x) => n + x.paramCount, 0),
    span: decl.span,
  };
}
