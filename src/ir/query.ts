// Questions about a checked spec that the code generator and the CLI both ask.
import type { IrExpr, IrSpec } from "./types.js";
import { forEachExpr } from "./walk.js";

type CallExpr = Extract<IrExpr, { k: "call" }>;

/**
 * The generator call samples come from: the first network call (in declaration order of
 * the lets and losses) applied only to latents or real data, whose output has the shape of
 * some real data (G(z), G(z, c), G(x) for translation, a super-resolved target).
 */
export function findGenerator(ir: IrSpec): CallExpr | undefined {
  const shapes = new Set(ir.data.flatMap((d) => d.types.flatMap((t) => (t.kind === "tensor" ? [t.shape.join(",")] : []))));
  const isGenerator = (e: IrExpr): e is CallExpr =>
    e.k === "call" && e.args.every((a) => a.k === "latent" || a.k === "data") && e.type.kind === "tensor" && shapes.has(e.type.shape.join(","));
  for (const v of ir.values) {
    let found: CallExpr | undefined;
    forEachExpr(v.expr, (e) => {
      if (!found && isGenerator(e)) found = e;
    });
    if (found) return found;
  }
  return undefined;
}

/** For a translation generator G(x): a network F applied to G(x) somewhere (the cycle F(G(x))), if any. */
export function findReconstruction(ir: IrSpec, g: CallExpr): string | undefined {
  for (const v of ir.values) {
    let found: string | undefined;
    forEachExpr(v.expr, (e) => {
      if (found || e.k !== "call" || e.args.length !== 1) return;
      const a = e.args[0]!;
      const inner = a.k === "value" ? ir.values.find((x) => x.name === a.name)?.expr : a;
      if (inner?.k === "call" && inner.network === g.network && JSON.stringify(inner.args.map(name)) === JSON.stringify(g.args.map(name))) found = e.network;
    });
    if (found) return found;
  }
  return undefined;
}

function name(e: IrExpr): string {
  return "name" in e ? `${e.k}:${e.name}` : e.k;
}
