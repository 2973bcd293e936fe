// Pass 3: domains and type aliases resolve to shapes.
import type { Context } from "../context.js";
import { resolveShape, resolveType } from "../types-resolve.js";

export function types(ctx: Context): void {
  ctx.ir.domains = ctx.all("Domain").flatMap((d) => {
    ctx.used.add(d.name.name); // a domain is "used" by tagging values with it; its mix-ups are errors of their own
    const shape = ctx.within(d.name.name, () => resolveShape(ctx, d.shape));
    return shape ? [{ name: d.name.name, shape, span: d.span }] : [];
  });
  for (const t of ctx.all("Type")) ctx.within(t.name.name, () => resolveType(ctx, t.type));
  // an alias read by another alias is not used until a network or value reads one of them
  for (const u of [...ctx.used]) if (ctx.names.get(u)?.kind === "type") ctx.used.delete(u);
}
