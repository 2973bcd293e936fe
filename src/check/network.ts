// Checking a network body: layer arguments, shape inference through every layer, blocks
// inlined, taps, heads, residuals, networks used as layers; the result is an IrNetwork.
import { phrase } from "../diagnostics/index.js";
import type { Span } from "../diagnostics/span.js";
import type { Arg, BlockDecl, Expr, Ident, LayerStmt, NetStmt, NetworkDecl } from "../syntax/ast.js";
import type { Const, IrNetwork, IrNode, IrType } from "../ir/types.js";
import { isProblem, LAYER_NAMES, layerEntry, sameShape, sameType, showType, type ParamSpec } from "../lang/index.js";
import { constArgs } from "./args.js";
import { evalConst, type ConstEnv } from "./consts.js";
import { KIND_WORD, type Context } from "./context.js";
import { resolveType } from "./types-resolve.js";

interface Value {
  node: string;
  type: IrType;
}

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
        "E0107",
        label.span,
        { name: label.name, network: this.decl.name.name },
        {
          notes: [again ? { message: phrase("blockUsedTwice") } : { message: phrase("firstNamed"), span: first }],
          help: again ? phrase("uniqueBlockTap") : phrase("uniqueTap"),
        },
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
          if (!v && !this.failed.has(s.source.name)) this.ctx.unknown("E0101", s.source.name, s.source.span, this.locals.keys(), "input or tap");
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
            this.ctx.report("E0311", s.span, { from: showType(start.type), to: showType(end.type) });
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
    const entry = layerEntry(name);
    if (entry) {
      const args = constArgs(this.ctx, name, entry.params, s.args, s.span, env);
      let refsOk = true;
      for (const p of entry.params)
        if (p.kind === "number_or_state" && args.refs[p.name]) {
          const v = this.numberOrState(name, p, args.refs[p.name]![0]!, env);
          if (v === undefined) refsOk = false;
          else args.values[p.name] = v;
        }
      const refs: Value[] = [];
      for (const e of entry.params.filter((p) => p.kind === "tap").flatMap((p) => args.refs[p.name] ?? [])) {
        if (e.kind !== "Name") {
          const p = entry.params.find((q) => q.kind === "tap")!;
          this.ctx.report("E0214", e.span, { param: p.name, fn: name, expected: phrase("aTapOrInput") }, { help: phrase("nameALayer") });
          refsOk = false;
          continue;
        }
        const v = this.locals.get(e.name);
        if (!v) {
          if (!this.failed.has(e.name)) this.ctx.unknown("E0101", e.name, e.span, this.locals.keys(), "input or tap");
          refsOk = false;
        } else refs.push(v);
      }
      const input = this.current;
      if (!args.ok || !refsOk || !input) {
        this.current = undefined;
        return;
      }
      const taps = refs.map((v) => v.type);
      const out = entry.shape(input.type, args.values, taps);
      if (isProblem(out)) {
        this.ctx.reportProblem(out, s.callee.span);
        this.current = undefined;
        return;
      }
      this.current = this.addNode(
        { op: name, inputs: [input.node, ...refs.map((v) => v.node)], args: args.values, inTypes: [input.type, ...taps], outType: out, paramCount: entry.paramCount(input.type, args.values, taps, out), span: s.span, ...(via ? { via } : {}) },
        s.label,
      );
      return;
    }
    const entity = this.ctx.names.get(name);
    if (entity?.kind === "block") {
      this.ctx.use(name);
      this.inlineBlock(entity.decl, s, env, blockStack);
      return;
    }
    if (entity?.kind === "network") {
      this.ctx.use(name);
      this.callNetwork(name, s, via);
      return;
    }
    this.ctx.unknown("E0201", name, s.callee.span, [...LAYER_NAMES, ...this.ctx.namesOf(["block", "network"])], "layer");
    this.current = undefined;
  }

  /**
   * A layer argument that is a number or the name of a state variable (`fade(old, alpha)`): the
   * number, or the state's name (read at run time).
   */
  private numberOrState(layer: string, p: ParamSpec, e: Expr, env: ConstEnv): Const | undefined {
    if (e.kind === "Name" && env.get(e.name) === undefined) {
      const entity = this.ctx.names.get(e.name);
      if (entity) this.ctx.use(e.name);
      if (entity?.kind === "state") return e.name;
      if (entity) {
        this.ctx.report("E0104", e.span, { name: e.name, kind: KIND_WORD[entity.kind], expected: phrase("aNumberOrState") }, { help: phrase("declareState", { name: e.name }) });
        return undefined;
      }
    }
    try {
      const what = phrase("argumentOf", { name: p.name, fn: layer });
      const v = evalConst(e, env, what);
      if (typeof v !== "number") {
        this.ctx.report("E0204", e.span, { what: phrase("argument", { name: p.name }), fn: layer, expected: phrase("aNumberOrState"), found: JSON.stringify(v) });
        return undefined;
      }
      if ((p.min !== undefined && v < p.min) || (p.max !== undefined && v > p.max)) {
        this.ctx.report("E0205", e.span, { what, expected: phrase("between", { low: p.min ?? "-inf", high: p.max ?? "inf" }), found: v });
        return undefined;
      }
      return v;
    } catch (err) {
      this.ctx.fail(err);
      return undefined;
    }
  }

  private inlineBlock(block: BlockDecl, s: LayerStmt, env: ConstEnv, blockStack: string[]): void {
    const name = block.name.name;
    if (blockStack.includes(name)) {
      this.ctx.report("E0108", s.callee.span, { what: phrase("theBlock", { name }) }, { notes: [{ message: phrase("through", { chain: [...blockStack, name].join(" -> ") }) }] });
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
    if (s.args.length > 0) this.ctx.report("E0202", s.span, { fn: name, expected: phrase("noArguments"), found: s.args.length }, { help: phrase("networkAsLayer") });
    const net = this.ctx.network(name, s.callee.span);
    const input = this.current;
    if (!net || !input) {
      this.current = undefined;
      return;
    }
    if (net.inputs.length !== 1 || net.outputs.length !== 1) {
      this.ctx.report("E0209", s.callee.span, { name, inputs: net.inputs.length, outputs: net.outputs.length });
      this.current = undefined;
      return;
    }
    const expected = net.inputs[0]!;
    if (!sameType(expected.type, input.type)) {
      this.ctx.report("E0301", s.callee.span, { network: name, expected: showType(expected.type), input: expected.name, found: showType(input.type) });
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
  const fn = block.name.name;
  const out = new Map<string, Const>();
  let ok = true;
  let pos = 0;
  for (const a of args) {
    const p = a.name ? block.params.find((q) => q.name === a.name!.name) : block.params[pos++];
    if (!p) {
      const signature = `${fn}(${block.params.map((q) => q.name).join(", ")})`;
      if (a.name) ctx.report("E0203", a.span, { fn, name: a.name.name }, { help: phrase("itTakes", { signature }) });
      else ctx.report("E0202", a.span, { fn, expected: phrase("exactlyArguments", { n: block.params.length }), found: args.filter((x) => !x.name).length }, { help: phrase("itTakes", { signature }) });
      ok = false;
      continue;
    }
    try {
      out.set(p.name, evalConst(a.value, env, phrase("argumentOf", { name: p.name, fn })));
    } catch (e) {
      ctx.fail(e);
      ok = false;
    }
  }
  for (const p of block.params)
    if (!out.has(p.name) && ok) {
      ctx.report("E0207", span, { fn, name: p.name });
      ok = false;
    }
  return ok ? out : undefined;
}

/** A network's IR: its inputs, its layers (shapes inferred), its outputs checked against their declared types. */
export function checkNetwork(ctx: Context, decl: NetworkDecl): IrNetwork | undefined {
  const network = decl.name.name;
  const b = new NetworkBuilder(ctx, decl);
  const inputs: IrNetwork["inputs"] = [];
  let inputsOk = true;
  for (const i of decl.inputs) {
    const t = resolveType(ctx, i.type);
    if (!t) {
      inputsOk = false;
      continue;
    }
    if (b.locals.has(i.name.name)) ctx.report("E0107", i.name.span, { name: i.name.name, network }, { notes: [{ message: phrase("firstNamed"), span: b.localSpans.get(i.name.name)! }], help: phrase("uniqueTap") });
    b.locals.set(i.name.name, { node: i.name.name, type: t });
    b.localSpans.set(i.name.name, i.name.span);
    inputs.push({ name: i.name.name, type: t, span: i.span });
  }
  if (decl.inputs.length === 0) ctx.report("E0210", decl.name.span, { name: network });
  if (!inputsOk || inputs.length === 0) return undefined;
  b.current = b.locals.get(inputs[0]!.name);
  b.walk(decl.body, ctx.env, undefined, []);
  if (!b.current && b.heads.length === 0) return undefined;

  const outputs: IrNetwork["outputs"] = [];
  const declared = decl.outputs.map((o) => ({ o, t: resolveType(ctx, o.type) }));
  const withDomain = (actual: IrType, want: IrType | undefined): IrType =>
    want?.kind === "tensor" && want.domain && actual.kind === "tensor" ? { ...actual, domain: want.domain } : actual;
  // after a mismatch, callers are checked against the declared type (one error, not one per call)
  const output = (actual: IrType, want: IrType | undefined) => (want && !sameType(actual, want) ? want : withDomain(actual, want));

  if (b.heads.length === 0) {
    const cur = b.current!;
    const d = declared[0];
    if (declared.length > 1) ctx.report("E0314", decl.name.span, { network, count: declared.length });
    if (d?.t && !sameType(cur.type, d.t)) ctx.report("E0304", d.o.type.span, { what: phrase("theNetwork", { name: network }), declared: showType(d.t), found: showType(cur.type) });
    outputs.push({ name: "out", node: cur.node, type: output(cur.type, d?.t) });
  } else {
    for (const h of b.heads) {
      const d = declared.find((x) => x.o.name?.name === h.name);
      if (declared.length > 0 && !d) ctx.report("E0315", h.span, { name: h.name, network, outputs: declared.map((x) => x.o.name?.name ?? "?").join(", ") });
      else if (d?.t && !sameType(h.value.type, d.t)) ctx.report("E0304", h.span, { what: phrase("theHead", { name: h.name }), declared: showType(d.t), found: showType(h.value.type) });
      outputs.push({ name: h.name, node: h.value.node, type: output(h.value.type, d?.t) });
    }
    for (const d of declared) if (d.o.name && !b.heads.some((h) => h.name === d.o.name!.name)) ctx.report("E0316", d.o.span, { name: d.o.name.name, network });
  }
  return {
    name: network,
    inputs,
    outputs,
    taps: b.exportedTaps(),
    nodes: b.nodes,
    uses: [...b.uses].sort(),
    paramCount: b.nodes.reduce((n, x) => n + x.paramCount, 0),
    span: decl.span,
  };
}
