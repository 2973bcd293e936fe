// Type-checking expressions (lets, losses, monitors, state updates) into IR expressions. Builtin
// functions are checked against their catalog entries; network calls against the networks.
import { didYouMean, phrase, type Note } from "../diagnostics/index.js";
import type { Span } from "../diagnostics/span.js";
import type { Call, Expr, NetStmt } from "../syntax/ast.js";
import type { IrExpr, IrType } from "../ir/types.js";
import { children } from "../ir/walk.js";
import { BUILTIN_NAMES, builtinEntry, combine, isProblem, OPERATORS, outputsProblem, SCALAR, sameShape, showType, tensor, type BuiltinEntry, type Problem } from "../lang/index.js";
import { argSpan, constArgs } from "./args.js";
import { KIND_WORD, type Context } from "./context.js";

export function checkExpr(ctx: Context, e: Expr): IrExpr | undefined {
  switch (e.kind) {
    case "Number":
      return { k: "const", value: e.value, type: SCALAR, span: e.span };
    case "Bool":
    case "String":
    case "List":
      ctx.report("E0213", e.span, { literal: phrase(e.kind === "List" ? "aList" : e.kind === "String" ? "aString" : "aBool") });
      return undefined;
    case "Name":
      return checkName(ctx, e.name, e.span);
    case "Unary": {
      const v = checkExpr(ctx, e.operand);
      if (!v) return undefined;
      const t = combine(v.type, SCALAR, "`-`");
      if (isProblem(t)) return void ctx.reportProblem(t, e.span);
      return { k: "neg", operand: v, type: t, span: e.span };
    }
    case "Binary": {
      const l = checkExpr(ctx, e.left);
      const r = checkExpr(ctx, e.right);
      if (!l || !r) return undefined;
      if (!(e.op in OPERATORS)) throw new Error(`internal error: no catalog entry for operator ${e.op}`);
      const t = combine(l.type, r.type, `\`${e.op}\``);
      if (isProblem(t)) return void ctx.reportProblem(t, e.span, { label: `${showType(l.type)} ${e.op} ${showType(r.type)}` });
      return { k: "binary", op: e.op, left: l, right: r, type: t, span: e.span };
    }
    case "Member":
      return checkMember(ctx, e);
    case "Call":
      return checkCall(ctx, e);
  }
}

/** Builtins written as a bare name (`iteration`). */
const BARE = BUILTIN_NAMES.filter((n) => builtinEntry(n)!.bare);

function checkName(ctx: Context, name: string, span: Span): IrExpr | undefined {
  const bare = builtinEntry(name);
  if (bare?.bare && !ctx.names.has(name)) return { k: "builtin", fn: name, args: [], options: {}, type: bare.type([], {}, { depends: () => false }) as IrType, span };
  if (ctx.ambiguous.has(name)) {
    ctx.use(name); // declared twice: the E0102 says enough
    return undefined;
  }
  const other = ctx.names.get(name);
  if (other && (other.kind === "network" || other.kind === "block" || other.kind === "domain" || other.kind === "type")) {
    ctx.use(name);
    const help =
      other.kind === "network" ? phrase("callNetwork", { call: `${name}(${other.decl.inputs.map((i) => i.name.name).join(", ")})` }) : other.kind === "domain" ? phrase("castToDomain", { name }) : undefined;
    ctx.report("E0104", span, { name, kind: KIND_WORD[other.kind], expected: phrase("aValue") }, help ? { help } : {});
    return undefined;
  }
  const ent = ctx.lookup(name, span, ["param", "state", "data", "latent", "let", "loss", "monitor"], BARE);
  if (!ent) return undefined;
  switch (ent.kind) {
    case "param": {
      const v = ctx.env.get(name);
      if (v === undefined) return undefined; // its own error is reported where it is declared
      if (typeof v !== "number") {
        ctx.report("E0211", span, { what: phrase("theParam", { name }), found: JSON.stringify(v) });
        return undefined;
      }
      return { k: "param", name, type: SCALAR, span };
    }
    case "state":
      return { k: "state", name, type: SCALAR, span };
    case "data": {
      const t = ctx.dataTypes.get(name);
      return t && { k: "data", name, type: t, span };
    }
    case "latent": {
      const t = ctx.latentTypes.get(name);
      return t && { k: "latent", name, type: t, span };
    }
    default: {
      const v = ctx.value(name, span);
      return v && { k: "value", name, type: v.type, span };
    }
  }
}

function checkMember(ctx: Context, e: Extract<Expr, { kind: "Member" }>): IrExpr | undefined {
  const obj = checkExpr(ctx, e.object);
  if (!obj) return undefined;
  const name = e.member.name;
  const netName = obj.k === "call" ? obj.network : obj.type.kind === "outputs" ? obj.type.network : undefined;
  const net = netName ? ctx.network(netName) : undefined;
  if (!net) {
    ctx.report("E0313", e.member.span, { name, found: showType(obj.type) });
    return undefined;
  }
  const found = net.outputs.find((o) => o.name === name) ?? net.taps.find((o) => o.name === name);
  if (!found || (found.name === "out" && net.outputs.length === 1 && !net.taps.some((t) => t.name === "out"))) {
    const names = [...net.outputs.filter((o) => o.name !== "out").map((o) => o.name), ...net.taps.map((t) => t.name)];
    const guess = didYouMean(name, names);
    const help = guess ? phrase("didYouMean", { name: guess }) : names.length ? phrase("outputsAre", { names: names.join(", ") }) : phrase("nameATap");
    ctx.report("E0306", e.member.span, { network: net.name, name }, { help });
    return undefined;
  }
  if (obj.k === "call") return { ...obj, output: name, type: found.type, span: e.span };
  return { k: "member", object: obj, name, type: found.type, span: e.span };
}

function checkCall(ctx: Context, e: Call): IrExpr | undefined {
  const name = e.callee.name;
  const ent = ctx.names.get(name);
  if (ent?.kind === "network") {
    ctx.use(name);
    return checkNetworkCall(ctx, e);
  }
  const entry = builtinEntry(name);
  if (!entry || entry.bare) {
    if (ent) ctx.report("E0104", e.callee.span, { name, kind: KIND_WORD[ent.kind], expected: phrase("aFunctionOrNetwork") });
    else ctx.unknown("E0201", name, e.callee.span, [...BUILTIN_NAMES.filter((n) => !BARE.includes(n)), ...ctx.namesOf(["network"])], "function");
    return undefined;
  }
  return checkBuiltin(ctx, e, entry);
}

/** A builtin call: its arguments matched and checked by kind, then the entry's type rule. */
function checkBuiltin(ctx: Context, e: Call, entry: BuiltinEntry): IrExpr | undefined {
  const name = e.callee.name;
  const consts = constArgs(ctx, name, entry.params, e.args, e.span);
  const args: IrExpr[] = [];
  const written: Expr[] = [];
  let ok = consts.ok;
  for (const p of entry.params)
    for (const a of consts.refs[p.name] ?? []) {
      if ((p.kind === "name" || p.kind === "domain") && a.kind !== "Name") {
        const help = p.kind === "name" ? phrase("nameFirst", { name: "x_hat" }) : undefined;
        ctx.report("E0214", a.span, { param: p.name, fn: name, expected: phrase(p.kind === "name" ? "aNamedValue" : "aDomain") }, help ? { help } : {});
        ok = false;
      } else if (p.kind === "domain") {
        const d = a as Extract<Expr, { kind: "Name" }>;
        if (ctx.lookup(d.name, d.span, ["domain"])) consts.values[p.name] = d.name;
        else ok = false;
      } else {
        const v = checkExpr(ctx, a);
        if (v) {
          args.push(v);
          written.push(a);
        } else ok = false;
      }
    }
  if (!ok) return undefined;
  const t = entry.type(args, consts.values, { depends: (y, x) => "name" in x && mentions(ctx, y, x.name) });
  if (!isProblem(t)) return { k: "builtin", fn: name, args, options: consts.values, type: t, span: e.span };
  reportCallProblem(ctx, t, e, args, written, argSpan(t.at, written, consts.byName, e.span));
  return undefined;
}

/** A builtin's problem, with what helps: where the class head is, where each domain comes from. */
function reportCallProblem(ctx: Context, p: Problem, e: Call, args: IrExpr[], written: Expr[], at: Span): void {
  if (p.code === "E0307") {
    // A class head of the wrong size is one mistake, however many losses use it: report it once,
    // pointing at the head.
    const from = producer(ctx, args[0]!);
    if (from) {
      const key = `E0307 ${from.network}.${from.output} ${JSON.stringify(p.args)}`;
      if (ctx.reportedOnce.has(key)) return;
      ctx.reportedOnce.add(key);
      const span = outputSpan(ctx, from.network, from.output);
      const what = from.output === "out" ? `\`${from.network}\`` : `output \`${from.output}\` of \`${from.network}\``;
      return ctx.reportProblem(p, e.span, { notes: [{ message: phrase("logitsAre", { what, type: showType(args[0]!.type) }), ...(span ? { span } : {}) }] });
    }
  }
  if (p.code === "E0312") {
    // name the value the output is picked from: `real.source`
    const w = typeof p.at === "number" ? written[p.at] : undefined;
    const help = w?.kind === "Name" && p.help ? p.help.replace(/`\./g, `\`${w.name}.`) : p.help;
    return ctx.reportProblem({ ...p, ...(help ? { help } : {}) }, at);
  }
  if (p.code === "E0402") {
    // say where each side's domain comes from
    const notes = args.flatMap((a, i) => (a.type.kind === "tensor" && a.type.domain ? describe(ctx, a, written[i]!) : []));
    return ctx.reportProblem(p, e.span, { notes });
  }
  ctx.reportProblem(p, at);
}

/** "`y` is Y [28, 28, 1]", or which network produced the value. */
function describe(ctx: Context, arg: IrExpr, written: Expr): Note[] {
  const by = producedBy(ctx, arg, written);
  if (by.length) return by;
  if (written.kind === "Name") return [{ message: phrase("valueIs", { name: written.name, type: showType(arg.type) }) }];
  return [];
}

/** The network output an expression is (through lets and `.name`), if it is one. */
function producer(ctx: Context, x: IrExpr, depth = 0): { network: string; output: string } | undefined {
  if (depth > 16) return undefined;
  if (x.k === "call") return x.output ? { network: x.network, output: x.output } : undefined;
  if (x.k === "member" && x.object.type.kind === "outputs") return { network: x.object.type.network, output: x.name };
  if (x.k === "value") {
    const v = ctx.value(x.name, x.span);
    return v && producer(ctx, v, depth + 1);
  }
  return undefined;
}

/** Where an output of a network is declared (`-> T`, `-> (name: T)`) or its head is written. */
function outputSpan(ctx: Context, network: string, output: string): Span | undefined {
  const ent = ctx.names.get(network);
  if (ent?.kind !== "network") return undefined;
  const d = ent.decl;
  const declared = output === "out" ? d.outputs[0] : d.outputs.find((o) => o.name?.name === output);
  if (declared) return declared.span;
  const find = (stmts: readonly NetStmt[]): Span | undefined => {
    for (const s of stmts) {
      if (s.kind === "Head" && s.name.name === output) return s.name.span;
      if (s.kind === "Layer" && s.label?.name === output) return s.label.span;
      if (s.kind === "Head" || s.kind === "Residual") {
        const inner = find(s.body);
        if (inner) return inner;
      }
    }
    return undefined;
  };
  return output === "out" ? d.name.span : find(d.body);
}

/** A note saying which network produced an argument, when one did: "`fake` is the output of `G`, [32, 32, 1]". */
function producedBy(ctx: Context, arg: IrExpr, written: Expr): Note[] {
  const from = producer(ctx, arg);
  if (!from) return [];
  const type = showType(arg.type);
  const output = from.output === "out" ? "" : ` (\`.${from.output}\`)`;
  const message =
    written.kind === "Call" && written.callee.name === from.network
      ? phrase("callReturns", { network: from.network, type })
      : written.kind === "Name"
        ? phrase("outputOf", { name: written.name, network: from.network, output, type })
        : phrase("thisIsOutputOf", { network: from.network, output, type });
  const at = outputSpan(ctx, from.network, from.output);
  return [{ message, ...(at ? { span: at } : {}) }];
}

function checkNetworkCall(ctx: Context, e: Call): IrExpr | undefined {
  const name = e.callee.name;
  const args: IrExpr[] = [];
  let ok = true;
  for (const a of e.args) {
    if (a.name) {
      ctx.report("E0203", a.span, { fn: name, name: a.name.name }, { help: phrase("networkInputsPositional", { name: a.name.name }) });
      ok = false;
    }
    const v = checkExpr(ctx, a.value);
    if (v) args.push(v);
    else ok = false;
  }
  const net = ctx.network(name);
  if (!net || !ok) return undefined;
  if (args.length !== net.inputs.length) {
    const inputs = net.inputs.map((i) => `${i.name}: ${showType(i.type)}`).join(", ");
    ctx.report("E0202", e.span, { fn: name, expected: phrase("networkInputs", { n: net.inputs.length, inputs }), found: args.length });
    return undefined;
  }
  for (let i = 0; i < args.length; i++) {
    const input = net.inputs[i]!;
    const want = input.type;
    const got = args[i]!.type;
    const span = e.args[i]!.span;
    if (got.kind === "outputs") return void ctx.reportProblem(outputsProblem(got), span);
    if (want.kind === "label") {
      if (got.kind !== "label") return void ctx.report("E0204", span, { what: phrase("input", { name: input.name }), fn: name, expected: showType(want), found: showType(got) });
      if (got.classes !== want.classes) return void ctx.report("E0307", span, { what: phrase("inputOf", { name: input.name, fn: name }), expected: want.classes, found: got.classes });
      continue;
    }
    if (want.kind !== "tensor") continue;
    if (got.kind !== "tensor" || !sameShape(got.shape, want.shape)) {
      const from = producer(ctx, args[i]!);
      ctx.report(
        "E0301",
        span,
        { network: name, expected: showType(tensor(want.shape)), input: input.name, found: showType(got) },
        {
          notes: [{ message: phrase("inputDeclared", { input: input.name, network: name, type: showType(want) }), span: input.span }, ...producedBy(ctx, args[i]!, e.args[i]!.value)],
          ...(from && from.network !== name ? { help: phrase("makeShapesAgree", { network: from.network, input: name }) } : {}),
        },
      );
      return undefined;
    }
    if (want.domain && got.domain && want.domain !== got.domain) {
      ctx.report(
        "E0401",
        span,
        { network: name, expected: want.domain, found: got.domain },
        { notes: [{ message: phrase("inputDomain", { input: input.name, network: name, domain: want.domain }), span: input.span }, ...producedBy(ctx, args[i]!, e.args[i]!.value)] },
      );
      return undefined;
    }
  }
  if (net.outputs.length === 1) return { k: "call", network: name, args, output: "out", type: net.outputs[0]!.type, span: e.span };
  const outputs: Record<string, IrType> = {};
  for (const o of net.outputs) outputs[o.name] = o.type;
  return { k: "call", network: name, args, type: { kind: "outputs", network: name, outputs }, span: e.span };
}

/** Whether `e` refers to the named data, latent or value (through lets). */
export function mentions(ctx: Context, e: IrExpr, name: string, seen = new Set<string>()): boolean {
  if (e.k === "data" || e.k === "latent") return e.name === name;
  if (e.k === "value") {
    if (e.name === name) return true;
    if (seen.has(e.name)) return false;
    seen.add(e.name);
    const v = ctx.value(e.name, e.span);
    return !!v && mentions(ctx, v, name, seen);
  }
  return children(e).some((c) => mentions(ctx, c, name, seen));
}
