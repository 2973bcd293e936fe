// Pass 1: every top-level name, so that later passes can look any name up whatever the order of
// declarations (a second declaration of a name is E0102).
import type { Context } from "../context.js";

export function declareNames(ctx: Context): void {
  for (const d of ctx.decls) {
    switch (d.kind) {
      case "Param":
        ctx.declare(d.name, { kind: "param", decl: d });
        break;
      case "State":
        ctx.declare(d.name, { kind: "state", decl: d });
        break;
      case "Domain":
        ctx.declare(d.name, { kind: "domain", decl: d });
        break;
      case "Type":
        ctx.declare(d.name, { kind: "type", decl: d });
        break;
      case "Latent":
        ctx.declare(d.name, { kind: "latent", decl: d });
        break;
      case "Network":
        ctx.declare(d.name, { kind: "network", decl: d });
        break;
      case "Block":
        ctx.declare(d.name, { kind: "block", decl: d });
        break;
      case "Let":
        ctx.declare(d.name, { kind: "let", decl: d });
        break;
      case "Loss":
        ctx.declare(d.name, { kind: "loss", decl: d });
        break;
      case "Monitor":
        ctx.declare(d.name, { kind: "monitor", decl: d });
        break;
      case "Data":
        d.bindings.forEach((b, index) => ctx.declare(b.name, { kind: "data", decl: d, index }));
        break;
      default:
        break;
    }
  }
}
