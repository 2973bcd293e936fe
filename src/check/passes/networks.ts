// Pass 5: every network, its shapes inferred layer by layer. A network is checked on first use
// (a network used as a layer, or called in an expression, may come later in the file).
import { phrase } from "../../diagnostics/index.js";
import type { Context } from "../context.js";
import { checkNetwork } from "../network.js";

export function networks(ctx: Context): void {
  ctx.network = (name, span) => {
    const ent = ctx.names.get(name);
    if (ent?.kind !== "network") return undefined;
    return ctx.onDemand(
      ctx.networkIr,
      name,
      () => checkNetwork(ctx, ent.decl),
      () => ctx.report("E0108", span ?? ent.decl.name.span, { what: phrase("theNetwork", { name }) }),
    );
  };
  ctx.ir.networks = ctx.all("Network").flatMap((d) => ctx.network(d.name.name) ?? []);
}
