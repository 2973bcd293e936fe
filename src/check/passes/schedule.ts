// Pass 7: the schedule. Each step's loss must reach the networks it updates; repeat counts,
// clipping bounds and EMA decays are in range; state updates are scalars; monitors and state
// updates read only values some step computes.
import { phrase } from "../../diagnostics/index.js";
import type { IrExpr, IrSchedStmt } from "../../ir/types.js";
import { children, forEachExpr } from "../../ir/walk.js";
import { builtinEntry, showType } from "../../lang/index.js";
import type { SchedStmt } from "../../syntax/ast.js";
import { KIND_WORD, type Context } from "../context.js";
import { checkExpr } from "../exprs.js";

/** Networks whose weights receive a gradient from `e` (not through `stop_gradient` or `history`). */
function reaches(ctx: Context, e: IrExpr): Set<string> {
  const out = new Set<string>();
  const seen = new Set<string>();
  const addNet = (n: string) => {
    if (out.has(n)) return;
    out.add(n);
    for (const u of ctx.networkIr.get(n)?.uses ?? []) addNet(u);
  };
  const walk = (x: IrExpr): void => {
    if (x.k === "builtin" && builtinEntry(x.fn)?.blocksGradient) return;
    if (x.k === "call") addNet(x.network);
    if (x.k === "value") {
      if (seen.has(x.name)) return;
      seen.add(x.name);
      const v = ctx.valueIr.get(x.name);
      if (v) walk(v);
      return;
    }
    children(x).forEach(walk);
  };
  walk(e);
  return out;
}

/** The lets and losses a value computes (itself included). */
function valuesOf(ctx: Context, name: string, out: Set<string>): Set<string> {
  if (out.has(name)) return out;
  out.add(name);
  const v = ctx.valueIr.get(name);
  if (v) forEachExpr(v, (x) => x.k === "value" && valuesOf(ctx, x.name, out));
  return out;
}

/** A monitor or state update may only read values some step computes. */
function requireComputed(ctx: Context, e: IrExpr, computed: Set<string>): void {
  if (e.k === "value") {
    if (!computed.has(e.name)) ctx.report("E0506", e.span, { name: e.name });
  } else if (e.k === "data" || e.k === "latent" || e.k === "call") ctx.report("E0509", e.span, {});
  else if (e.k !== "member") children(e).forEach((c) => requireComputed(ctx, c, computed));
}

/** The data and latent names a loss draws (through lets; a composite latent draws its parts); undefined if it did not check. */
function drawsOf(ctx: Context, loss: string): Set<string> | undefined {
  const out = new Set<string>();
  for (const v of valuesOf(ctx, loss, new Set())) {
    const e = ctx.valueIr.get(v);
    if (!e) return undefined;
    forEachExpr(e, (x) => {
      if (x.k === "data") out.add(x.name);
      if (x.k === "latent") [x.name, ...(ctx.ir.latents?.find((l) => l.name === x.name)?.parts ?? [])].forEach((n) => out.add(n));
    });
  }
  return out;
}

/**
 * What the step run just before a statement drew (`reuse` takes from it): nothing before the
 * first step of an iteration; after a `together`, what all its steps drew; undefined where a
 * loss did not check (nothing is reported on top of its errors).
 */
interface Drawn {
  names: Set<string> | undefined;
}

/** What `stmts` leave drawn when entered with `entry` drawn (a step's draws do not depend on what came before). */
function drawnAfter(ctx: Context, stmts: readonly SchedStmt[], entry: Set<string> | undefined): Set<string> | undefined {
  let now = entry;
  for (const s of stmts) {
    if (s.kind === "Step") now = ctx.names.get(s.loss.name)?.kind === "loss" ? drawsOf(ctx, s.loss.name) : undefined;
    else if (s.kind === "Together") {
      const each = s.body.map((b) => drawnAfter(ctx, [b], new Set()));
      now = each.some((d) => d === undefined) ? undefined : new Set(each.flatMap((d) => [...d!]));
    } else if (s.kind === "Repeat") now = drawnAfter(ctx, s.body, now);
  }
  return now;
}

function body(ctx: Context, stmts: readonly SchedStmt[], computed: Set<string>, drawn: Drawn = { names: new Set() }): IrSchedStmt[] {
  const out: IrSchedStmt[] = [];
  for (const s of stmts) {
    switch (s.kind) {
      case "Step": {
        const before = drawn.names;
        const draws = (drawn.names = drawnAfter(ctx, [s], before));
        // `reuse` of a name this step draws but the one before did not: it would read nothing
        for (const r of s.reuse) if (draws && before && draws.has(r.name) && !before.has(r.name)) ctx.report("E0512", r.span, { name: r.name });
        const nets = s.networks.filter((n) => ctx.lookup(n.name, n.span, ["network"]));
        const written = ctx.names.get(s.loss.name);
        const loss = written?.kind === "let" ? undefined : ctx.lookup(s.loss.name, s.loss.span, ["loss"]);
        if (written?.kind === "let") {
          ctx.use(s.loss.name);
          ctx.report("E0104", s.loss.span, { name: s.loss.name, kind: KIND_WORD.let, expected: KIND_WORD.loss }, { help: phrase("declareLoss", { name: s.loss.name }) });
        }
        for (const r of s.reuse) ctx.lookup(r.name, r.span, ["data", "latent"]);
        if (nets.length !== s.networks.length || !loss) break;
        const expr = ctx.valueIr.get(s.loss.name);
        if (expr) {
          const reached = reaches(ctx, expr);
          for (const n of s.networks)
            if (!reached.has(n.name)) ctx.report("E0502", n.span, { loss: s.loss.name, network: n.name }, { notes: [{ message: phrase("lossDefined", { name: s.loss.name }), span: loss.decl.span }] });
        }
        valuesOf(ctx, s.loss.name, computed);
        out.push({ k: "step", networks: s.networks.map((n) => n.name), loss: s.loss.name, reuse: s.reuse.map((r) => r.name), span: s.span });
        break;
      }
      case "Repeat": {
        const n = ctx.constNumber(s.count, phrase("repeatCount"));
        const valid = n !== undefined && Number.isInteger(n) && n >= 1;
        if (n !== undefined && !valid) ctx.report("E0205", s.count.span, { what: phrase("repeatCount"), expected: phrase("wholeAtLeast", { min: 1 }), found: n }, n === 0 ? { help: phrase("skipRepeat") } : {});
        // the body's first steps follow what came before, and (from the second round) the body's own last step
        const last = drawnAfter(ctx, s.body, drawn.names);
        if (valid && n > 1) drawn.names = drawn.names && last && new Set([...drawn.names].filter((x) => last.has(x)));
        const inner = body(ctx, s.body, computed, drawn);
        if (valid) out.push({ k: "repeat", count: n, body: inner, span: s.span });
        break;
      }
      case "Together": {
        // its steps share one draw, without `reuse`: checked against what the block draws, harmlessly
        drawn.names = drawnAfter(ctx, [s], drawn.names);
        const inner = body(ctx, s.body, computed, { names: drawn.names });
        const bad = inner.find((x) => x.k !== "step");
        if (bad) ctx.report("E0511", bad.span, {});
        out.push({ k: "together", body: inner, span: s.span });
        break;
      }
      case "ClipWeights": {
        const net = ctx.lookup(s.network.name, s.network.span, ["network"]);
        const b = ctx.constNumber(s.bound, phrase("clipBound"));
        if (b !== undefined && b <= 0) ctx.report("E0205", s.bound.span, { what: phrase("clipBound"), expected: phrase("positive"), found: b });
        if (net && b !== undefined && b > 0) out.push({ k: "clip_weights", network: s.network.name, bound: b, span: s.span });
        break;
      }
      case "Ema": {
        const net = ctx.lookup(s.network.name, s.network.span, ["network"]);
        const d = ctx.constNumber(s.decay, phrase("emaDecay"));
        const valid = d !== undefined && d > 0 && d < 1;
        if (d !== undefined && !valid) ctx.report("E0205", s.decay.span, { what: phrase("emaDecay"), expected: phrase("betweenExclusive", { low: 0, high: 1 }), found: d });
        if (net && valid) out.push({ k: "ema", network: s.network.name, decay: d, span: s.span });
        break;
      }
      case "Assign": {
        const ent = ctx.names.get(s.target.name);
        if (ent?.kind === "state") ctx.use(s.target.name);
        else if (!ent) ctx.unknown("E0101", s.target.name, s.target.span, ctx.namesOf(["state"]), "state variable");
        else ctx.report("E0508", s.target.span, { name: s.target.name, kind: KIND_WORD[ent.kind] });
        const expr = checkExpr(ctx, s.value);
        if (!expr) break;
        if (expr.type.kind !== "scalar") {
          ctx.report("E0501", s.value.span, { what: phrase("aStateUpdate"), type: showType(expr.type) }, { help: phrase("reduceStateUpdate") });
          break;
        }
        requireComputed(ctx, expr, computed);
        if (ent?.kind === "state") out.push({ k: "assign", state: s.target.name, expr, span: s.span });
        break;
      }
    }
  }
  return out;
}

export function schedule(ctx: Context): void {
  const decl = ctx.all("Schedule")[0];
  if (!decl) {
    ctx.report("E0507", ctx.decls[ctx.decls.length - 1]?.span ?? { file: ctx.input.files[ctx.input.files.length - 1] ?? "", start: 0, end: 0 }, {});
    ctx.ir.schedule = [];
  } else if (decl.body.length === 0) {
    ctx.report("E0510", decl.span, {});
    ctx.ir.schedule = [];
  } else ctx.ir.schedule = ctx.within("schedule", () => body(ctx, decl.body, new Set()));
  // monitors read what the steps of the iteration computed
  const computed = new Set<string>();
  const steps = (ss: IrSchedStmt[]): void => ss.forEach((s) => (s.k === "step" ? valuesOf(ctx, s.loss, computed) : s.k === "repeat" || s.k === "together" ? steps(s.body) : undefined));
  steps(ctx.ir.schedule);
  for (const m of ctx.ir.values ?? []) if (m.role === "monitor") ctx.within(m.name, () => requireComputed(ctx, m.expr, computed));
}
