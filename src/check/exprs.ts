// Type-checking expressions (lets, losses, monitors, state updates) into IR expressions.
import { diag, didYouMean } from "../diagnostics/index.js";
import type { Call, Expr } from "../syntax/ast.js";
import type { IrExpr, IrNetwork, IrType } from "../ir/types.js";
import { children } from "../ir/walk.js";
import { BUILTIN_NAMES, BUILTINS, combine, outputsError } from "./builtins.js";
import { constArgs } from "./const-args.js";
import { KIND_WORD, type Context } from "./context.js";
import type { Span } from "../diagnostics/span.js";
import type { NetStmt } from "../syntax/ast.js";
import { sameShape, SCALAR, showType, tensor } from "./types.js";

export interface ExprEnv {
  ctx: Context;
  network(name: string): IrNetwork | undefined;
  /** The checked IR of a let, loss or monitor (undefined when it has errors). */
  value(name: string, span: Call["span"]): IrExpr | undefined;
  dataType(name: string): IrType | undefined;
  latentType(name: string): IrType | undefined;
}

/** The name `iteration` is the current training iteration, as a scalar. */
export const ITERATION = "iteration";

export function checkExpr(env: ExprEnv, e: Expr): IrExpr | undefined {
  const { ctx } = env;
  switch (e.kind) {
    case "Number":
      return { k: "const", value: e.value, type: SCALAR, span: e.span };
    case "Bool":
    case "String":
    case "List":
      ctx.report(diag("E0204", e.span, `a ${e.kind === "List" ? "list" : e.kind.toLowerCase()} is not a value in a loss expression`));
      return undefined;
    case "Name":
      return checkName(env, e.name, e.span);
    case "Unary": {
      const v = checkExpr(env, e.operand);
      if (!v) return undefined;
      const t = combine(v.type, SCALAR, "`-`");
      if ("error" in t) return reportType(env, t, e.span);
      return { k: "neg", operand: v, type: t, span: e.span };
    }
    case "Binary": {
      const l = checkExpr(env, e.left);
      const r = checkExpr(env, e.right);
      if (!l || !r) return undefined;
      const t = combine(l.type, r.type, `\`${e.op}\``);
      if ("error" in t) return reportType(env, t, e.span, `${showType(l.type)} ${e.op} ${showType(r.type)}`);
      return { k: "binary", op: e.op, left: l, right: r, type: t, span: e.span };
    }
    case "Member":
      return checkMember(env, e);
    case "Call":
      return checkCall(env, e);
  }
}

function reportType(env: ExprEnv, t: { error: string; code?: import("../diagnostics/index.js").Code; help?: string }, span: Call["span"], label?: string): undefined {
  env.ctx.report(diag(t.code ?? "E0204", span, t.error, { ...(t.help ? { help: t.help } : {}), ...(label ? { label } : {}) }));
  return undefined;
}

function checkName(env: ExprEnv, name: string, span: Call["span"]): IrExpr | undefined {
  const { ctx } = env;
  if (name === ITERATION && !ctx.names.has(name)) return { k: "builtin", fn: ITERATION, args: [], options: {}, type: SCALAR, span };
  if (ctx.ambiguous.has(name)) {
    ctx.used.add(name); // declared twice: the E0102 says enough
    return undefined;
  }
  const other = ctx.names.get(name);
  if (other && (other.kind === "network" || other.kind === "block" || other.kind === "domain" || other.kind === "type")) {
    ctx.used.add(name);
    const help =
      other.kind === "network" ? `call it to get its output: \`${name}(${other.decl.inputs.map((i) => i.name.name).join(", ")})\`` : other.kind === "domain" ? `to tag a value with domain ${name}, write \`cast(value, ${name})\`` : undefined;
    ctx.report(diag("E0104", span, `\`${name}\` is ${KIND_WORD[other.kind]}, not a value`, help ? { help } : {}));
    return undefined;
  }
  const ent = ctx.lookup(name, span, ["param", "state", "data", "latent", "let", "loss", "monitor"], [ITERATION]);
  if (!ent) return undefined;
  switch (ent.kind) {
    case "param": {
      const v = ctx.env.get(name);
      if (typeof v !== "number") {
        ctx.report(diag("E0204", span, `param \`${name}\` is ${JSON.stringify(v)}, not a number`));
        return undefined;
      }
      return { k: "param", name, type: SCALAR, span };
    }
    case "state":
      return { k: "state", name, type: SCALAR, span };
    case "data": {
      const t = env.dataType(name);
      return t && { k: "data", name, type: t, span };
    }
    case "latent": {
      const t = env.latentType(name);
      return t && { k: "latent", name, type: t, span };
    }
    default: {
      const v = env.value(name, span);
      return v && { k: "value", name, type: v.type, span };
    }
  }
}

function checkMember(env: ExprEnv, e: Extract<Expr, { kind: "Member" }>): IrExpr | undefined {
  const obj = checkExpr(env, e.object);
  if (!obj) return undefined;
  const name = e.member.name;
  const netName = obj.k === "call" ? obj.network : obj.type.kind === "outputs" ? obj.type.network : undefined;
  const net = netName ? env.network(netName) : undefined;
  if (!net) {
    env.ctx.report(diag("E0306", e.member.span, `\`.${name}\` picks an output of a network call, but this is ${showType(obj.type)}`));
    return undefined;
  }
  const found = net.outputs.find((o) => o.name === name) ?? net.taps.find((o) => o.name === name);
  if (!found || (found.name === "out" && net.outputs.length === 1 && !net.taps.some((t) => t.name === "out"))) {
    const names = [...net.outputs.filter((o) => o.name !== "out").map((o) => o.name), ...net.taps.map((t) => t.name)];
    const guess = didYouMean(name, names);
    env.ctx.report(
      diag("E0306", e.member.span, `network \`${net.name}\` has no output or tap \`${name}\``, {
        help: guess ? `did you mean \`${guess}\`?` : names.length ? `it has: ${names.join(", ")}` : "name a layer's output with `name: layer(...)` to make it reachable",
      }),
    );
    return undefined;
  }
  if (obj.k === "call") return { ...obj, output: name, type: found.type, span: e.span };
  return { k: "member", object: obj, name, type: found.type, span: e.span };
}

function checkCall(env: ExprEnv, e: Call): IrExpr | undefined {
  const { ctx } = env;
  const name = e.callee.name;
  const ent = ctx.names.get(name);
  if (ent?.kind === "network") {
    ctx.used.add(name);
    return checkNetworkCall(env, e);
  }
  if (name === "grad") return checkGrad(env, e);
  if (name === "cast") return checkCast(env, e);
  const def = BUILTINS[name];
  if (!def) {
    if (ent) ctx.report(diag("E0104", e.callee.span, `\`${name}\` is not a function or a network`));
    else ctx.unknown(name, e.callee.span, [...BUILTIN_NAMES, ...[...ctx.names].filter(([, v]) => v.kind === "network").map(([n]) => n)], "function", "E0201");
    return undefined;
  }
  const consts = constArgs(name, def.params, e.args, e.span, ctx.env, ctx.diagnostics);
  const args: IrExpr[] = [];
  const written: Expr[] = [];
  let ok = consts.ok;
  for (const p of def.params) {
    if (p.kind !== "expr") continue;
    for (const a of consts.refs[p.name] ?? []) {
      const v = checkExpr(env, a);
      if (v) {
        args.push(v);
        written.push(a);
      } else ok = false;
    }
  }
  if (!ok) return undefined;
  const t = def.type(args, consts.values);
  if ("kind" in t) return { k: "builtin", fn: name, args, options: consts.values, type: t, span: e.span };
  if (t.code === "E0307") {
    // A class head of the wrong size is one mistake, however many losses use it: report it once,
    // pointing at the head.
    const from = producer(env, args[0]!);
    if (from) {
      const key = `E0307 ${from.network}.${from.output} ${t.error}`;
      if (ctx.reportedOnce.has(key)) return undefined;
      ctx.reportedOnce.add(key);
      const at = outputSpan(env, from.network, from.output);
      const what = from.output === "out" ? `\`${from.network}\`` : `output \`${from.output}\` of \`${from.network}\``;
      env.ctx.report(diag("E0307", e.span, t.error, { ...(t.help ? { help: t.help } : {}), notes: [{ message: `the logits are ${what}, ${showType(args[0]!.type)}`, ...(at ? { span: at } : {}) }] }));
      return undefined;
    }
  }
  if (t.code === "E0306") {
    // point at the argument that is a multi-output network call
    const i = args.findIndex((a) => a.type.kind === "outputs");
    const w = written[i];
    const help = w?.kind === "Name" && t.help ? t.help.replace(/`\./g, `\`${w.name}.`) : t.help;
    return reportType(env, { ...t, ...(help ? { help } : {}) }, args[i]?.span ?? e.span);
  }
  if (t.code === "E0402") {
    // say where each side's domain comes from
    const notes = args.flatMap((a, i) => (a.type.kind === "tensor" && a.type.domain ? describe(env, a, written[i]!) : []));
    env.ctx.report(diag("E0402", e.span, t.error, { notes, ...(t.help ? { help: t.help } : {}) }));
    return undefined;
  }
  return reportType(env, t, e.span);
}

/** "`y` is Y [28, 28, 1]", or which network produced the value. */
function describe(env: ExprEnv, arg: IrExpr, written: Expr): { message: string; span?: Span }[] {
  const by = producedBy(env, arg, written);
  if (by.length) return by;
  if (written.kind === "Name") return [{ message: `\`${written.name}\` is ${showType(arg.type)}` }];
  return [];
}

/** The network output an expression is (through lets and `.name`), if it is one. */
function producer(env: ExprEnv, x: IrExpr, depth = 0): { network: string; output: string } | undefined {
  if (depth > 16) return undefined;
  if (x.k === "call") return x.output ? { network: x.network, output: x.output } : undefined;
  if (x.k === "member" && x.object.type.kind === "outputs") return { network: x.object.type.network, output: x.name };
  if (x.k === "value") {
    const v = env.value(x.name, x.span);
    return v && producer(env, v, depth + 1);
  }
  return undefined;
}

/** Where an output of a network is declared (`-> T`, `-> (name: T)`) or its head is written. */
function outputSpan(env: ExprEnv, network: string, output: string): Span | undefined {
  const ent = env.ctx.names.get(network);
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
function producedBy(env: ExprEnv, arg: IrExpr, written: Expr): { message: string; span?: Span }[] {
  const from = producer(env, arg);
  if (!from) return [];
  const what = written.kind === "Call" && written.callee.name === from.network ? `\`${from.network}(...)\` returns` : `${written.kind === "Name" ? `\`${written.name}\`` : "this"} is the output of \`${from.network}\`${from.output === "out" ? "" : ` (\`.${from.output}\`)`},`;
  const at = outputSpan(env, from.network, from.output);
  return [{ message: `${what} ${showType(arg.type)}`, ...(at ? { span: at } : {}) }];
}

function checkNetworkCall(env: ExprEnv, e: Call): IrExpr | undefined {
  const { ctx } = env;
  const name = e.callee.name;
  const args: IrExpr[] = [];
  let ok = true;
  for (const a of e.args) {
    if (a.name) {
      ctx.report(diag("E0203", a.span, `network inputs are positional; remove \`${a.name.name} =\``));
      ok = false;
    }
    const v = checkExpr(env, a.value);
    if (v) args.push(v);
    else ok = false;
  }
  const net = env.network(name);
  if (!net || !ok) return undefined;
  if (args.length !== net.inputs.length) {
    ctx.report(
      diag("E0202", e.span, `network \`${name}\` takes ${net.inputs.length} input${net.inputs.length === 1 ? "" : "s"} (${net.inputs.map((i) => `${i.name}: ${showType(i.type)}`).join(", ")}), but ${args.length} ${args.length === 1 ? "is" : "are"} given`),
    );
    return undefined;
  }
  for (let i = 0; i < args.length; i++) {
    const want = net.inputs[i]!.type;
    const got = args[i]!.type;
    const span = e.args[i]!.span;
    if (got.kind === "outputs") return reportType(env, outputsError(got), span);
    if (want.kind === "label") {
      if (got.kind !== "label") return reportType(env, { code: "E0204", error: `input \`${net.inputs[i]!.name}\` of \`${name}\` is ${showType(want)}, but this is ${showType(got)}` }, span);
      if (got.classes !== want.classes) return reportType(env, { code: "E0307", error: `input \`${net.inputs[i]!.name}\` of \`${name}\` takes labels of ${want.classes} classes, but these have ${got.classes}` }, span);
      continue;
    }
    if (want.kind !== "tensor") continue;
    if (got.kind !== "tensor" || !sameShape(got.shape, want.shape)) {
      const from = producer(env, args[i]!);
      ctx.report(
        diag("E0301", span, `\`${name}\` takes ${showType({ kind: "tensor", shape: want.kind === "tensor" ? want.shape : [] })} as \`${net.inputs[i]!.name}\`, but this argument is ${showType(got)}`, {
          label: `this is ${showType(got)}`,
          notes: [{ message: `input \`${net.inputs[i]!.name}\` of \`${name}\` is declared as ${showType(want)}`, span: net.inputs[i]!.span }, ...producedBy(env, args[i]!, e.args[i]!.value)],
          ...(from && from.network !== name ? { help: `make them agree: change the layers or the declared output of \`${from.network}\`, or the input type of \`${name}\`` } : {}),
        }),
      );
      return undefined;
    }
    if (want.domain && got.domain && want.domain !== got.domain) {
      ctx.report(
        diag("E0401", span, `\`${name}\` takes values of domain ${want.domain}, but this one is of domain ${got.domain}`, {
          label: `domain ${got.domain}`,
          notes: [{ message: `input \`${net.inputs[i]!.name}\` of \`${name}\` is declared as ${want.domain}`, span: net.inputs[i]!.span }, ...producedBy(env, args[i]!, e.args[i]!.value)],
          help: `if this is intended (an identity loss), write \`cast(..., ${want.domain})\``,
        }),
      );
      return undefined;
    }
  }
  if (net.outputs.length === 1) return { k: "call", network: name, args, output: "out", type: net.outputs[0]!.type, span: e.span };
  const outputs: Record<string, IrType> = {};
  for (const o of net.outputs) outputs[o.name] = o.type;
  return { k: "call", network: name, args, type: { kind: "outputs", network: name, outputs }, span: e.span };
}

function checkGrad(env: ExprEnv, e: Call): IrExpr | undefined {
  const { ctx } = env;
  if (e.args.length !== 2 || e.args.some((a) => a.name)) {
    ctx.report(diag("E0202", e.span, "`grad` takes two arguments: grad(y, x), the gradient of sum(y) with respect to x", { help: "for a gradient penalty: grad(D(x_hat), x_hat)" }));
    return undefined;
  }
  const y = checkExpr(env, e.args[0]!.value);
  const xe = e.args[1]!.value;
  if (xe.kind !== "Name") {
    ctx.report(diag("E0204", xe.span, "`grad` differentiates with respect to a named value (a `let`, `data` or `latent`)", { help: "name it first: `let x_hat = ...`" }));
    return undefined;
  }
  const x = checkExpr(env, xe);
  if (!y || !x) return undefined;
  if (x.type.kind !== "tensor") {
    ctx.report(diag("E0204", xe.span, `\`grad\` needs a tensor to differentiate with respect to, but \`${xe.name}\` is ${showType(x.type)}`));
    return undefined;
  }
  if (y.type.kind !== "tensor" && y.type.kind !== "scalar") {
    ctx.report(diag("E0204", e.args[0]!.span, `\`grad\` differentiates a number or tensor, found ${showType(y.type)}`));
    return undefined;
  }
  if (!mentions(env, y, xe.name)) {
    ctx.report(diag("E0505", e.args[1]!.span, `\`${showExprName(e.args[0]!.value)}\` does not depend on \`${xe.name}\`, so its gradient would be zero`, { help: "differentiate with respect to a value the expression uses" }));
    return undefined;
  }
  return { k: "builtin", fn: "grad", args: [y, x], options: {}, type: tensor(x.type.shape, x.type.domain), span: e.span };
}

function showExprName(e: Expr): string {
  if (e.kind === "Name") return e.name;
  if (e.kind === "Call") return `${e.callee.name}(...)`;
  return "the expression";
}

function checkCast(env: ExprEnv, e: Call): IrExpr | undefined {
  const { ctx } = env;
  if (e.args.length !== 2 || e.args[1]!.value.kind !== "Name") {
    ctx.report(diag("E0202", e.span, "`cast` takes a value and a domain: cast(y, X)"));
    return undefined;
  }
  const v = checkExpr(env, e.args[0]!.value);
  const d = e.args[1]!.value as Extract<Expr, { kind: "Name" }>;
  const dom = ctx.lookup(d.name, d.span, ["domain"]);
  if (!v || !dom || dom.kind !== "domain") return undefined;
  if (v.type.kind !== "tensor") {
    ctx.report(diag("E0204", e.args[0]!.span, `only tensors have a domain, found ${showType(v.type)}`));
    return undefined;
  }
  return { k: "builtin", fn: "cast", args: [v], options: { domain: d.name }, type: tensor(v.type.shape, d.name), span: e.span };
}

/** Whether `e` refers to the named data, latent or value (through lets). */
export function mentions(env: ExprEnv, e: IrExpr, name: string, seen = new Set<string>()): boolean {
  if (e.k === "data" || e.k === "latent") return e.name === name;
  if (e.k === "value") {
    if (e.name === name) return true;
    if (seen.has(e.name)) return false;
    seen.add(e.name);
    const v = env.value(e.name, e.span);
    return !!v && mentions(env, v, name, seen);
  }
  return children(e).some((c) => mentions(env, c, name, seen));
}
