// Pass 8: optimisers. Each is checked against its catalog entry (its learning rate a positive
// number or a schedule); every network a step updates has one, and every one is used.
import { phrase } from "../../diagnostics/index.js";
import type { IrLearningRate, IrOptimizer } from "../../ir/types.js";
import { has, LR_SCHEDULES, OPTIMIZERS } from "../../lang/index.js";
import type { Expr, SchedStmt, StepStmt } from "../../syntax/ast.js";
import type { Span } from "../../diagnostics/span.js";
import { constArgs } from "../args.js";
import type { Context, DeclOf } from "../context.js";

/** Every `step` of the schedule as written, however nested. */
function steps(ctx: Context): StepStmt[] {
  const flat = (body: readonly SchedStmt[]): StepStmt[] => body.flatMap((s) => (s.kind === "Step" ? [s] : s.kind === "Repeat" || s.kind === "Together" ? flat(s.body) : []));
  return flat(ctx.all("Schedule")[0]?.body ?? []);
}

function positive(ctx: Context, v: number | undefined, at: Span): number | undefined {
  if (v !== undefined && v <= 0) ctx.report("E0205", at, { what: phrase("aLearningRate"), expected: phrase("positive"), found: v }, { help: phrase("learningRates") });
  return v !== undefined && v > 0 ? v : undefined;
}

function learningRate(ctx: Context, e: Expr, optimizer: string): IrLearningRate | undefined {
  if (e.kind !== "Call") {
    const v = positive(ctx, ctx.constNumber(e, phrase("learningRate", { fn: optimizer })), e.span);
    return v === undefined ? undefined : { kind: "constant", value: v };
  }
  const kind = e.callee.name;
  if (!has(LR_SCHEDULES, kind)) {
    ctx.unknown("E0201", kind, e.callee.span, Object.keys(LR_SCHEDULES), "learning-rate schedule", true);
    return undefined;
  }
  const a = constArgs(ctx, kind, LR_SCHEDULES[kind].params, e.args, e.span);
  const v = positive(ctx, a.values.lr as number | undefined, e.span);
  if (!a.ok || v === undefined) return undefined;
  const { lr: _lr, ...rest } = a.values;
  return { kind, value: v, ...(rest as { start: number }) };
}

function checkOptimizer(ctx: Context, d: DeclOf<"Optimizer">, stepped: Set<string>, hasSteps: boolean): IrOptimizer[] {
  const net = ctx.lookup(d.network.name, d.network.span, ["network"]);
  const kind = d.value.callee.name;
  if (!has(OPTIMIZERS, kind)) {
    ctx.unknown("E0201", kind, d.value.callee.span, Object.keys(OPTIMIZERS), "optimiser", true);
    return [];
  }
  const args = constArgs(ctx, kind, OPTIMIZERS[kind].params, d.value.args, d.value.span);
  const written = OPTIMIZERS[kind].params.find((p) => p.kind === "learning_rate")!;
  const rate = args.refs[written.name]?.[0];
  const lr = rate && learningRate(ctx, rate, kind);
  // judged on the schedule as written, so that a step with its own error does not also cause this one
  if (net && hasSteps && !stepped.has(d.network.name)) ctx.report("E0503", d.network.span, { network: d.network.name });
  if (!net || !args.ok || !lr) return [];
  return [{ network: d.network.name, kind, lr, settings: args.values as Record<string, number>, span: d.span }];
}

export function optimizers(ctx: Context): void {
  const all = steps(ctx);
  // E0504: a step updates a network that has no optimiser (reported at the first such step)
  const withOptimizer = new Set(ctx.all("Optimizer").map((o) => o.network.name));
  const reported = new Set<string>();
  for (const n of all.flatMap((s) => s.networks)) {
    if (withOptimizer.has(n.name) || reported.has(n.name) || ctx.names.get(n.name)?.kind !== "network") continue;
    reported.add(n.name);
    ctx.report("E0504", n.span, { network: n.name });
  }
  const stepped = new Set(all.flatMap((s) => s.networks.map((n) => n.name)));
  ctx.ir.optimizers = ctx.all("Optimizer").flatMap((d) => ctx.within(`optimizer ${d.network.name}`, () => checkOptimizer(ctx, d, stepped, all.length > 0)));
}
