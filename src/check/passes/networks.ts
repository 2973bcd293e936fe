// Pass 5: every network, its shapes inferred layer by layer. A network is checked on first use
// (a network used as a layer, or called in an expression, may come later in the file).
import type { Span } from "../../diagnostics/span.js";
import { phrase } from "../../diagnostics/index.js";
import type { IrNetwork } from "../../ir/types.js";
import type { Context } from "../context.js";
import { checkNetwork } from "../network.js";

function networkOf(ctx: Context, busy: Set<string>, name: string, span?: Span): IrNetwork | undefined {
  if (ctx.networkIr.has(name)) return ctx.networkIr.get(name);
  const ent = ctx.names.get(name);
  if (ent?.kind !== "network") return undefined;
  if (busy.has(name)) {
    ctx.report("E0108", span ?? ent.decl.name.span, { what: phrase("theNetwork", { name }) });
    return undefined;
  }
  busy.add(name);
  const ir = ctx.within(name, () => checkNetwork(ctx, ent.decl));
  busy.delete(name);
  ctx.networkIr.set(name, ir);
  return ir;
}

export function networks(ctx: Context): void {
  const busy = new Set<string>();
  ctx.network = (name, span) => networkOf(ctx, busy, name, span);
  ctx.ir.networks = ctx.all("Network").flatMap((d) => ctx.network(d.name.name) ?? []);
}
