// Which network is the generator and what its latents stand for, for `ganc export`: read from the
// IR's roles (decided once by the checker).
import type { IrLatent, IrSpec, IrType } from "../ir/types.js";
import { latentsOf, type Generator } from "../cli/generator.js";

export interface GeneratorRoles {
  generator: Generator;
  /** The type of the generator's output. */
  output: IrType;
  /** The base latents the generator reads (concatenations expanded), with their role. */
  latents: { latent: IrLatent; role: "noise" | "class" | "code" }[];
}

export function generatorRoles(ir: IrSpec): GeneratorRoles | undefined {
  const generator = ir.roles.generator;
  if (!generator) return undefined;
  const output = ir.networks.find((n) => n.name === generator.network)!.outputs.find((o) => o.name === generator.output)!.type;
  const role = new Map(ir.roles.latents.map((r) => [r.name, r.role]));
  const latents = latentsOf(ir, generator)
    .filter((l) => !l.parts)
    .map((latent) => ({ latent, role: role.get(latent.name) ?? "noise" }));
  return { generator, output, latents };
}
