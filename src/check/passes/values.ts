// Pass 6: lets, losses and monitors, type-checked in declaration order (a value is checked on
// first use, so a let may come after the loss that reads it); losses and monitors are scalars.
import { phrase } from "../../diagnostics/index.js";
import type { IrValue } from "../../ir/types.js";
import { showType } from "../../lang/index.js";
import type { Context } from "../context.js";
import { checkExpr } from "../exprs.js";

export function values(ctx: Context): void {
  ctx.value = (name, span) => {
    const ent = ctx.names.get(name);
    if (ent?.kind !== "let" && ent?.kind !== "loss" && ent?.kind !== "monitor") return undefined;
    return ctx.onDemand(
      ctx.valueIr,
      name,
      () => checkExpr(ctx, ent.decl.value),
      () => ctx.report("E0108", span, { what: phrase("theName", { name }) }, { notes: [{ message: phrase("definedHere"), span: ent.decl.span }] }),
    );
  };
  const out: IrValue[] = [];
  // lets first: a problem in a let is reported where the let is checked, not in each loss that reads it
  for (const kind of ["Let", "Loss", "Monitor"] as const)
    for (const d of ctx.all(kind)) {
      const expr = ctx.value(d.name.name, d.name.span);
      if (!expr) continue;
      if (kind !== "Let" && expr.type.kind !== "scalar") {
        const what = phrase(kind === "Loss" ? "theLoss" : "theMonitor", { name: d.name.name });
        ctx.report("E0501", d.value.span, { what, type: showType(expr.type) }, { help: phrase("reduceIt") });
      }
      out.push({ name: d.name.name, role: kind === "Let" ? "let" : kind === "Loss" ? "loss" : "monitor", expr, type: expr.type, span: d.span });
    }
  const order = new Map(ctx.decls.map((d, i) => [d.span, i]));
  ctx.ir.values = out.sort((a, b) => order.get(a.span)! - order.get(b.span)!);
}
