// The last pass: declarations of the spec itself that nothing uses (W0103). A base's declaration
// a variant no longer uses is not the variant's fault, and is not reported.
import type { Context } from "../context.js";

const WHERE = { param: "a layer or a loss", domain: "a network's inputs or outputs", type: "a network's inputs or outputs", block: "a network" } as const;

export function unused(ctx: Context): void {
  const main = ctx.input.files[ctx.input.files.length - 1];
  for (const [name, e] of ctx.names) {
    // monitors and losses are logged, states are updated: they are used by being there
    if (ctx.used.has(name) || e.kind === "monitor" || e.kind === "state" || e.kind === "loss") continue;
    const span = e.kind === "data" ? e.decl.bindings[e.index]!.name.span : e.decl.name.span;
    if (main !== undefined && span.file !== main) continue;
    const where = e.kind in WHERE ? WHERE[e.kind as keyof typeof WHERE] : "a loss";
    ctx.report("W0103", span, { kind: e.kind, name, where });
  }
}
